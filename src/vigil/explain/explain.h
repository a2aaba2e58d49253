// Explanations of predictions: additive feature contributions on the model's margin (log-odds,
// before calibration) that sum, with a bias term, to the margin of every row.
//
//   XGBoost: SHAP values from XGBoost's own TreeSHAP (exact for trees; a missing value follows the
//            tree's default direction, so a missing feature can carry a contribution).
//   Logistic: the exact linear contributions coefficient x standardized deviation from the
//            training mean (the missingness indicator's term counted with its feature); the bias
//            is the intercept. For a linear model with independent features these are the SHAP
//            values relative to the training mean.
// Calibration is monotone, so the ordering of contributions also orders the probability.
//
// Memory: Explain holds rows x (features + 1) floats; explain a large matrix in slices of rows.
#ifndef VIGIL_EXPLAIN_EXPLAIN_H_
#define VIGIL_EXPLAIN_EXPLAIN_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/features/matrix.h"
#include "vigil/model/trained_model.h"

namespace vigil::explain {

struct Contributions {
  std::vector<std::string> names;     // the model's features, in its order
  std::vector<size_t> matrix_column;  // column of names[j] in the explained matrix
  size_t rows = 0;
  std::vector<float> values;  // rows x (names.size() + 1), row-major; last = bias

  size_t width() const { return names.size() + 1; }
  float at(size_t row, size_t feature) const { return values[row * width() + feature]; }
  float bias(size_t row) const { return values[row * width() + names.size()]; }
  // Sum of the row's contributions and bias: the model's margin for the row.
  double Margin(size_t row) const;
};

// Contributions for every row of `matrix` (columns matched by name, as in prediction).
base::Result<Contributions> Explain(const model::TrainedModel& model,
                                    const features::FeatureMatrix& matrix);

struct TopContribution {
  std::string name;
  float value = 0;         // the feature's value in the row (NaN = missing)
  float contribution = 0;  // on the margin (log-odds)
  std::string display;     // the feature in words (features::FeatureDisplayName); set by the caller
};

// The `k` largest contributions of `row` by absolute value (ties: model column order).
// `matrix` is the one that was explained.
std::vector<TopContribution> TopContributions(const Contributions& c,
                                              const features::FeatureMatrix& matrix, size_t row,
                                              size_t k);

// [{"feature": name, "name": display (when set), "value": v or null, "contribution": c}, ...]
nlohmann::ordered_json ToJson(const std::vector<TopContribution>& top);

struct FeatureImportance {
  std::string name;
  double mean_abs = 0;  // mean |contribution| over rows: the global importance
  double mean = 0;      // mean signed contribution
};

// One entry per feature, most important first (ties: model column order).
std::vector<FeatureImportance> GlobalImportance(const Contributions& c);

}  // namespace vigil::explain

#endif  // VIGIL_EXPLAIN_EXPLAIN_H_
