#include "scale.h"
int kit_scale(int x) { return x * 6; }
