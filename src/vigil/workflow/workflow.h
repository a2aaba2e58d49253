// The workflows behind `vigil train`, `vigil evaluate` and `vigil predict`: a task and a store in,
// a model folder, an evaluation, a report or a predictions file out (docs/workflow.md).
//
// Train: the task's features are extracted from the store and its patient-level split is applied.
// The model is fitted on the training and validation patients (model::Train chooses
// hyperparameters, calibration and threshold by patient-grouped cross-validation among them); the
// test patients are never seen by any fit and are evaluated once at the end: those are the metrics
// the model folder records. The folder also keeps salted digests of the training patients'
// identifiers, so that a later evaluation on any store leaves those patients out.
//
// Evaluate: the model's task is run on a store; rows of patients the model was fitted on are left
// out (counted); the rest are predicted and evaluated with the task's challenge scores, subgroup
// attributes and baseline scores.
//
// Thread-safety: each function uses its store from the calling thread only.
#ifndef VIGIL_WORKFLOW_WORKFLOW_H_
#define VIGIL_WORKFLOW_WORKFLOW_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/evaluate/evaluation.h"
#include "vigil/features/extract.h"
#include "vigil/model/registry.h"
#include "vigil/model/train.h"
#include "vigil/report/report.h"
#include "vigil/report/shap.h"
#include "vigil/store/store.h"
#include "vigil/task/spec.h"

namespace vigil::workflow {

using ProgressFn = std::function<void(std::string_view)>;

struct TrainRequest {
  std::filesystem::path out;  // the model folder; must not exist. Empty: saved in `registry`
  std::filesystem::path registry = "vigil-models";  // as NAME/VERSION, NAME = the task's name
  model::ModelKind kind = model::ModelKind::kXgboost;
  uint64_t seed = 1;
  int folds = 5;
  int threads = 0;  // 0: every core
  // One XGBoost candidate instead of the default grid (the hyperparameters are then fixed).
  std::optional<model::XgboostParams> xgboost_params;
  int bags = 1;         // XGBoost's final refit: fits averaged (model::TrainOptions::bags)
  int bootstrap = 200;  // replicates for the intervals of the test-set evaluation
  ProgressFn progress;  // short lines; may be empty
};

// Which rows the evaluation used and why the others were left out.
struct RowAccount {
  int64_t rows = 0;                    // rows the task produced
  int64_t rows_training_patients = 0;  // left out: their patient was in the training set
  int64_t rows_evaluated = 0;
  int64_t patients_evaluated = 0;
};

struct TrainResult {
  std::filesystem::path dir;
  nlohmann::ordered_json training_json;
  int64_t rows_train = 0, rows_test = 0, rows_dropped = 0;
  int64_t patients_train = 0, patients_test = 0;
  std::optional<evaluate::Evaluation> test;  // nullopt when the split has no test patients
  features::Extraction extraction_summary;   // cohort report and counts (matrix emptied)
  double seconds_features = 0, seconds_train = 0, seconds_evaluate = 0;
};

base::Result<TrainResult> TrainTask(store::Store& store, const task::TaskSpec& spec,
                                    std::string_view task_yaml, const TrainRequest& request);

struct EvaluateRequest {
  int bootstrap = 200;
  uint64_t seed = 20240601;
  int threads = 0;
  bool include_training_patients = false;  // apparent performance: never call it validation
  bool shap = true;  // the SHAP summary (for the report; false: EvaluateResult::shap stays empty)
  ProgressFn progress;
};

struct EvaluateResult {
  evaluate::Evaluation evaluation;
  RowAccount rows;
  report::ModelCard card;
  std::optional<report::ShapSummary> shap;
  double seconds_features = 0, seconds_evaluate = 0;
};

base::Result<EvaluateResult> EvaluateModel(const model::StoredModel& stored, store::Store& store,
                                           const EvaluateRequest& request);

struct PredictRequest {
  int threads = 0;
  size_t explain_top = 0;  // > 0: the top contributions of each row, as a JSON column
  ProgressFn progress;
};

struct PredictResult {
  int64_t rows = 0;
  int64_t alerts = 0;
  int64_t patients = 0;
};

// Writes subject_id,stay_id,time,probability,alert,label[,explanation] sorted by subject and time.
base::Result<PredictResult> PredictToFile(const model::StoredModel& stored, store::Store& store,
                                          const std::filesystem::path& out,
                                          const PredictRequest& request);

// Parses an XGBoost hyperparameter file: a JSON object with any of the XgboostParams keys, or a
// model folder's hyperparameters.json (an XGBoost model's: its "hyperparameters" object is read,
// the rest, such as its round count, is what the new training chooses again).
base::Result<model::XgboostParams> ParseXgboostParams(std::string_view json_text);

// FailedPrecondition unless some feature varies across the training rows (not all missing, not all
// equal); warns when some features do not (naming the first few).
base::Status CheckSomeFeatureVaries(const features::FeatureMatrix& train);

}  // namespace vigil::workflow

#endif  // VIGIL_WORKFLOW_WORKFLOW_H_
