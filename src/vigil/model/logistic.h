// L2-regularized logistic regression on winsorized, standardized features with missingness
// indicators.
//
// Preprocessing (fitted on the training rows only): each feature's present values are clipped to
// their 1st and 99th percentiles (winsorized; LogisticOptions::clip_quantile), then the feature is
// mean-imputed where missing and standardized by its mean and standard deviation over the rows
// where it is present; a feature that is missing in some training rows and present in others also
// gets an indicator column (1 where missing), itself standardized. A feature that is constant (or
// never present) in training gets no weight. The model is
//   margin(x) = intercept + sum_j coefficient_j z_j + indicator_coefficient_j m_j,
// fitted by Newton's method (iteratively reweighted least squares) with a backtracking line search
// on the weighted mean log loss + (l2 / 2) * |coefficients|^2 (the intercept is not penalized).
// The objective is strictly convex for l2 > 0, so the optimum is unique; the fit is deterministic
// for a given num_threads (partial sums are added in a fixed order).
//
// Contributions are exact for this model: coefficient x standardized deviation of the clipped value
// from the training mean, per feature (its indicator's term included), plus the intercept; they sum
// to the margin.
#ifndef VIGIL_MODEL_LOGISTIC_H_
#define VIGIL_MODEL_LOGISTIC_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/features/matrix.h"

namespace vigil::model {

// What the model is, in words for reports and model cards.
inline constexpr std::string_view kLogisticDescription =
    "L2 logistic regression on winsorized, standardized features with missingness indicators";

struct LogisticOptions {
  double l2 = 1e-2;  // penalty on the standardized coefficients (per unit of mean loss)
  // Present values below the training rows' clip_quantile quantile or above their
  // 1 - clip_quantile quantile are clipped to those bounds (winsorized) before standardizing, so a
  // few extreme laboratory values do not set a coefficient's scale; 0: no clipping.
  double clip_quantile = 0.01;
  int max_iterations = 100;
  double tolerance = 1e-9;  // stop when the Newton decrement^2 / 2 falls below this
  int num_threads = 1;
};

class LogisticModel {
 public:
  // Fits on `rows` of `matrix` (their labels must be 0 or 1) with one weight per listed row.
  // InvalidArgument on mismatched sizes or unlabelled rows; FailedPrecondition when the rows hold a
  // single class.
  static base::Result<LogisticModel> Fit(const features::FeatureMatrix& matrix,
                                         std::span<const size_t> rows,
                                         std::span<const float> weights,
                                         const LogisticOptions& options);

  size_t num_features() const { return columns_.size(); }
  // `row` holds num_features() values in training column order (NaN = missing).
  double Margin(const float* row) const;
  // Writes num_features() + 1 values: one per feature, then the intercept.
  void Contributions(const float* row, std::span<float> out) const;

  double intercept() const { return intercept_; }
  // Coefficient of feature j on its standardized scale.
  double coefficient(size_t j) const { return columns_[j].coefficient; }
  int iterations() const { return iterations_; }
  bool converged() const { return converged_; }

  nlohmann::ordered_json ToJson() const;
  static base::Result<LogisticModel> FromJson(const nlohmann::json& json);

 private:
  struct Column {
    // Clipping bounds (LogisticOptions::clip_quantile); infinite when the column is not clipped.
    double lower = -std::numeric_limits<double>::infinity();
    double upper = std::numeric_limits<double>::infinity();
    double mean = 0;   // over present training values, clipped (the imputed value)
    double scale = 1;  // standard deviation; 1 when the column is constant
    bool indicator = false;
    double indicator_mean = 0;
    double indicator_scale = 1;
    double coefficient = 0;
    double indicator_coefficient = 0;

    bool clipped() const { return std::isfinite(lower); }
    double Clip(float v) const { return std::clamp<double>(v, lower, upper); }
  };
  friend class LogisticFitter;

  double FeatureTerm(size_t j, float value) const;

  std::vector<Column> columns_;
  double intercept_ = 0;
  int iterations_ = 0;
  bool converged_ = false;
};

}  // namespace vigil::model

#endif  // VIGIL_MODEL_LOGISTIC_H_
