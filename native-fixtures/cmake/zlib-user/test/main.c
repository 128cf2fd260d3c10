#include <stdio.h>

#include "zwrap.h"

int main(void) {
  size_t size = 0;
  int ok = zwrap_roundtrip("kiln kiln kiln kiln kiln kiln kiln kiln", &size);
  printf("roundtrip=%s\n", ok ? "ok" : "broken");
  return ok ? 0 : 1;
}
