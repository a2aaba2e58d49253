// Decision curve analysis (Vickers and Elkin 2006): is acting on the model better than acting on
// everyone or no one?
//
// At a threshold probability pt (the risk at which a clinician would act, which fixes the harm of a
// false alarm relative to the benefit of a true one as pt / (1 - pt)):
//   net benefit (model)     = TP / n - FP / n * pt / (1 - pt),  calling "p >= pt" positive
//   net benefit (treat all) = prevalence - (1 - prevalence) * pt / (1 - pt)
//   net benefit (treat none) = 0
// A fixed rule (a clinical score at its own threshold, e.g. NEWS2 >= 5) has one TP and FP whatever
// pt:
//   net benefit (rule)      = TP / n - FP / n * pt / (1 - pt).
//
// Thread-safety: all functions are pure.
#ifndef VIGIL_EVALUATE_DECISION_H_
#define VIGIL_EVALUATE_DECISION_H_

#include <cstdint>
#include <span>
#include <vector>

#include "vigil/evaluate/metrics.h"

namespace vigil::evaluate {

struct DecisionPoint {
  double threshold;  // pt
  double net_benefit;
  double treat_all;  // treat none is 0 everywhere
};

// The thresholds of the standard curve: 0.01, 0.02, ..., 0.99.
std::vector<double> DecisionThresholds();

// The model's decision curve at `thresholds`. Unweighted. Empty when there are no rows.
std::vector<DecisionPoint> DecisionCurve(std::span<const double> probabilities,
                                         std::span<const uint8_t> labels,
                                         std::span<const double> thresholds);

// The decision curve of a fixed rule whose 2x2 table is `rule` (unweighted counts).
std::vector<DecisionPoint> RuleDecisionCurve(const Confusion& rule,
                                             std::span<const double> thresholds);

}  // namespace vigil::evaluate

#endif  // VIGIL_EVALUATE_DECISION_H_
