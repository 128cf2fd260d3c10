/* Stand-in zstd.h: the version macros and a few declarations, not zstd. */
#ifndef ZSTD_H_235446
#define ZSTD_H_235446

#define ZSTD_VERSION_MAJOR    1
#define ZSTD_VERSION_MINOR    5
#define ZSTD_VERSION_RELEASE  6
#define ZSTD_VERSION_NUMBER  (ZSTD_VERSION_MAJOR *100*100 + ZSTD_VERSION_MINOR *100 + ZSTD_VERSION_RELEASE)

unsigned ZSTD_versionNumber(void);
/* 1 when the Huffman decoder runs the x86-64 assembly loop, 0 on the portable C path. */
int zstdfix_uses_asm(void);
/* One per compiled library source (lib/common, lib/compress, lib/decompress). */
int zstdfix_count(void);
#endif
