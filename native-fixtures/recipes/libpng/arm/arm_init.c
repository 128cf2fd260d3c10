#include "../pngpriv.h"
int pngfix_simd(void) { return 1; }
