// Internal to the report module: numbers and HTML fragments as text.
#ifndef VIGIL_REPORT_FORMAT_H_
#define VIGIL_REPORT_FORMAT_H_

#include <string>
#include <string_view>
#include <vector>

#include "vigil/evaluate/bootstrap.h"
#include "vigil/evaluate/evaluation.h"

namespace vigil::report::internal {

// "0.842", or an em dash for NaN.
std::string Num(double v, int decimals = 3);
// "12.3%", or an em dash for NaN.
std::string Pct(double v, int decimals = 1);
// Whether `e` has a bootstrap interval (both ends finite).
bool HasInterval(const evaluate::Estimate& e);
// "0.842 (0.815 to 0.866)"; the interval is left out when undefined.
std::string WithInterval(const evaluate::Estimate& e, int decimals = 3);
std::string PctWithInterval(const evaluate::Estimate& e, int decimals = 1);
// Thousands separated by a thin space: "12 345".
std::string Count(double v);

// "177 patients, 7 with the outcome"; "1 patient, 1 with the outcome".
std::string PatientsAndOutcomes(const evaluate::Counts& c);

// <tag>escaped text</tag>
std::string Tag(std::string_view tag, std::string_view text);
// A table row of already-built cells (each escaped by the caller, or built with Tag).
std::string Row(const std::vector<std::string>& cells, bool header = false);
// The text, or "Not stated." when empty, escaped, as a paragraph.
std::string Stated(std::string_view text);

}  // namespace vigil::report::internal

#endif  // VIGIL_REPORT_FORMAT_H_
