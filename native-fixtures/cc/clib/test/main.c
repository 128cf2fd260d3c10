#include <stdio.h>
#include "clib.h"

int main(void) {
  printf("add=%d mul=%d len=%d count=%d greeting=%s\n", clib_add(2, 3), clib_mul(4, 5),
         clib_util_len("kiln"), clib_other_count("banana", 'a'), clib_greeting());
  return 0;
}
