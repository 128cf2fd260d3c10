#ifndef CLIB_H
#define CLIB_H

/* A tiny C library used by Kiln's cc plugin tests. */

#ifdef __cplusplus
extern "C" {
#endif

int clib_add(int a, int b);
int clib_mul(int a, int b);
/* Two files named strs.c (src/util and src/other): their objects must not collide. */
int clib_util_len(const char *s);
int clib_other_count(const char *s, char c);
const char *clib_greeting(void);

#ifdef __cplusplus
}
#endif

#endif
