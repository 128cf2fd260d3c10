/* Stand-in snappy-c.h, not snappy. */
#ifndef THIRD_PARTY_SNAPPY_OPENSOURCE_SNAPPY_C_H_
#define THIRD_PARTY_SNAPPY_OPENSOURCE_SNAPPY_C_H_
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
typedef enum { SNAPPY_OK = 0, SNAPPY_INVALID_INPUT = 1, SNAPPY_BUFFER_TOO_SMALL = 2 } snappy_status;
size_t snappy_max_compressed_length(size_t source_length);
snappy_status snappy_compress(const char* input, size_t input_length, char* compressed,
                              size_t* compressed_length);
#ifdef __cplusplus
}
#endif
#endif
