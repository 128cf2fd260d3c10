#include "../pngpriv.h"
int pngfix_neon_filters(void) { return 1; }
