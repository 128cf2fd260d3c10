/* Stand-in amalgamation: fails to compile unless the recipe passed the defines a 3.36 build needs. */
#include "sqlite3.h"
#ifndef SQLITE_ENABLE_JSON1
#error "SQLITE_ENABLE_JSON1 is needed before 3.38"
#endif
#if !defined(SQLITE_THREADSAFE) || SQLITE_THREADSAFE != 1
#error "SQLITE_THREADSAFE=1 expected"
#endif
#if defined(SQLITE_DQS) || defined(SQLITE_OMIT_DEPRECATED)
#error "upstream defaults expected: no SQLITE_DQS, no SQLITE_OMIT_DEPRECATED"
#endif
#ifndef SQLITE_ENABLE_FTS4
#error "SQLITE_ENABLE_FTS4 expected (configure's default)"
#endif
const char *sqlite3_libversion(void) { return SQLITE_VERSION; }
