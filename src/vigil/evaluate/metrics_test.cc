#include "vigil/evaluate/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "vigil/evaluate/bootstrap.h"

namespace vigil::evaluate {
namespace {

// AUROC by its definition: over all (positive, negative) pairs, 1 when the positive scores higher,
// 1/2 on a tie; each pair weighted by the product of the two rows' weights.
double BruteForceMannWhitney(const std::vector<double>& s, const std::vector<uint8_t>& y,
                             const std::vector<double>& w) {
  double num = 0, den = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!y[i]) continue;
    for (size_t j = 0; j < s.size(); ++j) {
      if (y[j]) continue;
      const double pair = w[i] * w[j];
      num += pair * (s[i] > s[j] ? 1.0 : s[i] == s[j] ? 0.5 : 0.0);
      den += pair;
    }
  }
  return num / den;
}

TEST(MetricsTest, HandComputedAurocAndAveragePrecision) {
  // Pairs (pos, neg): (0.35, 0.1) yes, (0.35, 0.4) no, (0.8, 0.1) yes, (0.8, 0.4) yes: 3/4.
  const std::vector<double> s = {0.1, 0.4, 0.35, 0.8};
  const std::vector<uint8_t> y = {0, 0, 1, 1};
  const Ranking r = Ranking::Build(s);
  EXPECT_DOUBLE_EQ(Auroc(r, y, {}), 0.75);
  // Thresholds 0.8: recall 1/2, precision 1; 0.35: recall 1, precision 2/3. AP = 0.5 + 0.5 * 2/3.
  EXPECT_DOUBLE_EQ(AveragePrecision(r, y, {}), 0.5 + 0.5 * 2.0 / 3.0);
}

TEST(MetricsTest, PhysioNetScorerExample) {
  // The example in evaluate_sepsis_score.py's compute_auc: AUROC 1, AUPRC 1.
  const std::vector<double> s = {0.3, 0.4, 0.6, 0.7, 0.8, 0.8};
  const std::vector<uint8_t> y = {0, 0, 0, 0, 1, 1};
  const Ranking r = Ranking::Build(s);
  EXPECT_DOUBLE_EQ(Auroc(r, y, {}), 1.0);
  EXPECT_DOUBLE_EQ(AveragePrecision(r, y, {}), 1.0);
}

TEST(MetricsTest, MatchesTheOfficialPhysioNetScorerWithTies) {
  // Reference values from compute_auc of the official evaluate_sepsis_score.py on these 40 rows
  // (scores strictly between 0 and 1: the official code leaves out the curve segments of scores of
  // exactly 1 and 0, so it departs from the Mann-Whitney statistic there; see docs/evaluation.md).
  const std::vector<double> s = {0.6, 0.9, 0.7, 0.3, 0.3, 0.8, 0.1, 0.8, 0.8, 0.5,
                                 0.3, 0.3, 0.3, 0.5, 0.5, 0.5, 0.9, 0.8, 0.6, 0.9,
                                 0.2, 0.2, 0.6, 0.1, 0.1, 0.5, 0.5, 0.9, 0.6, 0.5,
                                 0.5, 0.3, 0.1, 0.2, 0.7, 0.2, 0.4, 0.1, 0.8, 0.2};
  const std::vector<uint8_t> y = {1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 1,
                                  0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1};
  const Ranking r = Ranking::Build(s);
  EXPECT_NEAR(Auroc(r, y, {}), 0.83959899749373434, 1e-12);
  EXPECT_NEAR(AveragePrecision(r, y, {}), 0.86787686088928317, 1e-12);
}

TEST(MetricsTest, AllTiedScoresGiveOneHalf) {
  const std::vector<double> s(6, 0.5);
  const std::vector<uint8_t> y = {1, 0, 1, 0, 0, 0};
  const Ranking r = Ranking::Build(s);
  EXPECT_EQ(r.group_end.size(), 1u);
  EXPECT_DOUBLE_EQ(Auroc(r, y, {}), 0.5);
  EXPECT_DOUBLE_EQ(AveragePrecision(r, y, {}), 2.0 / 6.0);  // precision = prevalence
}

TEST(MetricsTest, AurocEqualsBruteForceMannWhitneyWithTiesAndWeights) {
  SplitMix64 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    const size_t n = 50 + rng.Below(150);
    std::vector<double> s(n), w(n);
    std::vector<uint8_t> y(n);
    for (size_t i = 0; i < n; ++i) {
      s[i] = static_cast<double>(rng.Below(12)) / 10.0;  // few distinct values: many ties
      y[i] = rng.Below(100) < 20 + 5 * s[i] * 10 ? 1 : 0;
      w[i] = static_cast<double>(rng.Below(4));  // bootstrap-like multiplicities, zeros included
    }
    const Ranking r = Ranking::Build(s);
    const std::vector<double> ones(n, 1.0);
    EXPECT_NEAR(Auroc(r, y, {}), BruteForceMannWhitney(s, y, ones), 1e-12) << "trial " << trial;
    EXPECT_NEAR(Auroc(r, y, w), BruteForceMannWhitney(s, y, w), 1e-12) << "trial " << trial;
  }
}

TEST(MetricsTest, WeightsEqualRepeatedRows) {
  const std::vector<double> s = {0.9, 0.2, 0.6, 0.4, 0.7};
  const std::vector<uint8_t> y = {1, 0, 0, 1, 1};
  const std::vector<double> w = {2, 1, 3, 0, 1};
  std::vector<double> s2;
  std::vector<uint8_t> y2;
  for (size_t i = 0; i < s.size(); ++i) {
    for (int k = 0; k < w[i]; ++k) {
      s2.push_back(s[i]);
      y2.push_back(y[i]);
    }
  }
  const Ranking r = Ranking::Build(s);
  const Ranking r2 = Ranking::Build(s2);
  EXPECT_NEAR(Auroc(r, y, w), Auroc(r2, y2, {}), 1e-12);
  EXPECT_NEAR(AveragePrecision(r, y, w), AveragePrecision(r2, y2, {}), 1e-12);
  EXPECT_NEAR(BrierScore(s, y, w), BrierScore(s2, y2, {}), 1e-12);
  const Confusion a = ConfusionAt(s, y, w, 0.5);
  const Confusion b = ConfusionAt(s2, y2, {}, 0.5);
  EXPECT_EQ(a.tp, b.tp);
  EXPECT_EQ(a.fp, b.fp);
  EXPECT_EQ(a.tn, b.tn);
  EXPECT_EQ(a.fn, b.fn);
}

TEST(MetricsTest, UndefinedWithoutBothClasses) {
  const std::vector<double> s = {0.1, 0.2};
  const std::vector<uint8_t> none = {0, 0};
  const std::vector<uint8_t> all = {1, 1};
  const Ranking r = Ranking::Build(s);
  EXPECT_TRUE(std::isnan(Auroc(r, none, {})));
  EXPECT_TRUE(std::isnan(Auroc(r, all, {})));
  EXPECT_TRUE(std::isnan(AveragePrecision(r, none, {})));
  EXPECT_TRUE(RocCurve(r, s, none, 10).empty());
  EXPECT_TRUE(PrCurve(r, s, none, 10).empty());
}

TEST(MetricsTest, ConfusionAndRatesAtThreshold) {
  const std::vector<double> s = {0.9, 0.8, 0.3, 0.6, 0.2, 0.1};
  const std::vector<uint8_t> y = {1, 1, 1, 0, 0, 0};
  const Confusion c = ConfusionAt(s, y, {}, 0.5);  // >= 0.5 alerts: 0.9, 0.8, 0.6
  EXPECT_EQ(c.tp, 2);
  EXPECT_EQ(c.fp, 1);
  EXPECT_EQ(c.tn, 2);
  EXPECT_EQ(c.fn, 1);
  EXPECT_DOUBLE_EQ(c.Sensitivity(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(c.Specificity(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(c.Ppv(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(c.Npv(), 2.0 / 3.0);
  // The threshold itself alerts.
  EXPECT_EQ(ConfusionAt(s, y, {}, 0.6).fp, 1);
  EXPECT_TRUE(std::isnan(ConfusionAt(s, y, {}, 0.95).Ppv()));
}

TEST(MetricsTest, BrierHandComputed) {
  const std::vector<double> p = {0.2, 0.7};
  const std::vector<uint8_t> y = {0, 1};
  EXPECT_DOUBLE_EQ(BrierScore(p, y, {}), (0.04 + 0.09) / 2);
}

TEST(MetricsTest, CurvesRunCornerToCornerAndAreThinned) {
  SplitMix64 rng(3);
  std::vector<double> s(1000);
  std::vector<uint8_t> y(1000);
  for (size_t i = 0; i < s.size(); ++i) {
    s[i] = static_cast<double>(rng.Below(1000000)) / 1e6;
    y[i] = rng.Below(1000000) < s[i] * 1e6 ? 1 : 0;
  }
  const Ranking r = Ranking::Build(s);
  const std::vector<CurvePoint> roc = RocCurve(r, s, y, 50);
  ASSERT_EQ(roc.size(), 50u);
  EXPECT_DOUBLE_EQ(roc.front().x, 0.0);
  EXPECT_DOUBLE_EQ(roc.front().y, 0.0);
  EXPECT_DOUBLE_EQ(roc.back().x, 1.0);
  EXPECT_DOUBLE_EQ(roc.back().y, 1.0);
  for (size_t i = 1; i < roc.size(); ++i) {
    EXPECT_GE(roc[i].x, roc[i - 1].x);
    EXPECT_GE(roc[i].y, roc[i - 1].y);
  }
  // Trapezoidal area under the full curve is the AUROC.
  const std::vector<CurvePoint> full = RocCurve(r, s, y, 0);
  double area = 0;
  for (size_t i = 1; i < full.size(); ++i) {
    area += (full[i].x - full[i - 1].x) * (full[i].y + full[i - 1].y) / 2;
  }
  EXPECT_NEAR(area, Auroc(r, y, {}), 1e-12);
  const std::vector<CurvePoint> pr = PrCurve(r, s, y, 50);
  ASSERT_EQ(pr.size(), 50u);
  EXPECT_DOUBLE_EQ(pr.back().x, 1.0);
  EXPECT_NEAR(pr.back().y, static_cast<double>(std::count(y.begin(), y.end(), 1)) / 1000, 1e-12);
}

}  // namespace
}  // namespace vigil::evaluate
