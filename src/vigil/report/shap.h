// The SHAP summary of the report, from per-row contributions the explain module supplies.
//
// Input: feature names, a row-major contribution matrix (rows x features, in log-odds units,
// without the bias column) and the feature values of the same rows (NaN = missing). Output: the
// features ranked by mean |SHAP| (the global importance bars) and, for the top features, a
// beeswarm-like summary: one dot per sampled row at x = its contribution, stacked vertically where
// dots crowd, coloured by the feature's value (its rank within the feature: blue low, red high,
// grey missing).
//
// Thread-safety: pure functions.
#ifndef VIGIL_REPORT_SHAP_H_
#define VIGIL_REPORT_SHAP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "vigil/base/status.h"

namespace vigil::report {

struct ShapInput {
  std::vector<std::string> names;    // features
  std::vector<float> contributions;  // rows x names.size(), row-major
  std::vector<float> values;         // rows x names.size(), row-major; NaN = missing
  // Human-readable names for the report ("Heart rate, highest over 6 h"); empty: use `names`.
  std::vector<std::string> display_names;
};

struct ShapDot {
  double contribution;
  double offset;      // vertical position within the feature's band, -0.5..0.5
  double value_rank;  // 0 (lowest value) .. 1 (highest); NaN when the value is missing
};

struct ShapFeature {
  std::string name;    // display name
  std::string column;  // the feature matrix's column name (ShapInput::names)
  double mean_abs;     // mean |contribution| over all rows
  std::vector<ShapDot> dots;
};

struct ShapSummary {
  size_t rows = 0;
  std::vector<ShapFeature> features;  // by decreasing mean |SHAP|, at most `top` of them
  double min_contribution = 0;        // over the dots shown
  double max_contribution = 0;
};

// Ranks features and samples at most `max_dots` rows per feature (evenly over the rows, so the
// summary is deterministic). Errors: matrix sizes that do not match the names.
base::Result<ShapSummary> SummarizeShap(const ShapInput& input, size_t top = 15,
                                        size_t max_dots = 400);

}  // namespace vigil::report

#endif  // VIGIL_REPORT_SHAP_H_
