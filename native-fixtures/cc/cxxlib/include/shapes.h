#ifndef SHAPES_H
#define SHAPES_H
#ifdef __cplusplus
extern "C" {
#endif
/* Sum of the areas of n squares of sides 1..n, computed by C++ code behind a C API. */
long shapes_total_area(int n);
#ifdef __cplusplus
}
#endif
#endif
