#include "vigil/model/threshold.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vigil::model {
namespace {

// Ten rows, probabilities 0.1 .. 1.0; positives at 0.4, 0.7, 0.9, 1.0.
const std::vector<double> kP = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
const std::vector<float> kY = {0, 0, 0, 1, 0, 0, 1, 0, 1, 1};

TEST(ThresholdTest, TargetSensitivityTakesTheHighestThresholdReachingIt) {
  ThresholdRule rule;
  rule.kind = ThresholdRule::Kind::kTargetSensitivity;
  rule.target = 0.75;  // 3 of 4 positives: alert 0.7 and above
  auto op = ChooseThreshold(kP, kY, rule);
  ASSERT_TRUE(op.ok());
  EXPECT_DOUBLE_EQ(op->threshold, 0.7);
  EXPECT_DOUBLE_EQ(op->sensitivity, 0.75);
  EXPECT_DOUBLE_EQ(op->alert_rate, 0.4);
  EXPECT_DOUBLE_EQ(op->ppv, 0.75);
  EXPECT_DOUBLE_EQ(op->specificity, 5.0 / 6.0);
  rule.target = 0.76;  // needs all four
  EXPECT_DOUBLE_EQ(ChooseThreshold(kP, kY, rule)->threshold, 0.4);
}

TEST(ThresholdTest, MaxEvent1BalancesSensitivityAndPpv) {
  ThresholdRule rule;
  rule.kind = ThresholdRule::Kind::kMaxEvent1;
  // Alerting 0.9 and above: Se 2/4, PPV 1 -> 0.5; 0.7 and above: Se 3/4, PPV 3/4 -> 0.75 (best);
  // 0.4 and above: Se 1, PPV 4/7 -> 0.57.
  auto op = ChooseThreshold(kP, kY, rule);
  ASSERT_TRUE(op.ok());
  EXPECT_DOUBLE_EQ(op->threshold, 0.7);
  EXPECT_EQ(ThresholdRuleName(rule.kind), "max_event1");
  EXPECT_EQ(ParseThresholdRule("max_event1"), rule.kind);
  const std::vector<float> none(kY.size(), 0.0f);
  EXPECT_FALSE(ChooseThreshold(kP, none, rule).ok());
}

TEST(ThresholdTest, TargetAlertRateStaysAtOrBelowTheRate) {
  ThresholdRule rule;
  rule.kind = ThresholdRule::Kind::kTargetAlertRate;
  rule.target = 0.25;  // at most 2.5 of 10 rows: alert 0.9 and 1.0
  auto op = ChooseThreshold(kP, kY, rule);
  ASSERT_TRUE(op.ok());
  EXPECT_DOUBLE_EQ(op->threshold, 0.9);
  EXPECT_DOUBLE_EQ(op->alert_rate, 0.2);
  rule.target = 0.0;  // nothing alerted
  op = ChooseThreshold(kP, kY, rule);
  EXPECT_GT(op->threshold, 1.0);
  EXPECT_DOUBLE_EQ(op->alert_rate, 0.0);
  EXPECT_TRUE(std::isnan(op->ppv));
}

TEST(ThresholdTest, TiedProbabilitiesAreAlertedTogether) {
  std::vector<double> p = {0.2, 0.5, 0.5, 0.5, 0.9};
  std::vector<float> y = {0, 1, 0, 0, 1};
  ThresholdRule rule;
  rule.kind = ThresholdRule::Kind::kTargetAlertRate;
  rule.target = 0.5;  // 0.9 alone is 0.2; adding the 0.5 tie makes 0.8 > 0.5
  EXPECT_DOUBLE_EQ(ChooseThreshold(p, y, rule)->threshold, 0.9);
}

TEST(ThresholdTest, MaxUtilityWithConfusionWeights) {
  ThresholdRule rule;
  rule.kind = ThresholdRule::Kind::kMaxUtility;
  rule.true_positive = 1;
  rule.false_positive = -0.4;
  // Alerting from 0.9: 2 TP = 2. From 0.7: 3 TP, 1 FP = 2.6. From 0.4: 4 TP, 3 FP = 2.8.
  // From 0.1: 4 TP, 6 FP = 1.6.
  auto op = ChooseThreshold(kP, kY, rule);
  ASSERT_TRUE(op.ok());
  EXPECT_DOUBLE_EQ(op->threshold, 0.4);
  EXPECT_NEAR(op->utility, 2.8, 1e-12);
  rule.false_positive = -5;  // only the two top rows (both positive) are worth alerting
  op = ChooseThreshold(kP, kY, rule);
  EXPECT_DOUBLE_EQ(op->threshold, 0.9);
  EXPECT_DOUBLE_EQ(op->utility, 2.0);
  rule.true_positive = -1;  // alerting never pays: nothing alerted
  op = ChooseThreshold(kP, kY, rule);
  EXPECT_GT(op->threshold, 1.0);
  EXPECT_DOUBLE_EQ(op->utility, 0.0);
}

TEST(ThresholdTest, MaxUtilityWithRowUtilities) {
  ThresholdRule rule;
  rule.kind = ThresholdRule::Kind::kMaxUtility;
  // Only alerting the 0.5 row pays; alerting anything else costs.
  for (size_t i = 0; i < kP.size(); ++i) rule.row_utility.push_back({i == 4 ? 10.0 : -1.0, 0.0});
  auto op = ChooseThreshold(kP, kY, rule);
  ASSERT_TRUE(op.ok());
  EXPECT_DOUBLE_EQ(op->threshold, 0.5);  // 10 - 5 = 5, the best reachable
  EXPECT_DOUBLE_EQ(op->utility, 5.0);
  rule.row_utility.pop_back();
  EXPECT_EQ(ChooseThreshold(kP, kY, rule).status().code(), base::StatusCode::kInvalidArgument);
}

TEST(ThresholdTest, FixedRuleNamesAndErrors) {
  ThresholdRule rule;
  rule.kind = ThresholdRule::Kind::kFixed;
  rule.target = 0.65;
  auto op = ChooseThreshold(kP, kY, rule);
  ASSERT_TRUE(op.ok());
  EXPECT_DOUBLE_EQ(op->threshold, 0.65);
  EXPECT_DOUBLE_EQ(op->sensitivity, 0.75);
  rule.target = 1.5;
  EXPECT_EQ(ChooseThreshold(kP, kY, rule).status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_EQ(ChooseThreshold({}, {}, ThresholdRule{}).status().code(),
            base::StatusCode::kFailedPrecondition);
  for (auto k : {ThresholdRule::Kind::kFixed, ThresholdRule::Kind::kTargetSensitivity,
                 ThresholdRule::Kind::kTargetAlertRate, ThresholdRule::Kind::kMaxUtility}) {
    EXPECT_EQ(ParseThresholdRule(ThresholdRuleName(k)), k);
  }
  EXPECT_FALSE(ParseThresholdRule("best").has_value());
}

}  // namespace
}  // namespace vigil::model
