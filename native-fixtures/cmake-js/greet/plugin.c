#include "greet.h"

const char *greet_plugin_name(void) { return greet(); }
