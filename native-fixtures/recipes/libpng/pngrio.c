#include "pngpriv.h"
int pngfix_pngrio(void) { return 1; }
