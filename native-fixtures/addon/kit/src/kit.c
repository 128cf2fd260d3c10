#include "kit.h"

int kit_scale(int value) { return value * 10; }
const char *kit_name(void) { return "kit (shared, cmake)"; }
