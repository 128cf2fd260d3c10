#include "zstd_internal.h"
int zstdfix_xxhash(void) { return 1; }
