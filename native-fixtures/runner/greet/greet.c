#include <stdio.h>
#include "greet.h"

#ifndef GREET_SUFFIX
#define GREET_SUFFIX ""
#endif

int greet(char *buf, int size, const char *name) {
  return snprintf(buf, (size_t)size, "hello, %s%s", name, GREET_SUFFIX);
}
