#include "vigil/base/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace vigil::base {

void InitLogging(int verbosity) {
  auto logger = spdlog::stderr_color_mt("vigil");
  logger->set_pattern("%^%l%$: %v");
  logger->set_level(verbosity <= 0   ? spdlog::level::warn
                    : verbosity == 1 ? spdlog::level::info
                                     : spdlog::level::debug);
  spdlog::set_default_logger(logger);
}

}  // namespace vigil::base
