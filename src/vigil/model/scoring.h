// Small scores used inside training (model selection, calibration choice, early-stopping checks).
// The evaluate module owns the full validation metrics (intervals, curves, subgroups); these are
// the minimum training needs, on held-out predictions only.
//
// All take parallel spans of scores and labels (1 or 0; callers drop unlabelled rows).
#ifndef VIGIL_MODEL_SCORING_H_
#define VIGIL_MODEL_SCORING_H_

#include <algorithm>
#include <cmath>
#include <span>

namespace vigil::model {

// Probabilities are clipped to [kMinProbability, 1 - kMinProbability] wherever a logarithm is
// taken, so that a calibrator that outputs exactly 0 or 1 gives a finite log loss.
inline constexpr double kMinProbability = 1e-6;
inline double ClipProbability(double p) {
  return std::clamp(p, kMinProbability, 1.0 - kMinProbability);
}

// Area under the ROC curve (Mann-Whitney U with mid-ranks for ties). NaN when there are no
// positives or no negatives.
double Auroc(std::span<const double> scores, std::span<const float> labels);

// Mean negative log-likelihood of `probabilities`.
double LogLoss(std::span<const double> probabilities, std::span<const float> labels);

// Mean squared error of `probabilities` against the labels.
double BrierScore(std::span<const double> probabilities, std::span<const float> labels);

// Expected calibration error over `bins` equal-width probability bins: the row-weighted mean of
// |mean probability - positive fraction| per bin.
double ExpectedCalibrationError(std::span<const double> probabilities,
                                std::span<const float> labels, int bins = 10);

inline double Sigmoid(double margin) {
  return margin >= 0 ? 1.0 / (1.0 + std::exp(-margin))
                     : std::exp(margin) / (1.0 + std::exp(margin));
}

}  // namespace vigil::model

#endif  // VIGIL_MODEL_SCORING_H_
