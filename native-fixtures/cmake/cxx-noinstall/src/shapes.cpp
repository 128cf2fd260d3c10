#include "shapes.h"

#include <cstring>
#include <string>

extern "C" int shapes_describe(const char *name, int sides, char *buf, int size) {
  std::string text = std::string(name) + " with " + std::to_string(sides) + " sides";
  std::strncpy(buf, text.c_str(), static_cast<size_t>(size));
  buf[size - 1] = '\0';
  return static_cast<int>(text.size());
}
