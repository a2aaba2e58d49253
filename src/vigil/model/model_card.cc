#include "vigil/model/model_card.h"

#include <fmt/format.h>

#include <cmath>
#include <utility>

#include "vigil/base/json_integer.h"
#include "vigil/base/version.h"
#include "vigil/evaluate/json.h"
#include "vigil/report/markdown.h"

namespace vigil::model {
namespace {

constexpr size_t kMaxListedFeatures = 60;
constexpr size_t kMaxMetricRows = 80;

std::string Number(const nlohmann::ordered_json& j) {
  if (j.is_number_float()) return fmt::format("{:.4g}", j.get<double>());
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "n/a";
  return j.dump();
}

std::string Percent(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.1f} %", 100 * v); }

// Scalars of a JSON object as "key.sub | value" rows.
void Flatten(const nlohmann::ordered_json& j, const std::string& prefix, std::string& out,
             size_t& rows) {
  for (const auto& [key, value] : j.items()) {
    if (rows >= kMaxMetricRows) return;
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    if (value.is_object()) {
      Flatten(value, name, out, rows);
    } else if (!value.is_array()) {
      out += fmt::format("| {} | {} |\n", name, Number(value));
      ++rows;
    }
  }
}

void Intended(const ModelMetadata& meta, std::string& out) {
  out += "## Intended use\n\n";
  out += meta.intended_use.empty()
             ? "Not stated by whoever trained this model. State it before any clinical use.\n"
             : meta.intended_use + "\n";
  out += "\nThe model estimates a risk to support clinical judgement, never to replace it.\n\n";
}

void Data(const ModelMetadata& meta, std::string& out) {
  const auto& f = meta.fingerprint;
  out += "## Data\n\n| | |\n|---|---|\n";
  out += fmt::format("| prediction rows | {} |\n| labelled rows | {} |\n", f.rows, f.labelled_rows);
  out += fmt::format("| positive rows | {} ({}) |\n", f.positives,
                     Percent(f.labelled_rows ? static_cast<double>(f.positives) /
                                                   static_cast<double>(f.labelled_rows)
                                             : NAN));
  out += fmt::format("| patients | {} |\n| features | {} |\n", f.subjects, f.features);
  out += fmt::format("| prediction times | {} to {} |\n", f.first_time, f.last_time);
  out += fmt::format("| data fingerprint (SHA-256) | `{}` |\n\n", f.sha256);
  out += "## Task and cohort\n\nThe task specification this model was trained for, as given:\n\n";
  out += "```yaml\n" + meta.task_yaml + (meta.task_yaml.ends_with('\n') ? "" : "\n") + "```\n\n";
}

void ModelSection(const TrainedModel& model, std::string& out) {
  const auto& t = model.training_report();
  out += "## Model\n\n";
  out += fmt::format("- Kind: {}\n", ModelKindName(model.kind()));
  if (t.contains("hyperparameters")) {
    out += fmt::format(
        "- Hyperparameters (chosen by {}-fold patient-grouped cross-validation): `{}`\n",
        base::IntegerOr<int>(t, "folds", 0), t["hyperparameters"].dump());
  }
  if (t.contains("final_rounds")) {
    out += fmt::format("- Boosting rounds: {}", Number(t["final_rounds"]));
    const int bags = base::IntegerOr<int>(t, "bags", 1);
    if (bags > 1) {
      out += fmt::format(
          " in each of {} fits with consecutive seeds, averaged into one model (bagging)", bags);
    }
    out += "\n";
  }
  if (model.kind() == ModelKind::kBlend && t.contains("logistic")) {
    out += fmt::format(
        "- Blend: log-odds {:.2f} x the trees above + {:.2f} x an {} (`{}`, class weighting {}); "
        "the weight was chosen by the same cross-validation\n",
        model.xgboost_weight(), 1 - model.xgboost_weight(), kLogisticDescription,
        t["logistic"].value("hyperparameters", nlohmann::ordered_json::object()).dump(),
        t["logistic"].value("class_weighting", "?"));
  }
  out +=
      fmt::format("- Class weighting: {} (positive weight {})\n", t.value("class_weighting", "?"),
                  Number(t.value("positive_weight", nlohmann::ordered_json())));
  out += fmt::format("- Calibration: {}\n", CalibrationMethodName(model.calibrator().method()));
  const auto& op = model.operating_point();
  out += fmt::format("- Operating threshold: {:.4g} (rule: {}", op.threshold,
                     ThresholdRuleName(model.threshold_rule().kind));
  if (model.threshold_rule().kind != ThresholdRule::Kind::kMaxUtility &&
      model.threshold_rule().kind != ThresholdRule::Kind::kMaxEvent1) {
    out += fmt::format(", target {:.4g}", model.threshold_rule().target);
  }
  out += ")\n\n";
}

void Performance(const TrainedModel& model, const ModelMetadata& meta, std::string& out) {
  const auto& t = model.training_report();
  out += "## Performance\n\n### Cross-validated on the training data (held-out patients)\n\n";
  out +=
      "Each row predicted by a model that did not see its patient.\n\n| measure | value "
      "|\n|---|---|\n";
  if (t.contains("held_out")) {
    const auto& h = t["held_out"];
    out += fmt::format("| AUROC | {} |\n", Number(h.value("auroc", nlohmann::ordered_json())));
    // Each calibration is fitted on the other folds' rows (cross-fitted), so these are held out
    // too.
    static constexpr std::pair<const char*, const char*> kMeasures[] = {
        {"brier_uncalibrated", "Brier score, before calibration"},
        {"brier_platt", "Brier score, Platt calibration"},
        {"brier_isotonic", "Brier score, isotonic calibration"},
        {"ece_uncalibrated", "expected calibration error, before calibration"},
        {"ece_calibrated", "expected calibration error, after calibration"}};
    for (const auto& [key, words] : kMeasures) {
      if (h.contains(key)) out += fmt::format("| {} | {} |\n", words, Number(h[key]));
    }
  }
  const auto& op = model.operating_point();
  out += fmt::format("| sensitivity at threshold | {} |\n| specificity at threshold | {} |\n",
                     Percent(op.sensitivity), Percent(op.specificity));
  out += fmt::format("| PPV at threshold | {} |\n| alert rate | {} |\n\n", Percent(op.ppv),
                     Percent(op.alert_rate));
  out += "### Validation\n\n";
  if (meta.metrics.empty()) {
    out += "No validation metrics recorded yet (`vigil evaluate`).\n\n";
    return;
  }
  // vigil's own evaluations read as a table in words; any other metrics as their JSON keys.
  auto ev = evaluate::EvaluationFromJson(nlohmann::json::parse(meta.metrics.dump()));
  if (ev.ok()) {
    if (meta.metrics.contains("about") && meta.metrics["about"].is_string()) {
      out += meta.metrics["about"].get<std::string>() + " ";
    }
    out += report::ValidationMarkdown(*ev);
    out +=
        "Every figure, the curves and the subgroup table: metrics.json and the HTML report "
        "(`vigil evaluate --report`).\n\n";
    return;
  }
  out += "| metric | value |\n|---|---|\n";
  size_t rows = 0;
  Flatten(meta.metrics, "", out, rows);
  out += "\n";
}

void Features(const TrainedModel& model, const ModelMetadata& meta, std::string& out) {
  const auto& names = model.feature_names();
  // The features in words, when the trainer wrote them (definitions.display_names, in column
  // order): "Heart rate, latest (`LOINC/8867-4.last`)".
  const nlohmann::ordered_json* words = nullptr;
  if (const auto& d = meta.feature_definitions; d.is_object() && d.contains("display_names") &&
                                                d["display_names"].is_array() &&
                                                d["display_names"].size() == names.size()) {
    words = &d["display_names"];
  }
  out +=
      fmt::format("## Features\n\n{} features (definitions in features.json):\n\n", names.size());
  for (size_t i = 0; i < names.size() && i < kMaxListedFeatures; ++i) {
    const nlohmann::ordered_json* word = words != nullptr ? &(*words)[i] : nullptr;
    if (word != nullptr && word->is_string() && word->get<std::string>() != names[i]) {
      out += fmt::format("- {} (`{}`)\n", word->get<std::string>(), names[i]);
    } else {
      out += "- `" + names[i] + "`\n";
    }
  }
  if (names.size() > kMaxListedFeatures) {
    out += fmt::format("- ... and {} more\n", names.size() - kMaxListedFeatures);
  }
  out += "\n";
}

void Limitations(const ModelMetadata& meta, std::string& out) {
  out += "## Limitations\n\n";
  out +=
      "- Performance above is measured on the training population only. At another site, in "
      "another period or population it may differ: validate on local data (`vigil evaluate`) "
      "before use.\n";
  out +=
      "- The threshold was chosen on held-out predictions of the training data; alert rates "
      "and PPV move with prevalence.\n";
  out +=
      "- Missing measurements carry information for the model; a change in how often things "
      "are measured changes its predictions.\n";
  out += "- Explanations (SHAP contributions) describe the model's behaviour, not causes.\n";
  for (const auto& l : meta.limitations) out += "- " + l + "\n";
}

}  // namespace

std::string RenderModelCard(std::string_view name, int version, std::string_view created,
                            const TrainedModel& model, const ModelMetadata& metadata) {
  std::string out = fmt::format("# Model card: {} (version {})\n\n", name, version);
  out += fmt::format("Registered {} by vigil {} (XGBoost {}).\n\n", created, base::Version(),
                     xgb::LibraryVersion());
  Intended(metadata, out);
  Data(metadata, out);
  ModelSection(model, out);
  Performance(model, metadata, out);
  Features(model, metadata, out);
  Limitations(metadata, out);
  return out;
}

}  // namespace vigil::model
