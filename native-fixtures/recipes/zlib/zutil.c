#include "zutil.h"
int zfix_adler32(void);
int zfix_compress(void);
int zfix_crc32(void);
int zfix_deflate(void);
int zfix_gzclose(void);
int zfix_gzlib(void);
int zfix_gzread(void);
int zfix_gzwrite(void);
int zfix_infback(void);
int zfix_inffast(void);
int zfix_inflate(void);
int zfix_inftrees(void);
int zfix_trees(void);
int zfix_uncompr(void);
const char *zlibVersion(void) { return ZLIB_VERSION; }
int zfix_count(void) {
  return 1
    + zfix_adler32()
    + zfix_compress()
    + zfix_crc32()
    + zfix_deflate()
    + zfix_gzclose()
    + zfix_gzlib()
    + zfix_gzread()
    + zfix_gzwrite()
    + zfix_infback()
    + zfix_inffast()
    + zfix_inflate()
    + zfix_inftrees()
    + zfix_trees()
    + zfix_uncompr()
  ;
}
