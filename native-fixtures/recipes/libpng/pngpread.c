#include "pngpriv.h"
int pngfix_pngpread(void) { return 1; }
