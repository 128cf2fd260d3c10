#include "zutil.h"
int zfix_gzlib(void) { return 1; }
