#include "vigil/base/quantile.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil::base {
namespace {

// numpy.quantile([5, 1, 4, 2, 3], q) with its default linear method: 1, 1.04, 2, 3, 4.96, 5.
TEST(QuantileTest, InterpolatesLinearlyBetweenOrderStatisticsLikeNumpy) {
  const std::vector<double> sample = {5, 1, 4, 2, 3};
  const std::pair<double, double> cases[] = {{0, 1},   {0.01, 1.04}, {0.25, 2},
                                             {0.5, 3}, {0.99, 4.96}, {1, 5}};
  for (const auto& [q, expected] : cases) {
    std::vector<double> v = sample;  // reordered by each call
    EXPECT_DOUBLE_EQ(Quantile(std::span(v), q), expected) << q;
  }
  std::vector<float> one = {7.5f};
  EXPECT_EQ(Quantile(std::span(one), 0.3), 7.5);
  std::vector<float> ties = {2, 2, 2, 9};
  EXPECT_DOUBLE_EQ(Quantile(std::span(ties), 0.5), 2.0);
  EXPECT_DOUBLE_EQ(Quantile(std::span(ties), 0.9), 2.0 + 0.7 * 7.0);
}

}  // namespace
}  // namespace vigil::base
