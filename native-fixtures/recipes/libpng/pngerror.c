#include "pngpriv.h"
int pngfix_pngerror(void) { return 1; }
