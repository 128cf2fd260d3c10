#include <stdio.h>

#include "greet.h"

static const char *arch_name(void) {
#if defined(__aarch64__)
  return "aarch64";
#elif defined(__x86_64__)
  return "x86_64";
#elif defined(__arm__)
  return "arm";
#else
  return "other";
#endif
}

int greet_arch(char *buf, int size) { return snprintf(buf, (size_t)size, "hello from %s", arch_name()); }

int greet_sum(int a, int b) { return a + b; }
