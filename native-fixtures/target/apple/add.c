/*
 * Freestanding on purpose: no headers, no libc calls, so it compiles and links for macOS on any
 * host without the macOS SDK (a dylib of it links with -nostdlib -undefined dynamic_lookup).
 */
int kiln_add(int a, int b) { return a + b; }

/* Differs per arch so a merged file visibly carries two different bodies. */
int kiln_arch_id(void) {
#if defined(__aarch64__)
  return 64;
#elif defined(__x86_64__)
  return 86;
#else
  return 0;
#endif
}
