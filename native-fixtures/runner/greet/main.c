#include <stdio.h>
#include "greet.h"

int main(void) {
  char buf[64];
  greet(buf, sizeof buf, "kiln");
  puts(buf);
#ifdef GREET_FROM_MANIFEST
  puts("define from manifest");
#endif
  return 0;
}
