// Train(): from a labelled FeatureMatrix to a calibrated model with an operating threshold.
//
// Procedure (docs/models.md, "Training"):
//  1. Rows without a label are set aside (counted in the report). Rows are assigned to k
//     patient-grouped, stratified folds (folds.h; groups = RowKey::subject_id).
//  2. Class imbalance: with ClassWeighting::kBalanced every positive row weighs n_neg / n_pos (of
//     the rows being fitted), every negative row 1. For XGBoost this is an instance weight rather
//     than scale_pos_weight, and a hyperparameter like the others: the default search tries every
//     tree shape with and without it (weighting up a rare class can cost discrimination).
//  3. Each hyperparameter candidate is fitted k times (on k-1 folds; XGBoost with early stopping on
//     the AUROC of the held-out fold) and scored by the mean held-out-fold AUROC. The best
//     candidate wins (the earlier one on a tie: grids list simpler candidates first).
//  4. The held-out margins of the winner's k fits (each row predicted by the fit that did not see
//     its patient) are used to choose and fit the calibrator (calibration.h) and then the
//     threshold (threshold.h).
//  5. The final model is refitted on every labelled row with the winning hyperparameters (XGBoost:
//     the mean of the k early-stopping round counts; with options.bags > 1, that many fits with
//     consecutive seeds, averaged into one booster).
// A blend (ModelKind::kBlend) runs steps 3 for both XGBoost and logistic regression on the same
// folds, keeps the best candidate of each, and mixes their held-out margins as w x XGBoost + (1 -
// w) x logistic, w from 1, 0.9, ..., 0 by the mean held-out-fold AUROC (the larger w on a tie, so
// plain XGBoost wins unless the mix does better). Steps 4 and 5 then use the mixed margins and
// refit both parts.
// Every step is deterministic for a given seed and num_threads.
#ifndef VIGIL_MODEL_TRAIN_H_
#define VIGIL_MODEL_TRAIN_H_

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/features/matrix.h"
#include "vigil/model/calibration.h"
#include "vigil/model/threshold.h"
#include "vigil/model/trained_model.h"

namespace vigil::model {

enum class ClassWeighting { kNone, kBalanced };

// "none" / "balanced".
std::string_view ClassWeightingName(ClassWeighting weighting);
std::optional<ClassWeighting> ParseClassWeighting(std::string_view name);

struct XgboostParams {
  int max_depth = 4;
  double learning_rate = 0.05;
  double min_child_weight = 1;
  double subsample = 0.8;
  double colsample_bytree = 0.8;
  double reg_lambda = 1;
  double reg_alpha = 0;
  int max_bin = 256;
  ClassWeighting class_weighting = ClassWeighting::kBalanced;
  nlohmann::ordered_json ToJson() const;
};

// The default search: depth 3 and 6, each with light and strong leaf regularization, each with
// balanced class weights and without (balanced first).
std::vector<XgboostParams> DefaultXgboostGrid();
// The default logistic search: L2 penalties from 1e-4 to 1 (per unit of mean log loss), strongest
// first.
std::vector<double> DefaultLogisticL2Grid();

struct TrainOptions {
  ModelKind kind = ModelKind::kXgboost;
  int folds = 5;
  uint64_t seed = 0;
  int num_threads = 0;  // 0 = every core
  // Logistic regression's weighting; XGBoost candidates carry their own (XgboostParams).
  ClassWeighting class_weighting = ClassWeighting::kBalanced;
  std::vector<XgboostParams> xgboost_grid;  // empty: DefaultXgboostGrid()
  int max_rounds = 2000;
  int early_stopping_rounds = 50;
  // XGBoost's final refit as a bag: this many fits with seeds seed, seed + 1, ..., each of the
  // chosen round count, averaged on the margin scale into one booster (xgb::AverageBoosters).
  // Averaging fits that differ only in their row and column subsamples lowers the variance of the
  // final model; the search, calibration and threshold are unchanged (they use single fits' held-
  // out margins). 1: a single fit.
  int bags = 1;
  std::vector<double> logistic_l2_grid;          // empty: DefaultLogisticL2Grid()
  std::optional<CalibrationMethod> calibration;  // unset: Platt or isotonic, chosen by validation
  // kMaxUtility with row_utility: one entry per row of the matrix (labelled or not).
  ThresholdRule threshold;
  // Called with a short line after each fit ("candidate 2/4, fold 3/5"). May be empty.
  std::function<void(std::string_view)> progress;
};

struct CandidateResult {
  nlohmann::ordered_json hyperparameters;
  std::vector<double> fold_auroc;
  std::vector<int> fold_rounds;  // XGBoost: best round count per fold
  double mean_auroc = 0;
};

// What training did and how the chosen configuration fared on held-out folds. Every figure here is
// computed on predictions for patients the predicting fit did not see.
struct TrainingReport {
  std::string model;  // "xgboost" / "logistic" / "blend"
  uint64_t seed = 0;
  int folds = 0;
  size_t rows = 0;  // labelled rows used
  size_t unlabelled_rows = 0;
  size_t subjects = 0;
  size_t positives = 0;
  std::string class_weighting;              // of the chosen candidate
  double positive_weight = 1;               // of the final fit
  std::vector<CandidateResult> candidates;  // a blend's XGBoost candidates
  size_t chosen = 0;
  int final_rounds = 0;  // XGBoost
  int bags = 1;          // XGBoost fits averaged into the final model
  // A blend's logistic part, and the weights tried: (XGBoost weight, mean held-out-fold AUROC).
  std::vector<CandidateResult> logistic_candidates;
  size_t logistic_chosen = 0;
  std::string logistic_class_weighting;
  std::vector<std::pair<double, double>> blend_weights;
  double xgboost_weight = 1;
  double held_out_auroc = 0;  // pooled out-of-fold AUROC of the chosen candidate
  std::string calibration;
  double brier_uncalibrated = 0;  // cross-validated (calibration.h)
  double brier_platt = 0;
  double brier_isotonic = 0;
  double ece_uncalibrated = 0;  // of the held-out margins through sigmoid
  double ece_calibrated = 0;    // cross-fitted: each fold calibrated by a fit on the others
  nlohmann::ordered_json ToJson() const;
};

// Trains per `options`. InvalidArgument on a malformed matrix (shape, duplicate or empty names,
// labels other than 0/1/NaN) or options; FailedPrecondition when the data cannot support the
// folds (too few subjects with each outcome).
base::Result<TrainedModel> Train(const features::FeatureMatrix& matrix,
                                 const TrainOptions& options);

}  // namespace vigil::model

#endif  // VIGIL_MODEL_TRAIN_H_
