#include "vigil/cli/command.h"

#include <fmt/format.h>

#include <cstdio>

namespace vigil::cli {

int ReportError(const base::Status& status, bool usage) {
  std::fprintf(stderr, "vigil: error: %s\n", status.message().c_str());
  if (usage && status.code() == base::StatusCode::kInvalidArgument) return kExitUsage;
  return kExitFailure;
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
