#include "vigil/model/threshold.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace vigil::model {
namespace {

using Kind = ThresholdRule::Kind;

constexpr std::pair<Kind, std::string_view> kRuleNames[] = {
    {Kind::kFixed, "fixed"},
    {Kind::kTargetSensitivity, "target_sensitivity"},
    {Kind::kTargetAlertRate, "target_alert_rate"},
    {Kind::kMaxUtility, "max_utility"},
    {Kind::kMaxEvent1, "max_event1"},
};

RowUtility CellUtility(const ThresholdRule& rule, bool positive) {
  return positive ? RowUtility{rule.true_positive, rule.false_negative}
                  : RowUtility{rule.false_positive, rule.true_negative};
}

// Sweeps thresholds from the highest probability down. Calls `visit(threshold, alerts, true
// positives, utility)` once per distinct probability, with the counts of alerting every row at or
// above it; `visit` returns false to stop.
template <typename Visit>
void Sweep(std::span<const double> p, std::span<const float> y, const ThresholdRule& rule,
           Visit visit) {
  std::vector<size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] > p[b]; });
  double utility = 0;  // utility when nothing is alerted
  auto row_utility = [&](size_t i) {
    return rule.row_utility.empty() ? CellUtility(rule, y[i] > 0.5f) : rule.row_utility[i];
  };
  for (size_t i = 0; i < p.size(); ++i) utility += row_utility(i).if_no_alert;
  size_t alerts = 0, true_positives = 0;
  for (size_t k = 0; k < order.size();) {
    const double t = p[order[k]];
    for (; k < order.size() && p[order[k]] == t; ++k) {
      const size_t i = order[k];
      ++alerts;
      if (y[i] > 0.5f) ++true_positives;
      const RowUtility u = row_utility(i);
      utility += u.if_alert - u.if_no_alert;
    }
    if (!visit(t, alerts, true_positives, utility)) return;
  }
}

}  // namespace

std::string_view ThresholdRuleName(Kind kind) {
  for (const auto& [k, name] : kRuleNames) {
    if (k == kind) return name;
  }
  return "fixed";
}

std::optional<Kind> ParseThresholdRule(std::string_view name) {
  for (const auto& [k, n] : kRuleNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

nlohmann::ordered_json OperatingPoint::ToJson(const ThresholdRule& rule) const {
  nlohmann::ordered_json j;
  j["threshold"] = threshold;
  j["rule"] = ThresholdRuleName(rule.kind);
  if (rule.kind != Kind::kMaxUtility && rule.kind != Kind::kMaxEvent1) j["target"] = rule.target;
  auto number = [](double v) {
    return std::isnan(v) ? nlohmann::ordered_json() : nlohmann::ordered_json(v);
  };
  j["held_out"] = {{"sensitivity", number(sensitivity)},
                   {"specificity", number(specificity)},
                   {"ppv", number(ppv)},
                   {"alert_rate", number(alert_rate)}};
  if (rule.kind == Kind::kMaxUtility) j["held_out"]["utility"] = utility;
  return j;
}

OperatingPoint EvaluateThreshold(std::span<const double> p, std::span<const float> y,
                                 double threshold) {
  size_t alerts = 0, tp = 0, positives = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    const bool pos = y[i] > 0.5f;
    positives += pos;
    if (p[i] >= threshold) {
      ++alerts;
      tp += pos;
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const size_t negatives = p.size() - positives;
  OperatingPoint op;
  op.threshold = threshold;
  op.sensitivity = positives ? static_cast<double>(tp) / static_cast<double>(positives) : nan;
  op.specificity =
      negatives ? static_cast<double>(negatives - (alerts - tp)) / static_cast<double>(negatives)
                : nan;
  op.ppv = alerts ? static_cast<double>(tp) / static_cast<double>(alerts) : nan;
  op.alert_rate = p.empty() ? nan : static_cast<double>(alerts) / static_cast<double>(p.size());
  return op;
}

base::Result<OperatingPoint> ChooseThreshold(std::span<const double> p, std::span<const float> y,
                                             const ThresholdRule& rule) {
  if (p.size() != y.size()) return base::InvalidArgumentError("one label per probability expected");
  if (p.empty())
    return base::FailedPreconditionError("no held-out predictions to choose a threshold on");
  if (!(rule.target >= 0 && rule.target <= 1) && rule.kind != Kind::kMaxUtility &&
      rule.kind != Kind::kMaxEvent1) {
    return base::InvalidArgumentError("threshold target must lie in [0, 1]");
  }
  if (rule.kind == Kind::kMaxUtility && !rule.row_utility.empty() &&
      rule.row_utility.size() != p.size()) {
    return base::InvalidArgumentError("one row utility per held-out prediction expected");
  }
  const size_t positives =
      static_cast<size_t>(std::count_if(y.begin(), y.end(), [](float v) { return v > 0.5f; }));
  const double n = static_cast<double>(p.size());
  // Above every probability: nothing alerted.
  const double above_all = std::nextafter(*std::max_element(p.begin(), p.end()), 2.0);
  double chosen = above_all;
  double best_utility = -std::numeric_limits<double>::infinity();
  switch (rule.kind) {
    case Kind::kFixed:
      chosen = rule.target;
      break;
    case Kind::kTargetSensitivity:
      if (positives == 0)
        return base::FailedPreconditionError("no positives to reach a sensitivity on");
      Sweep(p, y, rule, [&](double t, size_t, size_t tp, double) {
        chosen = t;
        return static_cast<double>(tp) < rule.target * static_cast<double>(positives);
      });
      break;
    case Kind::kTargetAlertRate:
      Sweep(p, y, rule, [&](double t, size_t alerts, size_t, double) {
        if (static_cast<double>(alerts) > rule.target * n) return false;
        chosen = t;
        return true;
      });
      break;
    case Kind::kMaxUtility: {
      double none = 0;
      Sweep(p, y, rule, [&](double t, size_t, size_t, double u) {
        if (u > best_utility) {
          best_utility = u;
          chosen = t;
        }
        return true;
      });
      // Alerting nobody is a candidate too.
      for (size_t i = 0; i < p.size(); ++i) {
        none += (rule.row_utility.empty() ? CellUtility(rule, y[i] > 0.5f) : rule.row_utility[i])
                    .if_no_alert;
      }
      if (none > best_utility) {
        best_utility = none;
        chosen = above_all;
      }
      break;
    }
    case Kind::kMaxEvent1: {
      if (positives == 0) return base::FailedPreconditionError("no positives to detect");
      double best = -1;
      Sweep(p, y, rule, [&](double t, size_t alerts, size_t tp, double) {
        const double se = static_cast<double>(tp) / static_cast<double>(positives);
        const double ppv = static_cast<double>(tp) / static_cast<double>(alerts);
        if (std::min(se, ppv) > best) {
          best = std::min(se, ppv);
          chosen = t;
        }
        return true;
      });
      break;
    }
  }
  OperatingPoint op = EvaluateThreshold(p, y, chosen);
  if (rule.kind == Kind::kMaxUtility) op.utility = best_utility;
  return op;
}

}  // namespace vigil::model
