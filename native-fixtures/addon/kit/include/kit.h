#ifndef ADDON_KIT_H
#define ADDON_KIT_H

#ifdef __cplusplus
extern "C" {
#endif

/* A shared library built by CMake; the addon finds it at run time through its rpath. */
int kit_scale(int value);
const char *kit_name(void);

#ifdef __cplusplus
}
#endif

#endif
