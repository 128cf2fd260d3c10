#include <stdio.h>

#include "kit.h"

int main(void) {
  printf("%s %d\n", kit_greeting(), kit_sum3(1, 2, 3));
  return 0;
}
