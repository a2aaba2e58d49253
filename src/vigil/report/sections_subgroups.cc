// The subgroup, explanation and methods sections of the report (sections.h).
#include <fmt/format.h>

#include <cmath>

#include "vigil/report/charts.h"
#include "vigil/report/format.h"
#include "vigil/report/sections.h"
#include "vigil/report/svg.h"

namespace vigil::report::internal {
namespace {

std::string Figure(const std::string& svg) {
  return svg.empty() ? "" : "<figure>" + svg + "</figure>\n";
}

std::string FlagText(const evaluate::FairnessFlag& f) {
  std::string meaning;
  if (f.metric == "sensitivity") {
    meaning = f.direction == "below" ? "the model misses more outcomes in this group"
                                     : "the model catches more outcomes in this group";
  } else if (f.metric == "calibration intercept") {
    meaning = f.direction == "above" ? "the model underestimates risk in this group"
                                     : "the model overestimates risk in this group";
  } else {
    meaning = f.direction == "below" ? "predictions are too extreme in this group"
                                     : "predictions are too modest in this group";
  }
  return fmt::format("{} {} (95% interval {} to {}) vs {} for the whole cohort: {}.", f.metric,
                     Num(f.subgroup_value), Num(f.lower), Num(f.upper), Num(f.overall_value),
                     meaning);
}

}  // namespace

std::string SubgroupSection(const evaluate::Evaluation& ev) {
  if (ev.subgroups.empty()) return "";
  std::string out =
      "<section>\n<h2>Subgroups: does the model work equally well for everyone?</h2>\n";
  out += Tag("p",
             "Each subgroup is evaluated on its own with its own 95% intervals. A subgroup is "
             "flagged when the whole cohort's value lies outside the subgroup's interval for "
             "sensitivity, calibration intercept or calibration slope. Subgroups with too few "
             "patients with and without the outcome are shown but not judged.") +
         "\n";
  out += Figure(ForestPlot(ev, ForestMetric::kAuroc));
  out += Figure(ForestPlot(ev, ForestMetric::kSensitivity));
  out += Figure(ForestPlot(ev, ForestMetric::kCalibrationIntercept));
  out += "<table>\n" + Row({"Subgroup", "Patients", "Outcome rate", "AUROC", "Sensitivity", "PPV",
                            "Calibration intercept", "Calibration slope", "Judgement"},
                           true);
  for (const auto& s : ev.subgroups) {
    const auto& m = s.metrics;
    std::string judgement =
        !s.enough_data    ? fmt::format("too few patients to judge ({} of {} with the outcome)",
                                        Count(static_cast<double>(m.counts.positive_patients)),
                                        Count(static_cast<double>(m.counts.patients)))
        : s.flags.empty() ? "no flag"
                          : "";
    for (const auto& f : s.flags) judgement += Tag("div", FlagText(f));
    out += Row({EscapeXml(s.attribute + ": " + s.level), Count(m.counts.patients),
                Pct(m.counts.prevalence), WithInterval(m.discrimination.auroc),
                PctWithInterval(m.at_threshold.sensitivity), Pct(m.at_threshold.ppv.value),
                WithInterval(m.calibration.intercept, 2), WithInterval(m.calibration.slope, 2),
                s.flags.empty() ? EscapeXml(judgement)
                                : "<span class=\"flag\">flagged</span>" + judgement});
  }
  return out + "</table>\n</section>\n";
}

std::string ExplanationSection(const ShapSummary* shap) {
  std::string out = "<section>\n<h2>Explanation: what drives the predictions?</h2>\n";
  if (shap == nullptr || shap->features.empty()) {
    return out +
           "<p class=\"missing\">No explanation (SHAP values) was supplied for this "
           "report.</p>\n</section>\n";
  }
  out +=
      Tag("p", fmt::format("SHAP values split each prediction into the contribution of each "
                           "measurement. Computed on {} predictions; the {} measurements with "
                           "the largest average contribution are shown (hover over a name for its "
                           "column in the feature matrix). These show what the model relies "
                           "on, not what causes the outcome.",
                           Count(static_cast<double>(shap->rows)), shap->features.size())) +
      "\n";
  out += Figure(ShapBarChart(*shap));
  out += Figure(ShapBeeswarm(*shap));
  return out + "</section>\n";
}

std::string MethodsSection(const evaluate::Evaluation& ev) {
  std::string out = "<section class=\"methods\">\n<h2>Methods</h2>\n<ul>\n";
  out +=
      Tag("li", fmt::format("95% intervals: percentile bootstrap with {} replicates that resample "
                            "patients (all predictions of a drawn patient together), seed {}.",
                            ev.bootstrap_replicates, ev.seed));
  out += Tag("li",
             "AUROC: probability that a prediction followed by the outcome has a higher risk "
             "than one that was not (ties count one half). AUPRC: average precision.");
  out += Tag("li",
             "Calibration intercept and slope: logistic recalibration of the outcome on the "
             "log-odds of the predicted risk (Van Calster et al. 2019). Reliability diagram: "
             "tenths of the predictions by predicted risk, Wilson 95% intervals.");
  out += Tag("li",
             "Decision curve: net benefit = true alerts / n - false alerts / n x t / (1 - t) "
             "at threshold probability t (Vickers and Elkin 2006).");
  if (ev.row_interval_hours > 0) {
    out += Tag("li", fmt::format("Alerts per patient-day assume one prediction every {} hours.",
                                 Num(ev.row_interval_hours, 2)));
  }
  out +=
      Tag("li", "Definitions, formulas and references: docs/evaluation.md in the vigil sources.");
  return out + "</ul>\n</section>\n";
}

}  // namespace vigil::report::internal
