#ifndef KILN_GREET_H
#define KILN_GREET_H

/* Writes a greeting naming the architecture the library was compiled for into buf. */
int greet_arch(char *buf, int size);
int greet_sum(int a, int b);

#endif
