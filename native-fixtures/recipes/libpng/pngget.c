#include "pngpriv.h"
int pngfix_pngget(void) { return 1; }
