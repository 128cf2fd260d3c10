#include "pngpriv.h"
#include <zlib.h>
int pngfix_pngerror(void);
int pngfix_pngget(void);
int pngfix_pngmem(void);
int pngfix_pngpread(void);
int pngfix_pngread(void);
int pngfix_pngrio(void);
int pngfix_pngrtran(void);
int pngfix_pngrutil(void);
int pngfix_pngset(void);
int pngfix_pngtrans(void);
int pngfix_pngwio(void);
int pngfix_pngwrite(void);
int pngfix_pngwtran(void);
int pngfix_pngwutil(void);
int pngfix_simd(void);
const char *png_get_libpng_ver(void *png_ptr) { (void)png_ptr; return PNG_LIBPNG_VER_STRING; }
const char *pngfix_zlib_version(void) { return zlibVersion(); }
int pngfix_count(void) {
  return 1
    + pngfix_pngerror()
    + pngfix_pngget()
    + pngfix_pngmem()
    + pngfix_pngpread()
    + pngfix_pngread()
    + pngfix_pngrio()
    + pngfix_pngrtran()
    + pngfix_pngrutil()
    + pngfix_pngset()
    + pngfix_pngtrans()
    + pngfix_pngwio()
    + pngfix_pngwrite()
    + pngfix_pngwtran()
    + pngfix_pngwutil()
    + pngfix_simd();
}
