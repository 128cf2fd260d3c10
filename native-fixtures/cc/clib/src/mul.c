#include "clib.h"

#ifndef CLIB_GREETING
#define CLIB_GREETING "hello"
#endif

int clib_mul(int a, int b) { return a * b; }

const char *clib_greeting(void) { return CLIB_GREETING; }
