#include "vigil/synth/auroc.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil::synth {
namespace {

TEST(AurocTest, PerfectReversedAndTied) {
  const std::vector<uint8_t> labels = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(*Auroc(std::vector<double>{1, 2, 3, 4}, labels), 1.0);
  EXPECT_DOUBLE_EQ(*Auroc(std::vector<double>{4, 3, 2, 1}, labels), 0.0);
  EXPECT_DOUBLE_EQ(*Auroc(std::vector<double>{5, 5, 5, 5}, labels), 0.5);
}

TEST(AurocTest, CountsTiesAsOneHalf) {
  // Positives 0.8, 0.4; negatives 0.4, 0.1, 0.3. Pairs: (0.8 > all 3) = 3, (0.4 vs 0.4) = 0.5,
  // (0.4 > 0.1, 0.3) = 2: 5.5 / 6.
  const std::vector<double> s = {0.8, 0.4, 0.4, 0.1, 0.3};
  const std::vector<uint8_t> y = {1, 1, 0, 0, 0};
  EXPECT_NEAR(*Auroc(s, y), 5.5 / 6.0, 1e-12);
}

TEST(AurocTest, UndefinedWithoutBothClasses) {
  EXPECT_FALSE(Auroc(std::vector<double>{1, 2}, std::vector<uint8_t>{0, 0}).has_value());
  EXPECT_FALSE(Auroc(std::vector<double>{1, 2}, std::vector<uint8_t>{1, 1}).has_value());
  EXPECT_FALSE(Auroc(std::vector<double>{}, std::vector<uint8_t>{}).has_value());
}

}  // namespace
}  // namespace vigil::synth
