// The operating threshold: the calibrated probability at or above which a prediction raises an
// alert, chosen by the task's rule on held-out (out-of-fold) calibrated probabilities.
//
// Rules (ThresholdRule::kind):
//   kFixed              the given probability.
//   kTargetSensitivity  the highest threshold whose sensitivity reaches `target` (e.g. 0.80).
//   kTargetAlertRate    the lowest threshold whose alert rate (alerts / rows) stays at or below
//                       `target` (e.g. 0.05).
//   kMaxUtility         the threshold that maximizes the summed utility: per row, the utility of
//                       alerting and of not alerting. Either the task supplies both per row
//                       (row_utility, aligned with the rows passed to ChooseThreshold; the
//                       PhysioNet 2019 challenge utility is of this form) or the four
//                       confusion-cell weights apply to every labelled row.
//   kMaxEvent1          the threshold that maximizes min(sensitivity, PPV) (the PhysioNet 2012
//                       challenge's Event 1); the higher threshold on a tie.
// Candidate thresholds are the distinct held-out probabilities, so the chosen one is always
// achievable; rows with equal probabilities are alerted together.
#ifndef VIGIL_MODEL_THRESHOLD_H_
#define VIGIL_MODEL_THRESHOLD_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "vigil/base/status.h"

namespace vigil::model {

struct RowUtility {
  double if_alert = 0;
  double if_no_alert = 0;
};

struct ThresholdRule {
  enum class Kind { kFixed, kTargetSensitivity, kTargetAlertRate, kMaxUtility, kMaxEvent1 };
  Kind kind = Kind::kTargetSensitivity;
  double target = 0.8;  // kFixed: the probability; kTargetSensitivity / kTargetAlertRate: the rate
  // kMaxUtility without row_utility: utility of each confusion cell.
  double true_positive = 1;
  double false_positive = 0;
  double false_negative = 0;
  double true_negative = 0;
  std::vector<RowUtility> row_utility;  // kMaxUtility: optional, one per row
};

std::string_view ThresholdRuleName(ThresholdRule::Kind kind);  // "fixed", "target_sensitivity", ...
std::optional<ThresholdRule::Kind> ParseThresholdRule(std::string_view name);

// The chosen threshold and what it achieved on the held-out probabilities it was chosen on.
struct OperatingPoint {
  double threshold = 0.5;
  double sensitivity = 0;
  double specificity = 0;
  double ppv = 0;         // NaN when nothing is alerted
  double alert_rate = 0;  // alerts / rows
  double utility = 0;     // kMaxUtility: the summed utility at the threshold
  nlohmann::ordered_json ToJson(const ThresholdRule& rule) const;
};

// `probabilities` and `labels` (0/1) are held-out predictions of the same rows. InvalidArgument on
// mismatched sizes or a target outside [0, 1]; FailedPrecondition without positives (target
// sensitivity) or without rows.
base::Result<OperatingPoint> ChooseThreshold(std::span<const double> probabilities,
                                             std::span<const float> labels,
                                             const ThresholdRule& rule);

// The statistics of a given threshold on the same inputs.
OperatingPoint EvaluateThreshold(std::span<const double> probabilities,
                                 std::span<const float> labels, double threshold);

}  // namespace vigil::model

#endif  // VIGIL_MODEL_THRESHOLD_H_
