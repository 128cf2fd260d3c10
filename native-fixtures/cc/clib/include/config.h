#ifndef CLIB_CONFIG_H
#define CLIB_CONFIG_H
/* Included only by add.c: touching it must recompile add.c alone. */
#define CLIB_ADD_BIAS 0
#endif
