#include "vigil/cli/command.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <thread>

namespace vigil::cli {

int ReportError(const base::Status& status, bool usage) {
  std::fprintf(stderr, "vigil: error: %s\n", status.message().c_str());
  if (usage && status.code() == base::StatusCode::kInvalidArgument) return kExitUsage;
  return kExitFailure;
}

CLI::Validator Between(double minimum, double maximum) {
  return CLI::Validator(
      [minimum, maximum](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0') return "must be a number";
        if (!(value >= minimum)) return fmt::format("must be at least {} (got {})", minimum, text);
        if (!(value <= maximum)) {
          return fmt::format("must be between {} and {} (got {})", minimum, maximum, text);
        }
        return "";
      },
      std::isinf(maximum) ? fmt::format("(at least {})", minimum)
                          : fmt::format("({} to {})", minimum, maximum));
}

CLI::Validator AtLeast(double minimum) {
  return Between(minimum, std::numeric_limits<double>::infinity());
}

void AddThreadsOption(CLI::App& sub, int& threads) {
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  sub.add_option("--threads", threads,
                 "Worker threads (0: one per core; more than the cores are not used)")
      ->capture_default_str()
      ->check(Between(0, kMaxThreads))
      ->transform(CLI::Validator(
          [cores](std::string& text) -> std::string {
            // CLI11 runs transforms before checks: a number out of range is left for the check.
            const long requested = std::strtol(text.c_str(), nullptr, 10);
            if (requested > cores && requested <= kMaxThreads) text = std::to_string(cores);
            return "";
          },
          ""));
}

void AddSeedOption(CLI::App& sub, uint64_t& seed, const std::string& description) {
  sub.add_option("--seed", seed, description)
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            uint64_t value = 0;
            const char* end = text.data() + text.size();
            const auto [ptr, error] = std::from_chars(text.data(), end, value);
            if (text.empty() || error != std::errc() || ptr != end) {
              return fmt::format("must be a whole number from 0 to {} (got {})",
                                 std::numeric_limits<uint64_t>::max(), text);
            }
            return "";
          },
          "(0 to 2^64 - 1)"));
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
