#include "zutil.h"
int zfix_infback(void) { return 1; }
