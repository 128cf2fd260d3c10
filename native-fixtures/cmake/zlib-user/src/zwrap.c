#include "zwrap.h"

#include <string.h>
#include <zlib.h>

int zwrap_roundtrip(const char *text, size_t *compressed_size) {
  unsigned char packed[1024];
  unsigned char unpacked[1024];
  uLongf packed_len = sizeof packed;
  uLongf unpacked_len = sizeof unpacked;
  uLong len = (uLong)strlen(text) + 1;
  if (compress(packed, &packed_len, (const Bytef *)text, len) != Z_OK) return 0;
  if (uncompress(unpacked, &unpacked_len, packed, packed_len) != Z_OK) return 0;
  *compressed_size = packed_len;
  return unpacked_len == len && memcmp(unpacked, text, len) == 0;
}

const char *zwrap_zlib_version(void) { return zlibVersion(); }
