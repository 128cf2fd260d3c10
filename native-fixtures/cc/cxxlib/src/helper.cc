#include <string>

// A second C++ translation unit with another extension (.cc).
std::string shapes_name() { return std::string("squares"); }
