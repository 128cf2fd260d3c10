#include <stdio.h>

#include "shapes.h"

int main(void) {
  char buf[64];
  shapes_describe("square", 4, buf, sizeof buf);
  printf("%s\n", buf);
  return 0;
}
