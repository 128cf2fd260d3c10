#include "../pngpriv.h"
int pngfix_sse2_filters(void) { return 1; }
