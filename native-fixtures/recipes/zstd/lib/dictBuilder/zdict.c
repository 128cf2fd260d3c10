/* Not part of the library the recipe builds: it must not be compiled. */
#error "dictBuilder must not be compiled"
