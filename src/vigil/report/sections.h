// Internal to the report module: the HTML of each performance section.
#ifndef VIGIL_REPORT_SECTIONS_H_
#define VIGIL_REPORT_SECTIONS_H_

#include <string>

#include "vigil/evaluate/evaluation.h"
#include "vigil/report/shap.h"

namespace vigil::report::internal {

// A calibration slope outside [0.8, 1.2] is called out even when its interval includes 1.
bool SlopeFarFromOne(double slope);

std::string AtAGlanceSection(const evaluate::Evaluation& ev);
std::string CohortTable(const evaluate::Evaluation& ev);
std::string DiscriminationSection(const evaluate::Evaluation& ev);
std::string CalibrationSection(const evaluate::Evaluation& ev);
std::string UsefulnessSection(const evaluate::Evaluation& ev, double decision_max_threshold);
std::string BaselinesSection(const evaluate::Evaluation& ev);
std::string SubgroupSection(const evaluate::Evaluation& ev);
std::string ExplanationSection(const ShapSummary* shap);
std::string MethodsSection(const evaluate::Evaluation& ev);

}  // namespace vigil::report::internal

#endif  // VIGIL_REPORT_SECTIONS_H_
