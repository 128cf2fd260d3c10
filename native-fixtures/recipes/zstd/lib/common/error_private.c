#include "zstd_internal.h"
int zstdfix_error(void) { return 1; }
