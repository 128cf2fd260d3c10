/* Stand-in sqlite3.h, not SQLite. */
#ifndef SQLITE3_H
#define SQLITE3_H
#define SQLITE_VERSION        "3.36.0"
#define SQLITE_VERSION_NUMBER 3036000
const char *sqlite3_libversion(void);
#endif
