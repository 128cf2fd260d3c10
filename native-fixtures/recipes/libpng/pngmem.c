#include "pngpriv.h"
int pngfix_pngmem(void) { return 1; }
