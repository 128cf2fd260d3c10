#include "clib.h"

int clib_other_count(const char *s, char c) {
  int n = 0;
  for (; *s; s++) n += (*s == c);
  return n;
}
