#include "pngpriv.h"
int pngfix_pngset(void) { return 1; }
