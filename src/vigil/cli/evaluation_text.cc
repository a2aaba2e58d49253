#include "vigil/cli/evaluation_text.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>

namespace vigil::cli {

std::string Est(const evaluate::Estimate& e) {
  if (std::isnan(e.value)) return "n/a";
  if (std::isnan(e.lower)) return fmt::format("{:.3f}", e.value);
  // "-0.255-0.181" would read as a subtraction: a negative bound gets "to".
  const char* between = e.lower < 0 || e.upper < 0 ? " to " : "-";
  return fmt::format("{:.3f} ({:.3f}{}{:.3f})", e.value, e.lower, between, e.upper);
}

void PrintTaskScores(const evaluate::TaskScores& task) {
  if (task.physionet2012) {
    std::printf("            PhysioNet 2012: Event 1 %s, Event 2 (range-normalized H) %.2f\n",
                Est(task.event1).c_str(), task.event2);
  }
  if (task.physionet2019) {
    std::printf("            PhysioNet 2019: normalized utility %s\n", Est(task.utility).c_str());
  }
}

void PrintBaselines(const evaluate::Evaluation& ev, bool sensitivity) {
  for (const auto& b : ev.baselines) {
    std::printf("  baseline  %-8s AUROC %s", b.name.c_str(), Est(b.discrimination.auroc).c_str());
    if (sensitivity && !std::isnan(b.at_threshold.threshold)) {
      std::printf(", sensitivity %s at >= %g", Est(b.at_threshold.sensitivity).c_str(),
                  b.at_threshold.threshold);
    }
    if (b.task.physionet2019) std::printf(", utility %s", Est(b.task.utility).c_str());
    if (b.task.physionet2012) std::printf(", Event 1 %s", Est(b.task.event1).c_str());
    std::printf("\n");
  }
}

}  // namespace vigil::cli
