#include "core.h"

const char *core_greeting(void) { return "hello from core"; }
