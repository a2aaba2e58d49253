#include "vigil/model/trained_model.h"

#include <fmt/format.h>

#include <cmath>
#include <unordered_map>

#include "vigil/base/json_integer.h"

namespace vigil::model {
namespace {

double NumberOrNaN(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j.at(key).is_number()) return std::nan("");
  return j.at(key).get<double>();
}

}  // namespace

constexpr char kBoosterFile[] = "model.json";
constexpr char kLogisticFile[] = "logistic.json";
constexpr char kBlendFile[] = "blend.json";

std::string_view ModelKindName(ModelKind kind) {
  switch (kind) {
    case ModelKind::kXgboost:
      return "xgboost";
    case ModelKind::kLogistic:
      return "logistic";
    case ModelKind::kBlend:
      return "blend";
  }
  return "?";
}

std::optional<ModelKind> ParseModelKind(std::string_view name) {
  for (ModelKind k : {ModelKind::kXgboost, ModelKind::kLogistic, ModelKind::kBlend}) {
    if (ModelKindName(k) == name) return k;
  }
  return std::nullopt;
}

std::vector<std::string> ModelFileNames(ModelKind kind) {
  switch (kind) {
    case ModelKind::kXgboost:
      return {kBoosterFile};
    case ModelKind::kLogistic:
      return {kLogisticFile};
    case ModelKind::kBlend:
      return {kBoosterFile, kLogisticFile, kBlendFile};
  }
  return {};
}

base::Result<TrainedModel> TrainedModel::Assemble(Parts parts) {
  if (!parts.rule.row_utility.empty()) {
    parts.per_row_utility = true;
    parts.rule.row_utility.clear();
    parts.rule.row_utility.shrink_to_fit();
  }
  const size_t n = parts.feature_names.size();
  if (n == 0) return base::InvalidArgumentError("a model needs at least one feature");
  const bool trees = parts.kind != ModelKind::kLogistic;
  const bool linear = parts.kind != ModelKind::kXgboost;
  if (trees) {
    if (parts.booster == nullptr) return base::InvalidArgumentError("model without its booster");
    VIGIL_ASSIGN_OR_RETURN(size_t booster_features, parts.booster->NumFeatures());
    if (booster_features != n) {
      return base::InvalidArgumentError(
          fmt::format("the booster has {} features and the model lists {}", booster_features, n));
    }
  } else {
    parts.booster.reset();
  }
  if (linear) {
    if (!parts.logistic) return base::InvalidArgumentError("model without its coefficients");
    if (parts.logistic->num_features() != n) {
      return base::InvalidArgumentError(
          fmt::format("the logistic model has {} features and the model lists {}",
                      parts.logistic->num_features(), n));
    }
  } else {
    parts.logistic.reset();
  }
  if (parts.kind == ModelKind::kBlend &&
      !(parts.xgboost_weight >= 0 && parts.xgboost_weight <= 1)) {
    return base::InvalidArgumentError("a blend's XGBoost weight must be within [0, 1]");
  }
  if (!trees) parts.xgboost_weight = 0;
  if (!linear) parts.xgboost_weight = 1;
  return TrainedModel(std::move(parts));
}

base::Result<std::vector<float>> TrainedModel::AlignColumns(
    const features::FeatureMatrix& matrix) const {
  const auto& names = parts_.feature_names;
  if (matrix.values.size() != matrix.num_rows() * matrix.num_cols()) {
    return base::InvalidArgumentError("feature matrix values do not match its shape");
  }
  for (size_t i = 0; i < matrix.values.size(); ++i) {
    if (std::isinf(matrix.values[i])) {
      return base::InvalidArgumentError(
          fmt::format("feature '{}' is infinite in row {} (use NaN for missing)",
                      matrix.names[i % matrix.num_cols()], i / matrix.num_cols() + 1));
    }
  }
  if (matrix.names == names) return std::vector<float>(matrix.values.begin(), matrix.values.end());
  std::unordered_map<std::string_view, size_t> column;
  for (size_t j = 0; j < matrix.num_cols(); ++j) column.emplace(matrix.names[j], j);
  std::vector<size_t> source(names.size());
  for (size_t j = 0; j < names.size(); ++j) {
    auto it = column.find(names[j]);
    if (it == column.end()) {
      return base::InvalidArgumentError(
          fmt::format("the model's feature '{}' is not in the feature matrix", names[j]));
    }
    source[j] = it->second;
  }
  std::vector<float> out(matrix.num_rows() * names.size());
  for (size_t r = 0; r < matrix.num_rows(); ++r) {
    const float* in = matrix.row(r);
    for (size_t j = 0; j < names.size(); ++j) out[r * names.size() + j] = in[source[j]];
  }
  return out;
}

base::Result<xgb::DMatrix> TrainedModel::ToDMatrix(const features::FeatureMatrix& matrix) const {
  VIGIL_ASSIGN_OR_RETURN(std::vector<float> values, AlignColumns(matrix));
  VIGIL_ASSIGN_OR_RETURN(xgb::DMatrix d,
                         xgb::DMatrix::FromDense(values, matrix.num_rows(),
                                                 parts_.feature_names.size(), parts_.num_threads));
  VIGIL_RETURN_IF_ERROR(d.SetFeatureNames(parts_.feature_names));
  return d;
}

base::Result<std::vector<double>> TrainedModel::PredictMargin(
    const features::FeatureMatrix& matrix) const {
  if (matrix.num_rows() == 0) return std::vector<double>();
  std::vector<double> out(matrix.num_rows(), 0.0);
  const double w = xgboost_weight();
  if (parts_.booster) {
    VIGIL_ASSIGN_OR_RETURN(xgb::DMatrix d, ToDMatrix(matrix));
    VIGIL_ASSIGN_OR_RETURN(std::vector<float> m,
                           parts_.booster->Predict(d, xgb::PredictKind::kMargin));
    for (size_t r = 0; r < out.size(); ++r) out[r] = w * m[r];
  }
  if (parts_.logistic) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<float> values, AlignColumns(matrix));
    const size_t cols = parts_.feature_names.size();
    for (size_t r = 0; r < out.size(); ++r)
      out[r] += (1 - w) * parts_.logistic->Margin(values.data() + r * cols);
  }
  return out;
}

base::Result<Predictions> TrainedModel::Predict(const features::FeatureMatrix& matrix) const {
  Predictions p;
  VIGIL_ASSIGN_OR_RETURN(p.margin, PredictMargin(matrix));
  p.probability.resize(p.margin.size());
  p.alert.resize(p.margin.size());
  for (size_t i = 0; i < p.margin.size(); ++i) {
    p.probability[i] = parts_.calibrator.Probability(p.margin[i]);
    p.alert[i] = p.probability[i] >= threshold() ? 1 : 0;
  }
  return p;
}

base::Result<std::map<std::string, std::string>> TrainedModel::ModelFiles() const {
  std::map<std::string, std::string> files;
  if (parts_.booster) {
    VIGIL_ASSIGN_OR_RETURN(files[kBoosterFile], parts_.booster->SaveJson());
  }
  if (parts_.logistic) {
    nlohmann::ordered_json j = parts_.logistic->ToJson();
    j["feature_names"] = parts_.feature_names;
    files[kLogisticFile] = j.dump(1);
  }
  if (parts_.kind == ModelKind::kBlend) {
    files[kBlendFile] =
        nlohmann::ordered_json{
            {"margin", "xgboost_weight * XGBoost margin + (1 - xgboost_weight) * logistic margin"},
            {"xgboost_weight", parts_.xgboost_weight}}
            .dump(2);
  }
  return files;
}

nlohmann::ordered_json TrainedModel::ThresholdJson() const {
  nlohmann::ordered_json j = parts_.operating_point.ToJson(parts_.rule);
  if (parts_.rule.kind == ThresholdRule::Kind::kMaxUtility) {
    j["utility"] = !parts_.per_row_utility
                       ? nlohmann::ordered_json{{"true_positive", parts_.rule.true_positive},
                                                {"false_positive", parts_.rule.false_positive},
                                                {"false_negative", parts_.rule.false_negative},
                                                {"true_negative", parts_.rule.true_negative}}
                       : nlohmann::ordered_json("per-row, supplied by the task");
  }
  return j;
}

base::Result<TrainedModel> TrainedModel::FromFiles(
    ModelKind kind, const std::map<std::string, std::string>& model_files,
    const nlohmann::json& calibration, const nlohmann::json& threshold,
    nlohmann::ordered_json training, std::vector<std::string> feature_names) {
  for (const std::string& name : ModelFileNames(kind)) {
    if (!model_files.contains(name)) {
      return base::DataLossError(fmt::format("the model's {} is missing", name));
    }
  }
  Parts parts;
  parts.kind = kind;
  parts.feature_names = std::move(feature_names);
  if (kind != ModelKind::kLogistic) {
    VIGIL_ASSIGN_OR_RETURN(xgb::Booster b, xgb::Booster::FromJson(model_files.at(kBoosterFile)));
    parts.booster = std::make_unique<xgb::Booster>(std::move(b));
  }
  if (kind != ModelKind::kXgboost) {
    nlohmann::json j = nlohmann::json::parse(model_files.at(kLogisticFile), nullptr,
                                             /*allow_exceptions=*/false);
    if (j.is_discarded()) return base::DataLossError("logistic model is not valid JSON");
    VIGIL_ASSIGN_OR_RETURN(LogisticModel m, LogisticModel::FromJson(j));
    parts.logistic = std::move(m);
  }
  if (kind == ModelKind::kBlend) {
    nlohmann::json j = nlohmann::json::parse(model_files.at(kBlendFile), nullptr,
                                             /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object() || !j.contains("xgboost_weight") ||
        !j.at("xgboost_weight").is_number()) {
      return base::DataLossError("blend.json has no numeric xgboost_weight");
    }
    parts.xgboost_weight = j.at("xgboost_weight").get<double>();
  }
  VIGIL_ASSIGN_OR_RETURN(parts.calibrator, Calibrator::FromJson(calibration));
  try {
    auto rule = ParseThresholdRule(threshold.at("rule").get<std::string>());
    if (!rule) return base::DataLossError("threshold has an unknown rule");
    parts.rule.kind = *rule;
    parts.rule.target = threshold.value("target", 0.0);
    parts.per_row_utility = threshold.contains("utility") && threshold.at("utility").is_string();
    if (threshold.contains("utility") && threshold.at("utility").is_object()) {
      const auto& u = threshold.at("utility");
      parts.rule.true_positive = u.at("true_positive").get<double>();
      parts.rule.false_positive = u.at("false_positive").get<double>();
      parts.rule.false_negative = u.at("false_negative").get<double>();
      parts.rule.true_negative = u.at("true_negative").get<double>();
    }
    parts.operating_point.threshold = threshold.at("threshold").get<double>();
    if (!(parts.operating_point.threshold >= 0 && parts.operating_point.threshold <= 1)) {
      return base::DataLossError("threshold.json: the threshold must be a number from 0 to 1");
    }
    const auto& held = threshold.at("held_out");
    parts.operating_point.sensitivity = NumberOrNaN(held, "sensitivity");
    parts.operating_point.specificity = NumberOrNaN(held, "specificity");
    parts.operating_point.ppv = NumberOrNaN(held, "ppv");
    parts.operating_point.alert_rate = NumberOrNaN(held, "alert_rate");
    parts.operating_point.utility = held.value("utility", 0.0);
  } catch (const nlohmann::json::exception& e) {
    return base::DataLossError(fmt::format("threshold.json: {}", base::JsonErrorText(e.what())));
  }
  parts.training = std::move(training);
  return Assemble(std::move(parts));
}

}  // namespace vigil::model
