#ifndef ZUTIL_H
#define ZUTIL_H
#include "zlib.h"
#ifndef ZFIX_ZCONF_GENERATED
#error "zconf.h was not found"
#endif
#endif
