#include "vigil/model/scoring.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace vigil::model {
namespace {

TEST(ScoringTest, AurocKnownValues) {
  const std::vector<float> y = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(Auroc(std::vector<double>{0.1, 0.2, 0.3, 0.4}, y), 1.0);
  EXPECT_DOUBLE_EQ(Auroc(std::vector<double>{0.4, 0.3, 0.2, 0.1}, y), 0.0);
  EXPECT_DOUBLE_EQ(Auroc(std::vector<double>{0.5, 0.5, 0.5, 0.5}, y), 0.5);
  // Pairs (pos, neg): (0.35 vs 0.1, 0.4) -> 1, 0; (0.8 vs 0.1, 0.4) -> 1, 1: 3 of 4.
  EXPECT_DOUBLE_EQ(Auroc(std::vector<double>{0.1, 0.4, 0.35, 0.8}, y), 0.75);
  // A tie between a positive and a negative counts one half: (0.4 vs 0.1, 0.4) -> 1, 0.5.
  EXPECT_DOUBLE_EQ(Auroc(std::vector<double>{0.1, 0.4, 0.4, 0.8}, y), 0.875);
  EXPECT_TRUE(std::isnan(Auroc(std::vector<double>{0.1, 0.2}, std::vector<float>{1, 1})));
}

TEST(ScoringTest, LogLossAndBrier) {
  const std::vector<float> y = {1, 0};
  const std::vector<double> p = {0.8, 0.4};
  EXPECT_NEAR(LogLoss(p, y), -(std::log(0.8) + std::log(0.6)) / 2, 1e-12);
  EXPECT_NEAR(BrierScore(p, y), (0.04 + 0.16) / 2, 1e-12);
  // Exact 0/1 probabilities give a finite log loss.
  EXPECT_TRUE(std::isfinite(LogLoss(std::vector<double>{0.0, 1.0}, y)));
}

TEST(ScoringTest, ExpectedCalibrationError) {
  // Two bins: probabilities 0.25 (observed 1/4) and 0.75 (observed 3/4): perfectly calibrated.
  std::vector<double> p = {0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75};
  std::vector<float> y = {1, 0, 0, 0, 1, 1, 1, 0};
  EXPECT_NEAR(ExpectedCalibrationError(p, y, 2), 0.0, 1e-12);
  std::vector<float> all_positive(8, 1.0f);
  EXPECT_NEAR(ExpectedCalibrationError(p, all_positive, 2), 0.5, 1e-12);
}

TEST(ScoringTest, SigmoidIsStableAtExtremes) {
  EXPECT_DOUBLE_EQ(Sigmoid(0), 0.5);
  EXPECT_NEAR(Sigmoid(800), 1.0, 1e-15);
  EXPECT_GE(Sigmoid(-800), 0.0);
  EXPECT_NEAR(Sigmoid(2) + Sigmoid(-2), 1.0, 1e-15);
}

}  // namespace
}  // namespace vigil::model
