#include "snappy-c.h"
#include <cstring>
#include <string>
#include "snappy.h"

extern "C" {
size_t snappy_max_compressed_length(size_t source_length) { return 32 + source_length + source_length / 6; }

snappy_status snappy_compress(const char* input, size_t input_length, char* compressed,
                              size_t* compressed_length) {
  std::string out;
  snappy::Compress(input, input_length, &out);
  if (out.size() > *compressed_length) return SNAPPY_BUFFER_TOO_SMALL;
  std::memcpy(compressed, out.data(), out.size());
  *compressed_length = out.size();
  return SNAPPY_OK;
}
}
