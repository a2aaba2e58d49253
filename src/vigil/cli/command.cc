#include "vigil/cli/command.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

namespace vigil::cli {

int ReportError(const base::Status& status, bool usage) {
  std::fprintf(stderr, "vigil: error: %s\n", status.message().c_str());
  if (usage && status.code() == base::StatusCode::kInvalidArgument) return kExitUsage;
  return kExitFailure;
}

CLI::Validator AtLeast(double minimum) {
  return CLI::Validator(
      [minimum](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0') return "must be a number";
        if (!(value >= minimum)) return fmt::format("must be at least {} (got {})", minimum, text);
        return "";
      },
      fmt::format("(at least {})", minimum));
}

std::string CommandLine(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) out += ' ';
    out += argv[i];
  }
  return out;
}

}  // namespace vigil::cli
