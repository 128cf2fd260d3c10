#include "../pngpriv.h"
#if defined(PNG_INTEL_SSE_OPT) && PNG_INTEL_SSE_OPT > 0
int pngfix_simd(void) { return 1; }
#endif
