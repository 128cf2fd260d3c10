#include "pngpriv.h"
int pngfix_pngread(void) { return 1; }
