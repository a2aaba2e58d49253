// Calibration: do predicted probabilities match observed frequencies?
//
// Logistic recalibration (Cox 1958; Van Calster et al. 2016, 2019): with L = logit(p),
//   calibration intercept a:  logit P(y=1) = a + L      (L as an offset; 0 when calibrated in the
//   large) calibration slope b:      logit P(y=1) = c + b L    (1 when predictions are neither too
//   extreme nor
//                                                       too modest)
// both fitted by weighted maximum likelihood (Newton-Raphson). Probabilities are clipped to
// [1e-12, 1 - 1e-12] before the logit so that 0 and 1 stay finite.
//
// Thread-safety: all functions are pure.
#ifndef VIGIL_EVALUATE_CALIBRATION_H_
#define VIGIL_EVALUATE_CALIBRATION_H_

#include <cstdint>
#include <span>
#include <vector>

namespace vigil::evaluate {

// logit(p) with p clipped to [1e-12, 1 - 1e-12].
double ClippedLogit(double p);

struct Recalibration {
  double
      intercept;  // a of the offset model; NaN when undefined (one class only, or no convergence)
  double slope;   // b of the two-parameter model; NaN likewise
};

// Fits both models. `logits` are ClippedLogit(p). An empty weight span means every weight is 1.
// `start` warm-starts the fits (a bootstrap replicate starts from the whole sample's estimates).
Recalibration FitRecalibration(std::span<const double> logits, std::span<const uint8_t> labels,
                               std::span<const double> weights, Recalibration start = {0.0, 1.0});

// One bin of the reliability curve.
struct ReliabilityBin {
  double mean_predicted;  // mean probability in the bin
  double observed;        // fraction of positive rows in the bin
  double lower;           // Wilson 95 % interval of `observed`
  double upper;
  int64_t rows;
};

enum class Binning {
  kQuantile,    // bins of (nearly) equal numbers of rows by rank of probability (deciles of risk)
  kEqualWidth,  // [0, 1/k), [1/k, 2/k), ..., [(k-1)/k, 1]
};

// The reliability curve with `bins` bins (empty bins are omitted). Unweighted.
std::vector<ReliabilityBin> ReliabilityCurve(std::span<const double> probabilities,
                                             std::span<const uint8_t> labels, int bins,
                                             Binning binning);

// Wilson score interval for `successes` of `n` at 95 %. {NaN, NaN} when n == 0.
struct Interval {
  double lower;
  double upper;
};
Interval WilsonInterval(double successes, double n);

// The Hosmer-Lemeshow C-hat statistic over `groups` groups of (nearly) equal size by rank of
// probability ("deciles of risk" for 10): sum over groups of (O - E)^2 / (E (1 - E / n)), with O
// the positives, E the sum of probabilities and n the rows of the group; p-value from the
// chi-square distribution with groups - 2 degrees of freedom. Groups where E is 0 or n contribute
// nothing.
struct HosmerLemeshowResult {
  double statistic;
  int degrees_of_freedom;
  double p_value;
};
HosmerLemeshowResult HosmerLemeshow(std::span<const double> probabilities,
                                    std::span<const uint8_t> labels, int groups = 10);

// The PhysioNet/CinC Challenge 2012 Event 2 score, as the challenge's lemeshow.m (Silva 2012,
// v1.4): rows sorted by probability (ascending, stable); M = floor(N / 10); decile i holds sorted
// rows
// [(i-1) M, i M) (the N - 10 M highest-risk rows beyond are left out, as the official code does);
// with O the deaths and c the mean probability of a decile,
//   H = sum_i (O_i - M c_i)^2 / (M c_i (1 - c_i) + 0.001)  /  (c_10 - c_1).
// Lower is better. NaN when N < 10 or c_10 == c_1 (a constant predictor: the official code divides
// by zero).
double PhysioNet2012Event2(std::span<const double> probabilities, std::span<const uint8_t> labels);

// P(X > x) for X chi-square with `dof` degrees of freedom (regularized upper incomplete gamma).
double ChiSquareSurvival(double x, int dof);

}  // namespace vigil::evaluate

#endif  // VIGIL_EVALUATE_CALIBRATION_H_
