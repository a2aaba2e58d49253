// The q-quantile of a sample, interpolated linearly between order statistics (numpy's default
// "linear" method): the bootstrap's percentile intervals and the logistic model's clipping bounds.
#ifndef VIGIL_BASE_QUANTILE_H_
#define VIGIL_BASE_QUANTILE_H_

#include <algorithm>
#include <cstddef>
#include <span>

namespace vigil::base {

// 0 <= q <= 1; `values` must not be empty. Reorders `values` (std::nth_element: O(n), no sort).
template <typename T>
double Quantile(std::span<T> values, double q) {
  const double pos = q * static_cast<double>(values.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const auto at = [&](size_t i) { return values.begin() + static_cast<std::ptrdiff_t>(i); };
  std::nth_element(values.begin(), at(lo), values.end());
  const double a = values[lo];
  if (lo + 1 >= values.size()) return a;
  const double b = *std::min_element(at(lo + 1), values.end());  // the next order statistic
  return a + (pos - static_cast<double>(lo)) * (b - a);
}

}  // namespace vigil::base

#endif  // VIGIL_BASE_QUANTILE_H_
