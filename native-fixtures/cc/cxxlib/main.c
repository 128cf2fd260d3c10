#include <stdio.h>
#include "shapes.h"

int main(void) {
  printf("area=%ld\n", shapes_total_area(3));
  return 0;
}
