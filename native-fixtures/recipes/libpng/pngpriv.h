#ifndef PNGPRIV_H
#define PNGPRIV_H
#include "png.h"
#ifndef PNGFIX_LIBCONF_COPIED
#error "pnglibconf.h was not found"
#endif
#endif
