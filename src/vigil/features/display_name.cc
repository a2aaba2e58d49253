#include "vigil/features/display_name.h"

#include <fmt/format.h>

#include <optional>

#include "vigil/task/spec.h"
#include "vigil/terminology/display.h"

namespace vigil::features {
namespace {

// "6 h", "30 min", "3 days": a window for reading, not for parsing back.
std::string WindowText(base::Duration d) {
  const int64_t minutes = d.count() / 60'000'000;
  if (minutes * 60'000'000 != d.count()) return task::FormatDuration(d);
  if (minutes >= 48 * 60 && minutes % (24 * 60) == 0) {
    return fmt::format("{} days", minutes / (24 * 60));
  }
  if (minutes % 60 == 0) return fmt::format("{} h", minutes / 60);
  return fmt::format("{} min", minutes);
}

// What a statistic says about the code, with its window when there is one.
std::string StatPhrase(task::Stat s, const std::optional<std::string>& window) {
  const std::string over = window ? " over " + *window : "";
  const std::string in = window ? " in " + *window : "";
  switch (s) {
    case task::Stat::kLast:
      return "latest" + in;
    case task::Stat::kFirst:
      return "first" + in;
    case task::Stat::kMin:
      return "lowest" + over;
    case task::Stat::kMax:
      return "highest" + over;
    case task::Stat::kMean:
      return "mean" + over;
    case task::Stat::kCount:
      return "times recorded" + in;
    case task::Stat::kSlope:
      return "trend" + over + " (per hour)";
    case task::Stat::kTimeSinceLast:
      return "hours since last recorded" + (window ? " (within " + *window + ")" : "");
    case task::Stat::kMissing:
      return "not recorded" + in;
    case task::Stat::kSum:
      return "total" + over;
  }
  return std::string(task::StatName(s));
}

std::string CodeName(std::string_view code, const terminology::CodeNames& names) {
  const std::string_view display = names.Display(code);
  return std::string(display.empty() ? code : display);
}

}  // namespace

std::string FeatureDisplayName(std::string_view column) {
  return FeatureDisplayName(column, terminology::CodeNames());
}

std::string FeatureDisplayName(std::string_view column, const terminology::CodeNames& names) {
  if (column == "stay.hours_since_start") return "Hours since the stay began";
  if (column == "stay.hours_since_hospital_admission") return "Hours since hospital admission";
  if (column == "demographics.age_years") return "Age (years)";
  if (column == "demographics.female") return "Female";
  if (column == "demographics.height_cm") return "Height (cm)";
  if (column == "demographics.weight_kg") return "Weight (kg)";
  if (column.starts_with("stay.unit.")) {
    return fmt::format("Care unit {}", column.substr(std::string_view("stay.unit.").size()));
  }
  if (column.starts_with("score.")) {
    std::string_view score = column.substr(std::string_view("score.").size());
    constexpr std::string_view kMissing = ".missing";
    if (score.size() > kMissing.size() && score.ends_with(kMissing)) {
      score.remove_suffix(kMissing.size());
      return fmt::format("{} parameters not recorded", score);
    }
    return fmt::format("{} score", score);
  }
  // CODE.STAT or CODE.STAT.WINDOW; codes may contain dots (ICD10CM/J96.12), so read from the end.
  const size_t last_dot = column.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) return std::string(column);
  const std::string_view last = column.substr(last_dot + 1);
  if (const std::optional<task::Stat> stat = task::StatFromName(last)) {
    return fmt::format("{}, {}", CodeName(column.substr(0, last_dot), names),
                       StatPhrase(*stat, std::nullopt));
  }
  const base::Result<base::Duration> window = task::ParseDuration(last);
  const size_t stat_dot = column.rfind('.', last_dot - 1);
  if (!window.ok() || stat_dot == std::string_view::npos || stat_dot == 0) {
    return std::string(column);
  }
  const std::optional<task::Stat> stat =
      task::StatFromName(column.substr(stat_dot + 1, last_dot - stat_dot - 1));
  if (!stat) return std::string(column);
  return fmt::format("{}, {}", CodeName(column.substr(0, stat_dot), names),
                     StatPhrase(*stat, WindowText(*window)));
}

}  // namespace vigil::features
