#include "snappy.h"

namespace snappy {
size_t Compress(const char* input, size_t input_length, std::string* compressed) {
  compressed->assign(input, input_length);
  return compressed->size();
}
}  // namespace snappy
