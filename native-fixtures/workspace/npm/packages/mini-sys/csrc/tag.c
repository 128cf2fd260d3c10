#include "minicrc.h"

uint32_t minicrc_tag(void) { return 1u; }
