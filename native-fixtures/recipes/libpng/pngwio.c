#include "pngpriv.h"
int pngfix_pngwio(void) { return 1; }
