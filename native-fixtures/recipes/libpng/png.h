/* Stand-in png.h: the version macros and a few declarations, not libpng. */
#ifndef PNG_H
#define PNG_H
#include "pnglibconf.h"

#define PNG_LIBPNG_VER_STRING "1.6.43"
#define PNG_LIBPNG_VER 10643

const char *png_get_libpng_ver(void *png_ptr);
/* The version of the zlib libpng was linked against (calls into zlib). */
const char *pngfix_zlib_version(void);
/* 15 when every library source was compiled, +1 when the SIMD filters of the target were. */
int pngfix_count(void);
#endif
