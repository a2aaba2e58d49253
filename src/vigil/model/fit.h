// Internal to the model module: fitting one model on a subset of rows (used by train.cc for each
// cross-validation fold and for the final fit).
#ifndef VIGIL_MODEL_FIT_H_
#define VIGIL_MODEL_FIT_H_

#include <span>
#include <string_view>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/features/matrix.h"
#include "vigil/model/train.h"
#include "vigil/model/xgboost.h"

namespace vigil::model::internal {

// Per-row training weights for `rows` (labelled) under `weighting`; sets *positive_weight.
std::vector<float> ClassWeights(const features::FeatureMatrix& m, std::span<const size_t> rows,
                                ClassWeighting weighting, double* positive_weight);

// An XGBoost matrix of `rows` with labels, weights and feature names.
base::Result<xgb::DMatrix> MakeDMatrix(const features::FeatureMatrix& m,
                                       std::span<const size_t> rows, std::span<const float> weights,
                                       int num_threads);

struct XgbFit {
  xgb::Booster booster;
  int rounds = 0;  // rounds kept (the best round count with early stopping)
};

// With `valid`: boosts up to options.max_rounds, stopping early_stopping_rounds after the last
// improvement of the AUROC on `valid`; `rounds` is the best round count (the booster
// may hold more rounds: predict with `rounds`). Without: exactly `rounds` rounds. With a `label`,
// options.progress hears "<label>, round N" after each round.
base::Result<XgbFit> FitXgboost(const xgb::DMatrix& train, const xgb::DMatrix* valid,
                                const XgboostParams& params, const TrainOptions& options,
                                int rounds, std::string_view label = {});

}  // namespace vigil::model::internal

#endif  // VIGIL_MODEL_FIT_H_
