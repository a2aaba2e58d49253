// FeatureMatrix: the dense table that features produce and models consume.
//
// One row per prediction time (a task's index time), one column per feature. Values are float,
// row-major; NaN means missing (XGBoost and the logistic model both handle it). Rows are sorted by
// subject, then time.
#ifndef VIGIL_FEATURES_MATRIX_H_
#define VIGIL_FEATURES_MATRIX_H_

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "vigil/base/memory.h"
#include "vigil/base/time.h"

namespace vigil::features {

inline constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

// Which prediction a row is: the source's own patient and stay identifiers and the prediction time.
struct RowKey {
  std::string subject_id;
  std::string stay_id;
  base::Instant time;
};

struct FeatureMatrix {
  std::vector<std::string> names;  // column names, e.g. "LOINC/8867-4.max.6h" (docs/features.md)
  std::vector<RowKey> rows;
  base::FloatBuffer values;   // rows.size() * names.size(), row-major
  std::vector<float> labels;  // one per row: 1, 0, or NaN when unknown

  size_t num_rows() const { return rows.size(); }
  size_t num_cols() const { return names.size(); }
  float at(size_t row, size_t col) const { return values[row * names.size() + col]; }
  float& at(size_t row, size_t col) { return values[row * names.size() + col]; }
  const float* row(size_t r) const { return values.data() + r * names.size(); }
  bool has_label(size_t r) const { return !std::isnan(labels[r]); }
};

}  // namespace vigil::features

#endif  // VIGIL_FEATURES_MATRIX_H_
