// The report's charts, each an inline SVG string built with svg.h from an evaluation.
//
// Thread-safety: pure functions.
#ifndef VIGIL_REPORT_CHARTS_H_
#define VIGIL_REPORT_CHARTS_H_

#include <string>

#include "vigil/evaluate/evaluation.h"
#include "vigil/report/shap.h"

namespace vigil::report {

// ROC curves of the model and of each baseline, with the chance diagonal.
std::string RocChart(const evaluate::Evaluation& ev);
// Precision-recall curves of the model and baselines, with the prevalence line.
std::string PrChart(const evaluate::Evaluation& ev);
// Reliability diagram: observed frequency against mean predicted risk per bin, with Wilson 95 %
// intervals and the diagonal of perfect calibration.
std::string ReliabilityChart(const evaluate::Evaluation& ev);
// Net benefit of the model, of each baseline rule, of treating all and of treating none, over the
// thresholds from 1 % to `max_threshold` (the y axis is cut below at minus the prevalence, where
// the treat-all line falls away; a curve ends where it crosses that floor and is not drawn below).
std::string DecisionChart(const evaluate::Evaluation& ev, double max_threshold);

// Which subgroup metric a forest plot shows.
enum class ForestMetric { kAuroc, kSensitivity, kCalibrationIntercept };
// One row per subgroup: point and 95 % interval, with the whole cohort's value as a dashed rule;
// flagged subgroups in vermillion. Empty string when there are no subgroups.
std::string ForestPlot(const evaluate::Evaluation& ev, ForestMetric metric);

// Global importance: mean |SHAP| per feature, largest first.
std::string ShapBarChart(const ShapSummary& shap);
// Beeswarm-like summary: one dot per sampled row per feature, coloured by the feature's value.
std::string ShapBeeswarm(const ShapSummary& shap);

}  // namespace vigil::report

#endif  // VIGIL_REPORT_CHARTS_H_
