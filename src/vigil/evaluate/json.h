// Evaluation <-> JSON, for the model registry (metrics.json) and `vigil evaluate --json`.
//
// Every field of evaluation.h is written under its own snake_case name; an Estimate is
// {"value", "lower", "upper", "replicates"}; a curve is an array of objects. NaN (undefined) is
// written as null and read back as NaN, so a round trip is exact. The document carries "format":
// "vigil.evaluation" and "format_version": 1; reading rejects another format or a newer version.
// Reading never throws: a malformed document is an InvalidArgument error naming the field.
#ifndef VIGIL_EVALUATE_JSON_H_
#define VIGIL_EVALUATE_JSON_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "vigil/base/status.h"
#include "vigil/evaluate/evaluation.h"

namespace vigil::evaluate {

inline constexpr int kEvaluationFormatVersion = 1;

nlohmann::json EvaluationToJson(const Evaluation& evaluation);
base::Result<Evaluation> EvaluationFromJson(const nlohmann::json& document);

// The same as text (pretty-printed with two-space indentation) and from text.
std::string EvaluationToJsonText(const Evaluation& evaluation);
base::Result<Evaluation> EvaluationFromJsonText(std::string_view text);

}  // namespace vigil::evaluate

#endif  // VIGIL_EVALUATE_JSON_H_
