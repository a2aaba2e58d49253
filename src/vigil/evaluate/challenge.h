// The PhysioNet/Computing in Cardiology Challenge scores.
//
// 2019 (early prediction of sepsis; Reyna et al. 2020): the normalized utility, reproducing the
// official evaluate_sepsis_score.py. Each stay is a sequence of hourly rows with the challenge's
// label (SepsisLabel: 1 from 6 hours before sepsis onset onwards, 0 otherwise) and a binary
// prediction. With t_sepsis = (index of the first label 1) - dt_optimal (that is, the onset hour),
// a prediction at hour t earns:
//   t > t_sepsis + dt_late:                 0 (whatever the prediction)
//   septic stay, prediction 1 (true positive):
//     t <= t_sepsis + dt_optimal:            max(m1 (t - t_sepsis) + b1, u_fp)   rising 0 -> 1 over
//                                            [dt_early, dt_optimal]; earlier than dt_early it is
//                                            u_fp
//     t_sepsis + dt_optimal < t <= ... late: m2 (t - t_sepsis) + b2             falling 1 -> 0
//   septic stay, prediction 0 (false negative):
//     t <= t_sepsis + dt_optimal:            0
//     later (up to dt_late):                 m3 (t - t_sepsis) + b3             falling 0 ->
//     min_u_fn
//   non-septic stay: u_fp for a prediction 1, u_tn for a 0.
// with dt_early = -12, dt_optimal = -6, dt_late = 3, max_u_tp = 1, min_u_fn = -2, u_fp = -0.05,
// u_tn = 0; m1 = max_u_tp / (dt_optimal - dt_early), b1 = -m1 dt_early; m2 = -max_u_tp / (dt_late -
// dt_optimal), b2 = -m2 dt_late; m3 = min_u_fn / (dt_late - dt_optimal), b3 = -m3 dt_optimal.
// The best predictor predicts 1 on hours [max(0, t_sepsis + dt_early), min(t_sepsis + dt_late + 1,
// n)) of septic stays and 0 elsewhere; the inaction predictor predicts 0 everywhere. Summed over
// stays,
//   normalized utility = (U_observed - U_inaction) / (U_best - U_inaction).
// Hours are row indices within a stay, as in the official code.
//
// 2012 (mortality; Silva et al. 2012): Event 1 = min(sensitivity, PPV) of binary predictions; Event
// 2 is PhysioNet2012Event2 in calibration.h.
//
// Thread-safety: all functions are pure.
#ifndef VIGIL_EVALUATE_CHALLENGE_H_
#define VIGIL_EVALUATE_CHALLENGE_H_

#include <cstdint>
#include <span>
#include <vector>

#include "vigil/base/status.h"

namespace vigil::evaluate {

// The utility matrix of the 2019 challenge (evaluate_sepsis_score.py defaults).
struct UtilityParameters {
  double dt_early = -12;
  double dt_optimal = -6;
  double dt_late = 3;
  double max_u_tp = 1;
  double min_u_fn = -2;
  double u_fp = -0.05;
  double u_tn = 0;
};

// The total utility of one stay's predictions. `labels` and `predictions` are 0/1, one per hour, of
// the same length. Errors: different lengths, a value other than 0/1, or dt_early >= dt_optimal or
// dt_optimal >= dt_late (the official code's checks).
base::Result<double> StayUtility(std::span<const uint8_t> labels,
                                 std::span<const uint8_t> predictions,
                                 const UtilityParameters& params = {});

// What each hour of one stay earns if it alerts and if it does not (the official utility's terms:
// a stay's utility is the sum over hours of the term its prediction selects). For choosing a
// threshold that maximizes the utility. Errors as StayUtility.
struct HourUtility {
  double if_alert;
  double if_no_alert;
};
base::Result<std::vector<HourUtility>> HourUtilities(std::span<const uint8_t> labels,
                                                     const UtilityParameters& params = {});

// Observed, best, worst and inaction utilities of one stay.
struct StayUtilities {
  double observed;
  double best;
  double worst;
  double inaction;
};
base::Result<StayUtilities> StayUtilityBounds(std::span<const uint8_t> labels,
                                              std::span<const uint8_t> predictions,
                                              const UtilityParameters& params = {});

// (sum observed - sum inaction) / (sum best - sum inaction) over stays, each stay weighted by
// `weights` (its patient's bootstrap multiplicity; empty = 1). NaN when best == inaction (no septic
// stay).
double NormalizedUtility(std::span<const StayUtilities> stays, std::span<const double> weights);

// 2012 Event 1 from a 2x2 table: min(sensitivity, PPV). NaN when either is undefined.
double PhysioNet2012Event1(double tp, double fp, double fn);

}  // namespace vigil::evaluate

#endif  // VIGIL_EVALUATE_CHALLENGE_H_
