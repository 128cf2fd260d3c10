#ifndef ZWRAP_H
#define ZWRAP_H
#include <stddef.h>

/* Compresses then decompresses `text`; returns 1 when the round trip gives back the same bytes. */
int zwrap_roundtrip(const char *text, size_t *compressed_size);
const char *zwrap_zlib_version(void);

#endif
