#include "vigil/model/scoring.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace vigil::model {
double Auroc(std::span<const double> scores, std::span<const float> labels) {
  const size_t n = scores.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  double positive_rank_sum = 0;
  size_t positives = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    const double mid_rank = 0.5 * static_cast<double>(i + 1 + j);  // ranks i+1 .. j
    for (size_t t = i; t < j; ++t) {
      if (labels[order[t]] > 0.5f) {
        positive_rank_sum += mid_rank;
        ++positives;
      }
    }
    i = j;
  }
  const size_t negatives = n - positives;
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  const double p = static_cast<double>(positives);
  const double u = positive_rank_sum - p * (p + 1) / 2;
  return u / (p * static_cast<double>(negatives));
}

double LogLoss(std::span<const double> probabilities, std::span<const float> labels) {
  if (probabilities.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (size_t i = 0; i < probabilities.size(); ++i) {
    const double p = ClipProbability(probabilities[i]);
    sum -= labels[i] > 0.5f ? std::log(p) : std::log1p(-p);
  }
  return sum / static_cast<double>(probabilities.size());
}

double BrierScore(std::span<const double> probabilities, std::span<const float> labels) {
  if (probabilities.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (size_t i = 0; i < probabilities.size(); ++i) {
    const double d = probabilities[i] - (labels[i] > 0.5f ? 1.0 : 0.0);
    sum += d * d;
  }
  return sum / static_cast<double>(probabilities.size());
}

double ExpectedCalibrationError(std::span<const double> probabilities,
                                std::span<const float> labels, int bins) {
  if (probabilities.empty() || bins < 1) return std::numeric_limits<double>::quiet_NaN();
  std::vector<double> sum_p(bins, 0), sum_y(bins, 0), count(bins, 0);
  for (size_t i = 0; i < probabilities.size(); ++i) {
    const int b = std::clamp(static_cast<int>(probabilities[i] * bins), 0, bins - 1);
    sum_p[b] += probabilities[i];
    sum_y[b] += labels[i] > 0.5f ? 1.0 : 0.0;
    count[b] += 1;
  }
  double ece = 0;
  for (int b = 0; b < bins; ++b) ece += std::abs(sum_p[b] - sum_y[b]);
  return ece / static_cast<double>(probabilities.size());
}

}  // namespace vigil::model
