#include "vigil/report/format.h"

#include <fmt/format.h>

#include <cmath>

#include "vigil/report/svg.h"

namespace vigil::report::internal {
namespace {

constexpr char kDash[] = "\u2014";
constexpr char kThinSpace[] = "\u2009";

}  // namespace

std::string Num(double v, int decimals) {
  if (!std::isfinite(v)) return kDash;
  return fmt::format("{:.{}f}", v, decimals);
}

std::string Pct(double v, int decimals) {
  if (!std::isfinite(v)) return kDash;
  return fmt::format("{:.{}f}%", 100 * v, decimals);
}

bool HasInterval(const evaluate::Estimate& e) {
  return std::isfinite(e.lower) && std::isfinite(e.upper);
}

std::string WithInterval(const evaluate::Estimate& e, int decimals) {
  if (!std::isfinite(e.value)) return kDash;
  if (!HasInterval(e)) return Num(e.value, decimals);
  return Num(e.value, decimals) + " (" + Num(e.lower, decimals) + " to " + Num(e.upper, decimals) +
         ")";
}

std::string PctWithInterval(const evaluate::Estimate& e, int decimals) {
  if (!std::isfinite(e.value)) return kDash;
  if (!HasInterval(e)) return Pct(e.value, decimals);
  return Pct(e.value, decimals) + " (" + Pct(e.lower, decimals) + " to " + Pct(e.upper, decimals) +
         ")";
}

std::string PatientsAndOutcomes(const evaluate::Counts& c) {
  return fmt::format("{} patient{}, {} with the outcome", Count(static_cast<double>(c.patients)),
                     c.patients == 1 ? "" : "s", Count(static_cast<double>(c.positive_patients)));
}

std::string Count(double v) {
  if (!std::isfinite(v)) return kDash;
  std::string digits = fmt::format("{:.0f}", std::abs(v));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += kThinSpace;
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string Tag(std::string_view tag, std::string_view text) {
  return fmt::format("<{0}>{1}</{0}>", tag, EscapeXml(text));
}

std::string Row(const std::vector<std::string>& cells, bool header) {
  std::string out = "<tr>";
  for (const std::string& c : cells) out += header ? "<th>" + c + "</th>" : "<td>" + c + "</td>";
  return out + "</tr>\n";
}

std::string Stated(std::string_view text) {
  if (text.empty()) return "<p class=\"missing\">Not stated.</p>\n";
  return Tag("p", text) + "\n";
}

}  // namespace vigil::report::internal
