#include "pngpriv.h"
int pngfix_pngtrans(void) { return 1; }
