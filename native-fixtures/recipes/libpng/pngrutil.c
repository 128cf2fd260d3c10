#include "pngpriv.h"
int pngfix_pngrutil(void) { return 1; }
