#include "zutil.h"
int zfix_uncompr(void) { return 1; }
