#ifndef KIT_INTERNAL_H
#define KIT_INTERNAL_H
#define KIT_SCALE 1
#endif
