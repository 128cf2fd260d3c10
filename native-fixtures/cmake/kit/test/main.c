#include <stdio.h>

#include "kit.h"

int main(void) {
  printf("%s sum=%d hypot=%.1f\n", kit_greeting(), kit_sum3(1, 2, 3), kit_hypot(3.0, 4.0));
  return 0;
}
