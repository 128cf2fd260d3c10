#ifndef MINICRC_H
#define MINICRC_H
#include <stddef.h>
#include <stdint.h>

#define MINICRC_VERSION "1.0"

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of len bytes. */
uint32_t minicrc32(const void *data, size_t len);
/* A tag mixed into every checksum; changing it proves dependents relink. */
uint32_t minicrc_tag(void);
#endif
