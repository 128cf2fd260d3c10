#ifndef GREET_H
#define GREET_H
/* Writes "hello, <name>" (with GREET_SUFFIX appended) into buf; returns the length. */
int greet(char *buf, int size, const char *name);
#endif
