#ifndef VIGIL_BASE_VERSION_H_
#define VIGIL_BASE_VERSION_H_

#include <string_view>

namespace vigil::base {

// The version of this vigil build, from the CMake project version ("0.1.0").
std::string_view Version();

}  // namespace vigil::base

#endif  // VIGIL_BASE_VERSION_H_
