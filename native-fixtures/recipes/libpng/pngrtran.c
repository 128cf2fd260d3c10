#include "pngpriv.h"
int pngfix_pngrtran(void) { return 1; }
