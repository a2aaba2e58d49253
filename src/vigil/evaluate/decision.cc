#include "vigil/evaluate/decision.h"

#include <algorithm>
#include <cmath>

namespace vigil::evaluate {
namespace {

constexpr int kThresholdSteps = 100;  // thresholds k / 100 for k = 1..99

double Odds(double pt) { return pt / (1.0 - pt); }

}  // namespace

std::vector<double> DecisionThresholds() {
  std::vector<double> t;
  for (int k = 1; k < kThresholdSteps; ++k) t.push_back(static_cast<double>(k) / kThresholdSteps);
  return t;
}

std::vector<DecisionPoint> DecisionCurve(std::span<const double> probabilities,
                                         std::span<const uint8_t> labels,
                                         std::span<const double> thresholds) {
  const size_t n = probabilities.size();
  if (n == 0) return {};
  // Probabilities of positives and negatives, sorted, so each threshold is two binary searches.
  std::vector<double> pos, neg;
  for (size_t i = 0; i < n; ++i) (labels[i] ? pos : neg).push_back(probabilities[i]);
  std::sort(pos.begin(), pos.end());
  std::sort(neg.begin(), neg.end());
  const double nd = static_cast<double>(n);
  const double prevalence = static_cast<double>(pos.size()) / nd;
  std::vector<DecisionPoint> out;
  out.reserve(thresholds.size());
  for (double pt : thresholds) {
    const double tp = static_cast<double>(pos.end() - std::lower_bound(pos.begin(), pos.end(), pt));
    const double fp = static_cast<double>(neg.end() - std::lower_bound(neg.begin(), neg.end(), pt));
    out.push_back({pt, tp / nd - fp / nd * Odds(pt), prevalence - (1.0 - prevalence) * Odds(pt)});
  }
  return out;
}

std::vector<DecisionPoint> RuleDecisionCurve(const Confusion& rule,
                                             std::span<const double> thresholds) {
  const double n = rule.Total();
  if (n <= 0) return {};
  const double prevalence = (rule.tp + rule.fn) / n;
  std::vector<DecisionPoint> out;
  out.reserve(thresholds.size());
  for (double pt : thresholds) {
    out.push_back(
        {pt, rule.tp / n - rule.fp / n * Odds(pt), prevalence - (1.0 - prevalence) * Odds(pt)});
  }
  return out;
}

}  // namespace vigil::evaluate
