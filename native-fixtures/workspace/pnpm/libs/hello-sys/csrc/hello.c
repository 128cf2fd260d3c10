#include "hello.h"

int hello_answer(void) { return 42; }
