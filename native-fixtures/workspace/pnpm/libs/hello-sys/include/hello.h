#ifndef HELLO_H
#define HELLO_H
int hello_answer(void);
#endif
