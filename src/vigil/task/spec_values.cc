// The small value types of task files: durations, statistic names, code patterns (spec.h).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>

#include "vigil/base/text.h"
#include "vigil/task/spec.h"

namespace vigil::task {
namespace {

struct UnitDef {
  std::string_view name;
  base::Duration size;
};
// Largest first: FormatDuration picks the largest that divides evenly.
constexpr std::array<UnitDef, 5> kUnits = {{{"w", base::Days(7)},
                                            {"d", base::Days(1)},
                                            {"h", base::Hours(1)},
                                            {"min", base::Minutes(1)},
                                            {"s", std::chrono::seconds(1)}}};

constexpr std::array<std::string_view, 10> kStatNames = {
    "last", "first", "min", "max", "mean", "count", "slope", "time_since_last", "missing", "sum"};

}  // namespace

base::Result<base::Duration> ParseDuration(std::string_view text) {
  if (text == "0") return base::Duration(0);
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string_view unit = text.substr(digits);
  auto count = digits == 0 || digits > 9 ? std::nullopt : base::ParseInt64(text.substr(0, digits));
  if (!count) {
    return base::InvalidArgumentError(
        "expected a duration: a whole number and a unit (s, min, h, d, w), e.g. 6h");
  }
  for (const UnitDef& u : kUnits) {
    if (u.name == unit) return u.size * *count;
  }
  return base::InvalidArgumentError("unknown duration unit: use s, min, h, d or w (e.g. 6h)");
}

std::string FormatDuration(base::Duration d) {
  if (d == base::Duration(0)) return "0";
  for (const UnitDef& u : kUnits) {
    if (d % u.size == base::Duration(0)) return fmt::format("{}{}", d / u.size, u.name);
  }
  return fmt::format("{}us", d.count());
}

std::string_view StatName(Stat s) { return kStatNames[static_cast<size_t>(s)]; }

std::string StatNames() { return fmt::format("{}", fmt::join(kStatNames, ", ")); }

std::optional<Stat> StatFromName(std::string_view name) {
  for (size_t i = 0; i < kStatNames.size(); ++i) {
    if (kStatNames[i] == name) return static_cast<Stat>(i);
  }
  return std::nullopt;
}

bool CodeMatches(std::string_view pattern, std::string_view code) {
  if (!pattern.empty() && pattern.back() == '*') {
    return code.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1);
  }
  return pattern == code;
}

}  // namespace vigil::task
