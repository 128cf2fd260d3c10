#include "../pngpriv.h"
int pngfix_neon_palette(void) { return 1; }
