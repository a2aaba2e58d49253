// The model report: one self-contained HTML file a clinician (and a regulator) can read offline.
//
// Sections: at a glance; model card (intended use, outcome, data, cohort, validation, model,
// limitations); discrimination (ROC and precision-recall curves); calibration (reliability
// diagram); clinical usefulness (alerts at the operating threshold, decision curve); comparison
// with baseline scores side by side; subgroups (forest plots, flags); explanation (SHAP summary);
// methods.
//
// The file has no scripts, external fonts, images or links to load: charts are inline SVG from
// svg.h, styles are inline. It is well-formed XHTML (every element closed, every text escaped), so
// it also parses as XML. Nothing in it identifies a patient: it holds aggregate figures only (the
// SHAP beeswarm shows contributions and value ranks, no identifiers and no raw values).
//
//   report::ModelCard card{.title = "Deterioration within 24 hours", ...};
//   VIGIL_RETURN_IF_ERROR(report::WriteReport(path, card, evaluation, &shap_summary));
//
// Thread-safety: pure functions.
#ifndef VIGIL_REPORT_REPORT_H_
#define VIGIL_REPORT_REPORT_H_

#include <filesystem>
#include <string>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/evaluate/evaluation.h"
#include "vigil/report/shap.h"

namespace vigil::report {

// What the model is and how it was built, in words for clinicians. Every field is optional; an
// empty field is shown as "not stated" so the gap is visible.
struct ModelCard {
  std::string title;            // "Deterioration within 24 hours"
  std::string model_name;       // registry name, e.g. "deterioration-24h"
  std::string model_version;    // e.g. a fingerprint or "2024-06-01"
  std::string model_type;       // "Gradient-boosted trees (XGBoost), Platt-calibrated"
  std::string intended_use;     // who uses it, for which patients, to do what
  std::string outcome;          // what is predicted
  std::string prediction_time;  // when predictions are made, and the horizon
  std::string data;             // sources and period of the evaluation data
  std::string cohort;           // inclusion and exclusion criteria
  std::string validation;       // how the evaluation rows relate to training (held out, external)
  std::string threshold_rule;   // how the operating threshold was chosen
  std::vector<std::string> limitations;  // stated limitations (automatic ones are added)
  std::string generated_at;              // ISO 8601
  std::string software_version;          // vigil version
};

// The report as HTML text. `shap` may be null (the explanation section then says it is missing).
// `decision_max_threshold` bounds the decision curve's x axis (0 < x <= 0.99); 0 chooses it from
// the prevalence and the operating threshold.
std::string RenderReport(const ModelCard& card, const evaluate::Evaluation& evaluation,
                         const ShapSummary* shap, double decision_max_threshold = 0);

// Renders and writes the report atomically to `path`.
base::Status WriteReport(const std::filesystem::path& path, const ModelCard& card,
                         const evaluate::Evaluation& evaluation, const ShapSummary* shap);

// Plain-language limitations derived from the evaluation itself: flagged subgroups, subgroups too
// small to judge, poor calibration, baselines that match or beat the model, wide intervals.
std::vector<std::string> AutomaticLimitations(const evaluate::Evaluation& evaluation);

}  // namespace vigil::report

#endif  // VIGIL_REPORT_REPORT_H_
