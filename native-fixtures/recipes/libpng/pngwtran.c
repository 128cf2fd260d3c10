#include "pngpriv.h"
int pngfix_pngwtran(void) { return 1; }
