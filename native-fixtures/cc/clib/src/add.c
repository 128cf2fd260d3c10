#include "clib.h"
#include "config.h"

int clib_add(int a, int b) { return a + b + CLIB_ADD_BIAS; }
