#include <stdio.h>
#include "scale.h"

int sum3(int a, int b, int c);

int main(void) {
  int s = sum3(1, 2, 3);
  int k = kit_scale(7);
  printf("sum=%d scale=%d\n", s, k);
  return s == 6 && k == 42 ? 0 : 1;
}
