/* Found through the lib/common include dir from compress/ and decompress/. */
#ifndef ZSTD_CCOMMON_H_MODULE
#define ZSTD_CCOMMON_H_MODULE
#include "zstd.h"
#define ZSTDFIX_INTERNAL 1
#endif
