#ifndef CORE_H
#define CORE_H

#ifdef __cplusplus
extern "C" {
#endif

/* A small static library the addons link inside themselves. */
int core_add(int a, int b);
const char *core_greeting(void);

#ifdef __cplusplus
}
#endif

#endif
