#include "vigil/evaluate/calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace vigil::evaluate {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kProbabilityClip = 1e-12;
constexpr int kMaxNewtonIterations = 50;
constexpr int kMaxStepHalvings = 30;
constexpr double kNewtonTolerance = 1e-8;
constexpr double kZ95 = 1.959963984540054;  // standard normal 97.5th percentile
// Regularization the official lemeshow.m adds to each decile's denominator.
constexpr double kPhysioNetH2012Epsilon = 0.001;
constexpr int kPhysioNetDeciles = 10;
constexpr int kGammaMaxIterations = 500;
constexpr double kGammaEpsilon = 1e-15;

double WeightOf(std::span<const double> weights, size_t row) {
  return weights.empty() ? 1.0 : weights[row];
}

double Sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

// Gradient and (negated) Hessian of the weighted log-likelihood of logit P = a + b L, in one pass.
struct NewtonPass {
  double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
  double GradientNorm2() const { return ga * ga + gb * gb; }
};

NewtonPass Pass(std::span<const double> logits, std::span<const uint8_t> labels,
                std::span<const double> weights, bool fit_slope, double a, double b) {
  NewtonPass s;
  for (size_t i = 0; i < logits.size(); ++i) {
    const double w = WeightOf(weights, i);
    if (w == 0) continue;
    const double p = Sigmoid(a + b * logits[i]);
    const double r = w * (labels[i] - p);
    const double v = w * p * (1 - p);
    s.ga += r;
    s.haa += v;
    if (fit_slope) {
      s.gb += r * logits[i];
      s.hab += v * logits[i];
      s.hbb += v * logits[i] * logits[i];
    }
  }
  return s;
}

// Newton-Raphson on logit P = a + b L (b fixed when `fit_slope` is false: the offset model), with
// backtracking on the gradient norm: along the Newton direction the gradient shrinks for small
// enough steps, so a halved step is always eventually accepted. One pass over the rows per
// iteration (the log-likelihood itself is never needed). Returns false when the fit does not
// converge (for example, separation, where the estimates run off to infinity).
bool FitLogistic(std::span<const double> logits, std::span<const uint8_t> labels,
                 std::span<const double> weights, bool fit_slope, double& a, double& b) {
  NewtonPass s = Pass(logits, labels, weights, fit_slope, a, b);
  for (int iter = 0; iter < kMaxNewtonIterations; ++iter) {
    double da = 0, db = 0;
    if (fit_slope) {
      const double det = s.haa * s.hbb - s.hab * s.hab;
      if (!(det > 0)) return false;
      da = (s.hbb * s.ga - s.hab * s.gb) / det;
      db = (s.haa * s.gb - s.hab * s.ga) / det;
    } else {
      if (!(s.haa > 0)) return false;
      da = s.ga / s.haa;
    }
    if (std::abs(da) < kNewtonTolerance && std::abs(db) < kNewtonTolerance) {
      a += da;
      b += db;
      return true;
    }
    double step = 1.0;
    NewtonPass next = Pass(logits, labels, weights, fit_slope, a + da, b + db);
    for (int h = 0; h < kMaxStepHalvings && !(next.GradientNorm2() < s.GradientNorm2()); ++h) {
      step *= 0.5;
      next = Pass(logits, labels, weights, fit_slope, a + step * da, b + step * db);
    }
    a += step * da;
    b += step * db;
    s = next;
    if (!std::isfinite(a) || !std::isfinite(b)) return false;
  }
  return false;
}

// Row indices sorted by ascending probability (stable).
std::vector<uint32_t> AscendingOrder(std::span<const double> probabilities) {
  std::vector<uint32_t> order(probabilities.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t x, uint32_t y) { return probabilities[x] < probabilities[y]; });
  return order;
}

// Regularized lower incomplete gamma P(s, x) by its series (x < s + 1).
double GammaSeries(double s, double x) {
  double term = 1.0 / s;
  double sum = term;
  for (int n = 1; n < kGammaMaxIterations; ++n) {
    term *= x / (s + n);
    sum += term;
    if (std::abs(term) < std::abs(sum) * kGammaEpsilon) break;
  }
  return sum * std::exp(-x + s * std::log(x) - std::lgamma(s));
}

// Regularized upper incomplete gamma Q(s, x) by Lentz's continued fraction (x >= s + 1).
double GammaContinuedFraction(double s, double x) {
  constexpr double kTiny = 1e-300;
  double b = x + 1.0 - s;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < kGammaMaxIterations; ++i) {
    const double an = -i * (i - s);
    b += 2.0;
    d = an * d + b;
    if (std::abs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1.0) < kGammaEpsilon) break;
  }
  return std::exp(-x + s * std::log(x) - std::lgamma(s)) * h;
}

}  // namespace

double ClippedLogit(double p) {
  const double q = std::clamp(p, kProbabilityClip, 1.0 - kProbabilityClip);
  return std::log(q / (1.0 - q));
}

Recalibration FitRecalibration(std::span<const double> logits, std::span<const uint8_t> labels,
                               std::span<const double> weights, Recalibration start) {
  Recalibration out{kNaN, kNaN};
  double pos = 0, neg = 0;
  for (size_t i = 0; i < labels.size(); ++i) (labels[i] ? pos : neg) += WeightOf(weights, i);
  if (pos <= 0 || neg <= 0) return out;
  double a = std::isfinite(start.intercept) ? start.intercept : 0.0;
  double b = 1.0;
  if (FitLogistic(logits, labels, weights, /*fit_slope=*/false, a, b)) out.intercept = a;
  a = 0.0;
  b = std::isfinite(start.slope) ? start.slope : 1.0;
  if (FitLogistic(logits, labels, weights, /*fit_slope=*/true, a, b)) out.slope = b;
  return out;
}

Interval WilsonInterval(double successes, double n) {
  if (n <= 0) return {kNaN, kNaN};
  const double p = successes / n;
  const double z2 = kZ95 * kZ95;
  const double center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = kZ95 * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

std::vector<ReliabilityBin> ReliabilityCurve(std::span<const double> probabilities,
                                             std::span<const uint8_t> labels, int bins,
                                             Binning binning) {
  const size_t n = probabilities.size();
  if (bins < 1 || n == 0) return {};
  std::vector<int> bin_of(n);
  if (binning == Binning::kQuantile) {
    const std::vector<uint32_t> order = AscendingOrder(probabilities);
    for (size_t rank = 0; rank < n; ++rank) {
      bin_of[order[rank]] = static_cast<int>(rank * static_cast<size_t>(bins) / n);
    }
  } else {
    for (size_t i = 0; i < n; ++i) {
      bin_of[i] = std::min(bins - 1, static_cast<int>(std::floor(probabilities[i] * bins)));
    }
  }
  std::vector<double> sum_p(bins, 0), sum_y(bins, 0), count(bins, 0);
  for (size_t i = 0; i < n; ++i) {
    sum_p[bin_of[i]] += probabilities[i];
    sum_y[bin_of[i]] += labels[i];
    count[bin_of[i]] += 1;
  }
  std::vector<ReliabilityBin> out;
  for (int b = 0; b < bins; ++b) {
    if (count[b] == 0) continue;
    const Interval ci = WilsonInterval(sum_y[b], count[b]);
    out.push_back({sum_p[b] / count[b], sum_y[b] / count[b], ci.lower, ci.upper,
                   static_cast<int64_t>(count[b])});
  }
  return out;
}

HosmerLemeshowResult HosmerLemeshow(std::span<const double> probabilities,
                                    std::span<const uint8_t> labels, int groups) {
  const size_t n = probabilities.size();
  if (groups < 3 || n < static_cast<size_t>(groups)) return {kNaN, groups - 2, kNaN};
  const std::vector<uint32_t> order = AscendingOrder(probabilities);
  std::vector<double> observed(groups, 0), expected(groups, 0), count(groups, 0);
  for (size_t rank = 0; rank < n; ++rank) {
    const size_t g = rank * static_cast<size_t>(groups) / n;
    observed[g] += labels[order[rank]];
    expected[g] += probabilities[order[rank]];
    count[g] += 1;
  }
  double c_hat = 0;
  for (int g = 0; g < groups; ++g) {
    const double denom = expected[g] * (1.0 - expected[g] / count[g]);
    if (denom > 0) c_hat += (observed[g] - expected[g]) * (observed[g] - expected[g]) / denom;
  }
  return {c_hat, groups - 2, ChiSquareSurvival(c_hat, groups - 2)};
}

double PhysioNet2012Event2(std::span<const double> probabilities, std::span<const uint8_t> labels) {
  const size_t n = probabilities.size();
  const size_t m = n / kPhysioNetDeciles;
  if (m == 0) return kNaN;
  const std::vector<uint32_t> order = AscendingOrder(probabilities);
  double h = 0;
  double first_centroid = 0;
  double last_centroid = 0;
  for (int decile = 0; decile < kPhysioNetDeciles; ++decile) {
    double deaths = 0;
    double risk = 0;
    for (size_t k = decile * m; k < (decile + 1) * m; ++k) {
      deaths += labels[order[k]];
      risk += probabilities[order[k]];
    }
    const double md = static_cast<double>(m);
    const double centroid = risk / md;
    const double expected = md * centroid;
    h += (deaths - expected) * (deaths - expected) /
         (md * centroid * (1.0 - centroid) + kPhysioNetH2012Epsilon);
    if (decile == 0) first_centroid = centroid;
    last_centroid = centroid;
  }
  const double range = last_centroid - first_centroid;
  return range > 0 ? h / range : kNaN;
}

double ChiSquareSurvival(double x, int dof) {
  if (dof < 1 || std::isnan(x)) return kNaN;
  if (x <= 0) return 1.0;
  const double s = 0.5 * dof;
  const double half_x = 0.5 * x;
  if (half_x < s + 1.0) return 1.0 - GammaSeries(s, half_x);
  return GammaContinuedFraction(s, half_x);
}

}  // namespace vigil::evaluate
