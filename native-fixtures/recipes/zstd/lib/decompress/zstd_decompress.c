#include "zstd_internal.h"
int zstdfix_common(void); int zstdfix_error(void); int zstdfix_xxhash(void);
int zstdfix_compress(void); int zstdfix_huf_compress(void); int zstdfix_huf_decompress(void);
int zstdfix_count(void) {
  return zstdfix_common() + zstdfix_error() + zstdfix_xxhash() + zstdfix_compress() +
         zstdfix_huf_compress() + zstdfix_huf_decompress() + 1;
}
