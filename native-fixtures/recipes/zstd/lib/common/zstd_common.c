#include "zstd_internal.h"
unsigned ZSTD_versionNumber(void) { return ZSTD_VERSION_NUMBER; }
int zstdfix_common(void) { return 1; }
