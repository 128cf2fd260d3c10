#include "pngpriv.h"
int pngfix_pngwutil(void) { return 1; }
