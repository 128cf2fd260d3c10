#include "zstd_internal.h"
/* As the real decoder: the assembly loop unless ZSTD_DISABLE_ASM (or not x86-64 with GNU as). */
#if !defined(ZSTD_DISABLE_ASM) && defined(__x86_64__) && !defined(_WIN32)
int zstdfix_huf_asm_loop(void);
int zstdfix_uses_asm(void) { return zstdfix_huf_asm_loop(); }
#else
int zstdfix_uses_asm(void) { return 0; }
#endif
int zstdfix_huf_decompress(void) { return 1; }
