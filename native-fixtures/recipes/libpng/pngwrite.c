#include "pngpriv.h"
int pngfix_pngwrite(void) { return 1; }
