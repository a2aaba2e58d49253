#include "vigil/report/shap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace vigil::report {
namespace {

constexpr int kSwarmBins = 60;        // horizontal bins in which dots are stacked
constexpr double kSwarmSpread = 0.9;  // fraction of the band the tallest stack fills

// Rank in [0, 1] of each sampled value within the feature's sampled values (ties share a rank).
std::vector<double> ValueRanks(const std::vector<double>& values) {
  std::vector<size_t> order;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isnan(values[i])) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> rank(values.size(), std::numeric_limits<double>::quiet_NaN());
  const double denom = order.size() > 1 ? static_cast<double>(order.size() - 1) : 1.0;
  for (size_t k = 0; k < order.size();) {
    size_t end = k;
    while (end < order.size() && values[order[end]] == values[order[k]]) ++end;
    const double r = order.size() > 1 ? (static_cast<double>(k + end - 1) / 2.0) / denom : 0.5;
    for (size_t j = k; j < end; ++j) rank[order[j]] = r;
    k = end;
  }
  return rank;
}

// Stacks dots that share a horizontal bin symmetrically around the band's centre.
void Swarm(std::vector<ShapDot>& dots, double lo, double hi) {
  const double span = hi > lo ? hi - lo : 1.0;
  std::map<int, std::vector<size_t>> bins;
  for (size_t i = 0; i < dots.size(); ++i) {
    const int b = static_cast<int>(std::floor((dots[i].contribution - lo) / span * kSwarmBins));
    bins[std::clamp(b, 0, kSwarmBins - 1)].push_back(i);
  }
  size_t tallest = 1;
  for (const auto& [bin, members] : bins) tallest = std::max(tallest, members.size());
  const double step = kSwarmSpread / static_cast<double>(tallest);
  for (const auto& [bin, members] : bins) {
    for (size_t k = 0; k < members.size(); ++k) {
      // 0, +1, -1, +2, -2, ... steps from the centre.
      const double level = (k % 2 == 0 ? 1.0 : -1.0) * static_cast<double>((k + 1) / 2);
      dots[members[k]].offset = level * step;
    }
  }
}

}  // namespace

base::Result<ShapSummary> SummarizeShap(const ShapInput& input, size_t top, size_t max_dots) {
  const size_t cols = input.names.size();
  if (cols == 0) return base::InvalidArgumentError("SHAP summary: no features");
  if (input.contributions.size() % cols != 0 || input.values.size() != input.contributions.size()) {
    return base::InvalidArgumentError(
        "SHAP summary: contribution and value matrices do not match the feature names");
  }
  if (!input.display_names.empty() && input.display_names.size() != cols) {
    return base::InvalidArgumentError("SHAP summary: display names do not match the features");
  }
  ShapSummary s;
  s.rows = input.contributions.size() / cols;
  std::vector<double> mean_abs(cols, 0);
  for (size_t r = 0; r < s.rows; ++r) {
    for (size_t c = 0; c < cols; ++c) mean_abs[c] += std::abs(input.contributions[r * cols + c]);
  }
  for (double& m : mean_abs) m /= std::max<size_t>(s.rows, 1);
  std::vector<size_t> order(cols);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return mean_abs[a] > mean_abs[b]; });
  order.resize(std::min(top, cols));

  const size_t sampled = std::min(max_dots, s.rows);
  bool first = true;
  for (size_t c : order) {
    ShapFeature f;
    f.name = input.display_names.empty() ? input.names[c] : input.display_names[c];
    f.column = input.names[c];
    f.mean_abs = mean_abs[c];
    std::vector<double> values;
    for (size_t k = 0; k < sampled; ++k) {
      const size_t r = sampled == s.rows ? k : k * s.rows / sampled;
      const double contribution = input.contributions[r * cols + c];
      f.dots.push_back({contribution, 0.0, 0.0});
      values.push_back(input.values[r * cols + c]);
      s.min_contribution = first ? contribution : std::min(s.min_contribution, contribution);
      s.max_contribution = first ? contribution : std::max(s.max_contribution, contribution);
      first = false;
    }
    const std::vector<double> ranks = ValueRanks(values);
    for (size_t k = 0; k < f.dots.size(); ++k) f.dots[k].value_rank = ranks[k];
    s.features.push_back(std::move(f));
  }
  for (ShapFeature& f : s.features) Swarm(f.dots, s.min_contribution, s.max_contribution);
  return s;
}

}  // namespace vigil::report
