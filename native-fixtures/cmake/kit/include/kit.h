#ifndef KIT_H
#define KIT_H

/* From the shared library kit_core. */
const char *kit_greeting(void);
int kit_add(int a, int b);

/* From the static library kit_util (which calls into kit_core and libm). */
double kit_hypot(double a, double b);
int kit_sum3(int a, int b, int c);

#endif
