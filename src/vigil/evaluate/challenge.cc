#include "vigil/evaluate/challenge.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil::evaluate {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

base::Status Check(std::span<const uint8_t> labels, std::span<const uint8_t> predictions,
                   const UtilityParameters& p) {
  if (labels.size() != predictions.size()) {
    return base::InvalidArgumentError("utility: labels and predictions differ in length");
  }
  for (size_t t = 0; t < labels.size(); ++t) {
    if (labels[t] > 1 || predictions[t] > 1) {
      return base::InvalidArgumentError("utility: hour " + std::to_string(t) +
                                        ": label or prediction is not 0 or 1");
    }
  }
  if (p.dt_early >= p.dt_optimal) {
    return base::InvalidArgumentError("utility: dt_early must be before dt_optimal");
  }
  if (p.dt_optimal >= p.dt_late) {
    return base::InvalidArgumentError("utility: dt_optimal must be before dt_late");
  }
  return base::Status::Ok();
}

// The utility of each hour of one stay if it alerts and if it does not, without input checks.
std::vector<HourUtility> Hours(std::span<const uint8_t> labels, const UtilityParameters& p) {
  const auto first = std::find(labels.begin(), labels.end(), 1);
  const bool septic = first != labels.end();
  const double t_sepsis = septic ? static_cast<double>(first - labels.begin()) - p.dt_optimal
                                 : std::numeric_limits<double>::infinity();
  const double m1 = p.max_u_tp / (p.dt_optimal - p.dt_early);
  const double b1 = -m1 * p.dt_early;
  const double m2 = -p.max_u_tp / (p.dt_late - p.dt_optimal);
  const double b2 = -m2 * p.dt_late;
  const double m3 = p.min_u_fn / (p.dt_late - p.dt_optimal);
  const double b3 = -m3 * p.dt_optimal;
  std::vector<HourUtility> out(labels.size(), HourUtility{0, 0});
  for (size_t i = 0; i < labels.size(); ++i) {
    const double t = static_cast<double>(i);
    if (t > t_sepsis + p.dt_late) continue;
    if (septic) {
      const bool early = t <= t_sepsis + p.dt_optimal;
      out[i].if_alert =
          early ? std::max(m1 * (t - t_sepsis) + b1, p.u_fp) : m2 * (t - t_sepsis) + b2;
      out[i].if_no_alert = early ? 0.0 : m3 * (t - t_sepsis) + b3;
    } else {
      out[i] = {p.u_fp, p.u_tn};
    }
  }
  return out;
}

// The official per-hour utility sum, without input checks.
double Utility(std::span<const uint8_t> labels, std::span<const uint8_t> predictions,
               const UtilityParameters& p) {
  const std::vector<HourUtility> hours = Hours(labels, p);
  double total = 0;
  for (size_t i = 0; i < hours.size(); ++i) {
    total += predictions[i] != 0 ? hours[i].if_alert : hours[i].if_no_alert;
  }
  return total;
}

}  // namespace

base::Result<std::vector<HourUtility>> HourUtilities(std::span<const uint8_t> labels,
                                                     const UtilityParameters& params) {
  VIGIL_RETURN_IF_ERROR(Check(labels, labels, params));
  return Hours(labels, params);
}

base::Result<double> StayUtility(std::span<const uint8_t> labels,
                                 std::span<const uint8_t> predictions,
                                 const UtilityParameters& params) {
  VIGIL_RETURN_IF_ERROR(Check(labels, predictions, params));
  return Utility(labels, predictions, params);
}

base::Result<StayUtilities> StayUtilityBounds(std::span<const uint8_t> labels,
                                              std::span<const uint8_t> predictions,
                                              const UtilityParameters& params) {
  VIGIL_RETURN_IF_ERROR(Check(labels, predictions, params));
  const size_t n = labels.size();
  std::vector<uint8_t> best(n, 0);
  const auto first = std::find(labels.begin(), labels.end(), 1);
  if (first != labels.end()) {
    // t_sepsis and the window in integer hours, exactly as the official slicing.
    const long t_sepsis = static_cast<long>(first - labels.begin()) -
                          static_cast<long>(std::lround(params.dt_optimal));
    const long begin = std::max(0L, t_sepsis + std::lround(params.dt_early));
    const long end = std::min(t_sepsis + std::lround(params.dt_late) + 1, static_cast<long>(n));
    for (long t = begin; t < end; ++t) best[t] = 1;
  }
  std::vector<uint8_t> worst(n);
  for (size_t t = 0; t < n; ++t) worst[t] = 1 - best[t];
  const std::vector<uint8_t> inaction(n, 0);
  return StayUtilities{Utility(labels, predictions, params), Utility(labels, best, params),
                       Utility(labels, worst, params), Utility(labels, inaction, params)};
}

double NormalizedUtility(std::span<const StayUtilities> stays, std::span<const double> weights) {
  double observed = 0, best = 0, inaction = 0;
  for (size_t i = 0; i < stays.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    observed += w * stays[i].observed;
    best += w * stays[i].best;
    inaction += w * stays[i].inaction;
  }
  if (best == inaction) return kNaN;
  return (observed - inaction) / (best - inaction);
}

double PhysioNet2012Event1(double tp, double fp, double fn) {
  if (tp + fn <= 0 || tp + fp <= 0) return kNaN;
  return std::min(tp / (tp + fn), tp / (tp + fp));
}

}  // namespace vigil::evaluate
