/* Stand-in zlib.h: the version macros and a few declarations, not zlib. */
#ifndef ZLIB_H
#define ZLIB_H
#include "zconf.h"

#define ZLIB_VERSION "1.3.1"
#define ZLIB_VERNUM 0x1310

const char *zlibVersion(void);
/* Sum of one marker per library source: 15 when every file was compiled into the archive. */
int zfix_count(void);
#endif
