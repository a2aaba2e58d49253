#include "vigil/model/fit.h"

#include <fmt/format.h>

#include <string>
#include <utility>

namespace vigil::model::internal {

std::vector<float> ClassWeights(const features::FeatureMatrix& m, std::span<const size_t> rows,
                                ClassWeighting weighting, double* positive_weight) {
  size_t positives = 0;
  for (size_t r : rows) positives += m.labels[r] > 0.5f;
  const size_t negatives = rows.size() - positives;
  double w = 1.0;
  if (weighting == ClassWeighting::kBalanced && positives > 0 && negatives > 0) {
    w = static_cast<double>(negatives) / static_cast<double>(positives);
  }
  if (positive_weight != nullptr) *positive_weight = w;
  std::vector<float> out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    out[i] = m.labels[rows[i]] > 0.5f ? static_cast<float>(w) : 1.0f;
  }
  return out;
}

base::Result<xgb::DMatrix> MakeDMatrix(const features::FeatureMatrix& m,
                                       std::span<const size_t> rows, std::span<const float> weights,
                                       int num_threads) {
  const size_t cols = m.num_cols();
  std::vector<float> values(rows.size() * cols);
  std::vector<float> labels(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    std::copy(m.row(rows[i]), m.row(rows[i]) + cols,
              values.begin() + static_cast<ptrdiff_t>(i * cols));
    labels[i] = m.labels[rows[i]];
  }
  VIGIL_ASSIGN_OR_RETURN(xgb::DMatrix d,
                         xgb::DMatrix::FromDense(values, rows.size(), cols, num_threads));
  VIGIL_RETURN_IF_ERROR(d.SetLabels(labels));
  VIGIL_RETURN_IF_ERROR(d.SetWeights(weights));
  VIGIL_RETURN_IF_ERROR(d.SetFeatureNames(m.names));
  return d;
}

namespace {

base::Status Configure(xgb::Booster& b, const XgboostParams& p, const TrainOptions& o) {
  const std::pair<std::string, std::string> params[] = {
      {"objective", "binary:logistic"},
      {"eval_metric", "auc"},
      {"tree_method", "hist"},
      {"verbosity", "0"},
      {"nthread", std::to_string(o.num_threads)},
      {"seed", std::to_string(o.seed)},
      {"max_depth", std::to_string(p.max_depth)},
      {"eta", fmt::format("{}", p.learning_rate)},
      {"min_child_weight", fmt::format("{}", p.min_child_weight)},
      {"subsample", fmt::format("{}", p.subsample)},
      {"colsample_bytree", fmt::format("{}", p.colsample_bytree)},
      {"lambda", fmt::format("{}", p.reg_lambda)},
      {"alpha", fmt::format("{}", p.reg_alpha)},
      {"max_bin", std::to_string(p.max_bin)},
  };
  for (const auto& [name, value] : params) VIGIL_RETURN_IF_ERROR(b.SetParam(name, value));
  return base::Status::Ok();
}

}  // namespace

base::Result<XgbFit> FitXgboost(const xgb::DMatrix& train, const xgb::DMatrix* valid,
                                const XgboostParams& params, const TrainOptions& options,
                                int rounds, std::string_view label) {
  auto progress = [&](int it) {
    if (options.progress && !label.empty()) {
      options.progress(fmt::format("{}, round {}", label, it + 1));
    }
  };
  std::vector<const xgb::DMatrix*> cache = {&train};
  if (valid != nullptr) cache.push_back(valid);
  VIGIL_ASSIGN_OR_RETURN(xgb::Booster booster, xgb::Booster::Create(cache));
  VIGIL_RETURN_IF_ERROR(Configure(booster, params, options));
  if (valid == nullptr) {
    for (int it = 0; it < rounds; ++it) {
      VIGIL_RETURN_IF_ERROR(booster.UpdateOneIter(it, train));
      progress(it);
    }
    return XgbFit{std::move(booster), rounds};
  }
  double best = 0;
  int best_rounds = 0;
  for (int it = 0; it < options.max_rounds; ++it) {
    VIGIL_RETURN_IF_ERROR(booster.UpdateOneIter(it, train));
    progress(it);
    // Held-out AUROC, the measure candidates are chosen by (weighting does not change it: the
    // weights are constant within each class).
    VIGIL_ASSIGN_OR_RETURN(double auc, booster.Evaluate(it, *valid));
    if (best_rounds == 0 || auc > best) {
      best = auc;
      best_rounds = it + 1;
    } else if (it + 1 - best_rounds >= options.early_stopping_rounds) {
      break;
    }
  }
  return XgbFit{std::move(booster), best_rounds};
}

}  // namespace vigil::model::internal
