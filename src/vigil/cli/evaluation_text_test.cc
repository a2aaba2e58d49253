#include "vigil/cli/evaluation_text.h"

#include <gtest/gtest.h>

#include <limits>

namespace vigil::cli {
namespace {

evaluate::Estimate Make(double value, double lower, double upper) {
  evaluate::Estimate e;
  e.value = value;
  e.lower = lower;
  e.upper = upper;
  return e;
}

TEST(EstTest, IntervalWithPositiveBoundsUsesADash) {
  EXPECT_EQ(Est(Make(0.842, 0.815, 0.866)), "0.842 (0.815-0.866)");
}

TEST(EstTest, NegativeBoundIsNotReadAsASubtraction) {
  EXPECT_EQ(Est(Make(-0.02, -0.255, 0.181)), "-0.020 (-0.255 to 0.181)");
  EXPECT_EQ(Est(Make(-0.3, -0.5, -0.1)), "-0.300 (-0.500 to -0.100)");
}

TEST(EstTest, MissingIntervalOrValue) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(Est(Make(0.5, nan, nan)), "0.500");
  EXPECT_EQ(Est(Make(nan, nan, nan)), "n/a");
}

}  // namespace
}  // namespace vigil::cli
