// Synthetic FeatureMatrix fixtures with a known logistic ground truth (header-only, tests only).
//
// Subjects have `rows_per_subject` rows each; every row has `features` standard-normal columns
// (column j missing with probability `missing_rate` for j >= 1) and a label drawn from
//   P(y = 1) = sigmoid(intercept + sum_j weight_j x_j + interaction * x_0 * x_1 + subject effect)
// where a missing value counts as 0 in the truth. The true probability of every row is returned
// so that tests can compare a model with the best achievable one.
#ifndef VIGIL_TESTING_SYNTHETIC_MATRIX_H_
#define VIGIL_TESTING_SYNTHETIC_MATRIX_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "vigil/base/time.h"
#include "vigil/features/matrix.h"
#include "vigil/model/random.h"

namespace vigil::testing {

struct SyntheticSpec {
  size_t subjects = 400;
  size_t rows_per_subject = 3;
  std::vector<double> weights = {1.5, -1.0, 0.75, 0.0, 0.0};  // one per feature
  double intercept = -2.0;
  double interaction = 0.0;     // coefficient of x0 * x1 (a non-linearity trees can find)
  double subject_effect = 0.3;  // standard deviation of a per-subject offset
  double missing_rate = 0.1;
  uint64_t seed = 1;
  std::string subject_prefix = "s";
};

struct SyntheticData {
  features::FeatureMatrix matrix;
  std::vector<double> true_probability;
};

inline SyntheticData MakeSynthetic(const SyntheticSpec& spec) {
  model::Rng rng(spec.seed);
  SyntheticData out;
  auto& m = out.matrix;
  const size_t k = spec.weights.size();
  for (size_t j = 0; j < k; ++j) m.names.push_back("f" + std::to_string(j));
  const base::Instant start = base::MakeInstant(2000, 1, 1);
  for (size_t s = 0; s < spec.subjects; ++s) {
    const double offset = spec.subject_effect * rng.Normal();
    const std::string subject = spec.subject_prefix + std::to_string(s);
    for (size_t r = 0; r < spec.rows_per_subject; ++r) {
      m.rows.push_back({subject, subject + "-stay", start + base::Hours(static_cast<int64_t>(r))});
      double eta = spec.intercept + offset;
      std::vector<double> x(k);
      for (size_t j = 0; j < k; ++j) {
        x[j] = rng.Normal();
        const bool missing = j >= 1 && rng.Uniform() < spec.missing_rate;
        m.values.push_back(missing ? features::kMissing : static_cast<float>(x[j]));
        if (missing) x[j] = 0;
        eta += spec.weights[j] * x[j];
      }
      if (k >= 2) eta += spec.interaction * x[0] * x[1];
      const double p = 1.0 / (1.0 + std::exp(-eta));
      out.true_probability.push_back(p);
      m.labels.push_back(rng.Uniform() < p ? 1.0f : 0.0f);
    }
  }
  return out;
}

}  // namespace vigil::testing

#endif  // VIGIL_TESTING_SYNTHETIC_MATRIX_H_
