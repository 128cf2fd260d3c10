#include <math.h>

#include "kit.h"

double kit_hypot(double a, double b) { return sqrt(a * a + b * b); }

int kit_sum3(int a, int b, int c) { return kit_add(kit_add(a, b), c); }
