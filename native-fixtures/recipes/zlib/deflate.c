#include "zutil.h"
int zfix_deflate(void) { return 1; }
