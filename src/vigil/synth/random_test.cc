#include "vigil/synth/random.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace vigil::synth {
namespace {

TEST(RandomTest, SameSeedAndStreamGiveTheSameNumbers) {
  Rng a(42, 7), b(42, 7), c(42, 8), d(43, 7);
  bool differs_stream = false, differs_seed = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs_stream = differs_stream || x != c.Next();
    differs_seed = differs_seed || x != d.Next();
  }
  EXPECT_TRUE(differs_stream);
  EXPECT_TRUE(differs_seed);
}

TEST(RandomTest, DistributionsHaveTheirMoments) {
  Rng rng(1, 1);
  constexpr int kN = 200000;
  double sum = 0, sum2 = 0, usum = 0, esum = 0;
  for (int i = 0; i < kN; ++i) {
    const double z = rng.Normal();
    sum += z;
    sum2 += z * z;
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    usum += u;
    esum += rng.Exponential(3.0);
  }
  EXPECT_NEAR(sum / kN, 0.0, 0.01);
  EXPECT_NEAR(sum2 / kN, 1.0, 0.01);
  EXPECT_NEAR(usum / kN, 0.5, 0.005);
  EXPECT_NEAR(esum / kN, 3.0, 0.03);
}

TEST(RandomTest, ChooseFollowsWeightsAndUniformIntStaysInRange) {
  Rng rng(5, 0);
  const std::array<double, 3> w = {1, 0, 3};
  std::array<int, 3> count{};
  for (int i = 0; i < 40000; ++i) ++count[rng.Choose(w)];
  EXPECT_EQ(count[1], 0);
  EXPECT_NEAR(count[2] / 40000.0, 0.75, 0.01);
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = rng.UniformInt(-3, 4);
    EXPECT_GE(v, -3);
    EXPECT_LE(v, 4);
  }
}

TEST(RandomTest, Mix64IsABijectionOnASample) {
  EXPECT_NE(Mix64(0), Mix64(1));
  EXPECT_EQ(Mix64(12345), Mix64(12345));
}

}  // namespace
}  // namespace vigil::synth
