#include "vigil/evaluate/bootstrap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

namespace vigil::evaluate {
namespace {

TEST(BootstrapTest, BelowIsInRangeAndCoversIt) {
  SplitMix64 rng(5);
  std::vector<int> seen(7, 0);
  for (int i = 0; i < 7000; ++i) {
    const uint64_t v = rng.Below(7);
    ASSERT_LT(v, 7u);
    ++seen[v];
  }
  for (int c : seen) EXPECT_GT(c, 850);  // expected 1000 each
}

TEST(BootstrapTest, ResampleCountsAreDeterministicAndSumToN) {
  const auto a = ResampleCounts(42, 3, 500);
  const auto b = ResampleCounts(42, 3, 500);
  const auto c = ResampleCounts(42, 4, 500);
  const auto d = ResampleCounts(43, 3, 500);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
  EXPECT_EQ(std::accumulate(a.begin(), a.end(), 0u), 500u);
  // About 1 - 1/e of patients are drawn at least once.
  const auto drawn = std::count_if(a.begin(), a.end(), [](uint32_t k) { return k > 0; });
  EXPECT_NEAR(static_cast<double>(drawn) / 500, 1 - std::exp(-1.0), 0.06);
  EXPECT_TRUE(ResampleCounts(1, 0, 0).empty());
}

TEST(BootstrapTest, DerivedSeedsDifferByStream) {
  EXPECT_EQ(DeriveSeed(1, "sex=F"), DeriveSeed(1, "sex=F"));
  EXPECT_NE(DeriveSeed(1, "sex=F"), DeriveSeed(1, "sex=M"));
  EXPECT_NE(DeriveSeed(1, "sex=F"), DeriveSeed(2, "sex=F"));
}

TEST(BootstrapTest, PercentileIntervalInterpolatesLikeNumpy) {
  std::vector<double> v;
  for (int i = 0; i <= 100; ++i) v.push_back(i);
  Estimate e = PercentileInterval(50, v);
  EXPECT_DOUBLE_EQ(e.lower, 2.5);
  EXPECT_DOUBLE_EQ(e.upper, 97.5);
  EXPECT_EQ(e.replicates, 101);
  // numpy.percentile([1, 2, 3, 4], [2.5, 97.5]) = [1.075, 3.925]
  e = PercentileInterval(2, {4, 1, 3, 2});
  EXPECT_NEAR(e.lower, 1.075, 1e-12);
  EXPECT_NEAR(e.upper, 3.925, 1e-12);
}

TEST(BootstrapTest, PercentileIntervalNeedsHalfTheReplicatesDefined) {
  const double nan = std::nan("");
  Estimate e = PercentileInterval(0.5, {0.4, nan, nan, 0.6});
  EXPECT_EQ(e.replicates, 2);
  EXPECT_DOUBLE_EQ(e.lower, 0.405);
  e = PercentileInterval(0.5, {0.4, nan, nan, nan});
  EXPECT_TRUE(std::isnan(e.lower));
  EXPECT_DOUBLE_EQ(e.value, 0.5);
  e = PercentileInterval(nan, {0.4, 0.5});
  EXPECT_TRUE(std::isnan(e.upper));
}

}  // namespace
}  // namespace vigil::evaluate
