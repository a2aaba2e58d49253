// TrainedModel: what Train() returns and what the registry stores. A fitted XGBoost booster, a
// logistic regression, or a blend of the two (margin = w x booster margin + (1 - w) x logistic
// margin, w chosen by validation), the calibrator fitted on its held-out margins, the operating
// threshold and the training report (cross-validation results and the chosen hyperparameters).
//
// Prediction matches columns by name: the input matrix may order its columns differently or carry
// extra ones, but every feature the model was trained on must be present (InvalidArgument naming
// the first absent feature otherwise).
//
// Thread-safety: const methods may be called from several threads at once (the XGBoost booster
// serializes its own calls).
#ifndef VIGIL_MODEL_TRAINED_MODEL_H_
#define VIGIL_MODEL_TRAINED_MODEL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/features/matrix.h"
#include "vigil/model/calibration.h"
#include "vigil/model/logistic.h"
#include "vigil/model/threshold.h"
#include "vigil/model/xgboost.h"

namespace vigil::model {

enum class ModelKind { kXgboost, kLogistic, kBlend };
std::string_view ModelKindName(ModelKind kind);  // "xgboost", "logistic", "blend"
std::optional<ModelKind> ParseModelKind(std::string_view name);
// The files a model of `kind` is stored in (the registry's; TrainedModel::ModelFiles):
// "model.json" (XGBoost's own JSON model format), "logistic.json", and for a blend both plus
// "blend.json" (the weight).
std::vector<std::string> ModelFileNames(ModelKind kind);

struct Predictions {
  std::vector<double> margin;       // uncalibrated log-odds
  std::vector<double> probability;  // calibrated
  std::vector<uint8_t> alert;       // 1 where probability >= the operating threshold
};

class TrainedModel {
 public:
  // The pieces a model is made of. `booster` is set for kXgboost, `logistic` for kLogistic, both
  // for kBlend.
  struct Parts {
    ModelKind kind = ModelKind::kXgboost;
    std::vector<std::string> feature_names;
    std::unique_ptr<xgb::Booster> booster;
    std::optional<LogisticModel> logistic;
    // kBlend: the booster's share of the margin, in [0, 1]; Assemble sets 1 for kXgboost and 0
    // for kLogistic.
    double xgboost_weight = 1;
    Calibrator calibrator;
    ThresholdRule rule;            // row_utility is not kept: it belongs to the task's rows
    bool per_row_utility = false;  // kMaxUtility chose the threshold with per-row utilities
    OperatingPoint operating_point;
    nlohmann::ordered_json training;  // the TrainingReport as JSON (train.h)
    int num_threads = 0;              // for prediction; 0 = every core
  };
  // InvalidArgument when the pieces do not fit together (wrong model for the kind, feature count).
  static base::Result<TrainedModel> Assemble(Parts parts);

  ModelKind kind() const { return parts_.kind; }
  const std::vector<std::string>& feature_names() const { return parts_.feature_names; }
  const Calibrator& calibrator() const { return parts_.calibrator; }
  double threshold() const { return parts_.operating_point.threshold; }
  const ThresholdRule& threshold_rule() const { return parts_.rule; }
  const OperatingPoint& operating_point() const { return parts_.operating_point; }
  const nlohmann::ordered_json& training_report() const { return parts_.training; }
  // Null for the other kind (a blend has both). Explanations use these (explain module).
  const xgb::Booster* booster() const { return parts_.booster.get(); }
  const LogisticModel* logistic() const { return parts_.logistic ? &*parts_.logistic : nullptr; }
  // The booster's share of the margin: 1 for kXgboost, 0 for kLogistic, w for kBlend.
  double xgboost_weight() const { return parts_.xgboost_weight; }

  // One entry per row of `matrix`.
  base::Result<Predictions> Predict(const features::FeatureMatrix& matrix) const;
  base::Result<std::vector<double>> PredictMargin(const features::FeatureMatrix& matrix) const;

  // `matrix`'s values with its columns in the model's order: rows x feature_names().size().
  base::Result<std::vector<float>> AlignColumns(const features::FeatureMatrix& matrix) const;
  // An XGBoost matrix of `matrix`'s rows in the model's column order, feature names set.
  base::Result<xgb::DMatrix> ToDMatrix(const features::FeatureMatrix& matrix) const;

  // Serialization (the registry's files), by file name (ModelFileNames): XGBoost's own JSON model
  // format, vigil's logistic JSON (logistic.h), the blend's weight.
  base::Result<std::map<std::string, std::string>> ModelFiles() const;
  nlohmann::ordered_json ThresholdJson() const;
  // DataLoss when a file of ModelFileNames(kind) is missing from `model_files` or unreadable.
  static base::Result<TrainedModel> FromFiles(ModelKind kind,
                                              const std::map<std::string, std::string>& model_files,
                                              const nlohmann::json& calibration,
                                              const nlohmann::json& threshold,
                                              nlohmann::ordered_json training,
                                              std::vector<std::string> feature_names);

 private:
  explicit TrainedModel(Parts parts) : parts_(std::move(parts)) {}
  Parts parts_;
};

}  // namespace vigil::model

#endif  // VIGIL_MODEL_TRAINED_MODEL_H_
