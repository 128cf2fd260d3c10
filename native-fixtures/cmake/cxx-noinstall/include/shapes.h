#ifndef SHAPES_H
#define SHAPES_H
#if !defined(SHAPES_API)
#error "SHAPES_API must come from the library's interface definitions"
#endif
#ifdef __cplusplus
extern "C" {
#endif
/* Writes "<name> with <n> sides" into buf; returns the length. Implemented with std::string. */
int shapes_describe(const char *name, int sides, char *buf, int size);
#ifdef __cplusplus
}
#endif
#endif
