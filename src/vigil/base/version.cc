#include "vigil/base/version.h"

namespace vigil::base {

std::string_view Version() { return VIGIL_VERSION; }

}  // namespace vigil::base
