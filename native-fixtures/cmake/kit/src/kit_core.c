#include "kit.h"
#include "internal.h"

const char *kit_greeting(void) { return KIT_GREETING; }

int kit_add(int a, int b) { return (a + b) * KIT_SCALE; }
