#include <stdio.h>

#include "greet.h"

int main(void) {
  char buf[64];
  greet_arch(buf, (int)sizeof buf);
  printf("%s; 2+3=%d\n", buf, greet_sum(2, 3));
  return 0;
}
