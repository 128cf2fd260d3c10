// Stand-in snappy.h, not snappy.
#ifndef THIRD_PARTY_SNAPPY_SNAPPY_H__
#define THIRD_PARTY_SNAPPY_SNAPPY_H__
#include <cstddef>
#include <string>

namespace snappy {
// "Compresses" by copying (enough to prove the C++ library links and runs).
size_t Compress(const char* input, size_t input_length, std::string* compressed);
}  // namespace snappy
#endif
