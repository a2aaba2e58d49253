#include "vigil/evaluate/calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "vigil/evaluate/bootstrap.h"

namespace vigil::evaluate {
namespace {

double Uniform(SplitMix64& rng) { return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53; }
double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// n predictions p uniform on [0.02, 0.98] with outcomes drawn from sigmoid(a + b logit(p)).
void Synthetic(size_t n, double a, double b, uint64_t seed, std::vector<double>& p,
               std::vector<uint8_t>& y) {
  SplitMix64 rng(seed);
  p.resize(n);
  y.resize(n);
  for (size_t i = 0; i < n; ++i) {
    p[i] = 0.02 + 0.96 * Uniform(rng);
    y[i] = Uniform(rng) < Sigmoid(a + b * ClippedLogit(p[i])) ? 1 : 0;
  }
}

std::vector<double> Logits(const std::vector<double>& p) {
  std::vector<double> l;
  for (double x : p) l.push_back(ClippedLogit(x));
  return l;
}

TEST(CalibrationTest, PerfectlyCalibratedPredictorHasSlopeOneInterceptZero) {
  std::vector<double> p;
  std::vector<uint8_t> y;
  Synthetic(20000, 0.0, 1.0, 11, p, y);
  const Recalibration r = FitRecalibration(Logits(p), y, {});
  EXPECT_NEAR(r.intercept, 0.0, 0.05);
  EXPECT_NEAR(r.slope, 1.0, 0.05);
}

TEST(CalibrationTest, RecoversKnownMiscalibration) {
  std::vector<double> p;
  std::vector<uint8_t> y;
  // Outcomes more extreme than predicted: the recalibration slope is 2.
  Synthetic(20000, 0.0, 2.0, 12, p, y);
  EXPECT_NEAR(FitRecalibration(Logits(p), y, {}).slope, 2.0, 0.12);
  // Risk underestimated by one logit unit everywhere: intercept 1, slope 1.
  Synthetic(20000, 1.0, 1.0, 13, p, y);
  const Recalibration r = FitRecalibration(Logits(p), y, {});
  EXPECT_NEAR(r.intercept, 1.0, 0.06);
  EXPECT_NEAR(r.slope, 1.0, 0.06);
}

TEST(CalibrationTest, InterceptHandComputed) {
  // All predictions 0.5 (logit 0); 3 of 4 positive. The offset model's MLE is logit(3/4) = log 3.
  const std::vector<double> l(4, 0.0);
  const std::vector<uint8_t> y = {1, 1, 1, 0};
  EXPECT_NEAR(FitRecalibration(l, y, {}).intercept, std::log(3.0), 1e-9);
  // Weights act as repeated rows: weight 3 on the negative gives 3 of 6, logit 0.
  const std::vector<double> w = {1, 1, 1, 3};
  EXPECT_NEAR(FitRecalibration(l, y, w).intercept, 0.0, 1e-9);
}

TEST(CalibrationTest, UndefinedFitsAreNaN) {
  const std::vector<double> l = {-1, 0, 1};
  const std::vector<uint8_t> all_negative = {0, 0, 0};
  const Recalibration r = FitRecalibration(l, all_negative, {});
  EXPECT_TRUE(std::isnan(r.intercept));
  EXPECT_TRUE(std::isnan(r.slope));
  // Perfect separation: the slope diverges and is reported as undefined, never as a huge number.
  const std::vector<uint8_t> separated = {0, 0, 1};
  EXPECT_TRUE(std::isnan(FitRecalibration(l, separated, {}).slope));
}

TEST(CalibrationTest, WilsonIntervalKnownValue) {
  const Interval ci = WilsonInterval(5, 10);
  EXPECT_NEAR(ci.lower, 0.2366, 1e-4);
  EXPECT_NEAR(ci.upper, 0.7634, 1e-4);
  EXPECT_TRUE(std::isnan(WilsonInterval(0, 0).lower));
}

TEST(CalibrationTest, ReliabilityBins) {
  const std::vector<double> p = {0.05, 0.15, 0.12, 0.95, 0.91, 0.55};
  const std::vector<uint8_t> y = {0, 0, 1, 1, 1, 0};
  const auto width = ReliabilityCurve(p, y, 10, Binning::kEqualWidth);
  ASSERT_EQ(width.size(), 4u);  // bins 0, 1, 5, 9
  EXPECT_EQ(width[1].rows, 2);
  EXPECT_DOUBLE_EQ(width[1].mean_predicted, (0.15 + 0.12) / 2);
  EXPECT_DOUBLE_EQ(width[1].observed, 0.5);
  EXPECT_EQ(width[3].rows, 2);
  EXPECT_DOUBLE_EQ(width[3].observed, 1.0);
  const auto quantile = ReliabilityCurve(p, y, 3, Binning::kQuantile);
  ASSERT_EQ(quantile.size(), 3u);
  for (const ReliabilityBin& b : quantile) EXPECT_EQ(b.rows, 2);
  EXPECT_DOUBLE_EQ(quantile[0].mean_predicted, (0.05 + 0.12) / 2);
}

TEST(CalibrationTest, ChiSquareSurvivalKnownValues) {
  EXPECT_NEAR(ChiSquareSurvival(3.841459, 1), 0.05, 1e-6);
  EXPECT_NEAR(ChiSquareSurvival(15.50731, 8), 0.05, 1e-6);
  EXPECT_NEAR(ChiSquareSurvival(2.0, 2), std::exp(-1.0), 1e-12);
  EXPECT_NEAR(ChiSquareSurvival(40.0, 8), 3.2042e-6, 1e-9);
  EXPECT_DOUBLE_EQ(ChiSquareSurvival(0.0, 8), 1.0);
}

TEST(CalibrationTest, HosmerLemeshowHandComputed) {
  // Three groups of two rows, ranked by p.
  //   g1: p 0.1, 0.1, y 0, 1: O 1, E 0.2, n 2: (0.8)^2 / (0.2 * 0.9) = 3.5556
  //   g2: p 0.5, 0.5, y 0, 1: O 1, E 1.0:      0
  //   g3: p 0.8, 0.8, y 1, 1: O 2, E 1.6:      (0.4)^2 / (1.6 * 0.2) = 0.5
  const std::vector<double> p = {0.5, 0.1, 0.8, 0.1, 0.8, 0.5};
  const std::vector<uint8_t> y = {0, 0, 1, 1, 1, 1};
  const HosmerLemeshowResult hl = HosmerLemeshow(p, y, 3);
  EXPECT_NEAR(hl.statistic, 0.64 / 0.18 + 0.5, 1e-12);
  EXPECT_EQ(hl.degrees_of_freedom, 1);
  EXPECT_NEAR(hl.p_value, ChiSquareSurvival(0.64 / 0.18 + 0.5, 1), 1e-15);
}

TEST(CalibrationTest, PhysioNet2012Event2HandComputed) {
  // N = 10, M = 1: each row is a decile. p = 0.05, 0.15, ..., 0.95; deaths at deciles 6, 8, 9, 10.
  std::vector<double> p;
  for (int i = 0; i < 10; ++i) p.push_back(0.05 + 0.1 * i);
  const std::vector<uint8_t> y = {0, 0, 0, 0, 0, 1, 0, 1, 1, 1};
  double h = 0;
  for (int i = 0; i < 10; ++i) {
    h += (y[i] - p[i]) * (y[i] - p[i]) / (p[i] * (1 - p[i]) + 0.001);
  }
  // The hand sum of the rounded terms: 0.0515 + 0.1751 + 0.3316 + 0.5361 + 0.8149 + 0.8149 + 1.8490
  // + 0.3316 + 0.1751 + 0.0515 = 5.1313, divided by the range 0.95 - 0.05 = 0.9.
  EXPECT_NEAR(h, 5.1313, 5e-4);
  EXPECT_NEAR(PhysioNet2012Event2(p, y), h / 0.9, 1e-12);
  // Input order does not matter; a constant predictor is undefined.
  std::vector<double> rp(p.rbegin(), p.rend());
  std::vector<uint8_t> ry(y.rbegin(), y.rend());
  EXPECT_NEAR(PhysioNet2012Event2(rp, ry), h / 0.9, 1e-12);
  EXPECT_TRUE(
      std::isnan(PhysioNet2012Event2(std::vector<double>(20, 0.3), std::vector<uint8_t>(20, 0))));
  EXPECT_TRUE(
      std::isnan(PhysioNet2012Event2(std::vector<double>(9, 0.3), std::vector<uint8_t>(9, 0))));
}

TEST(CalibrationTest, PhysioNet2012Event2LeavesOutTheHighestRemainderRows) {
  // N = 25: M = 2; the 5 highest-risk rows are not in any decile, as in the official lemeshow.m.
  std::vector<double> p;
  std::vector<uint8_t> y;
  for (int i = 0; i < 25; ++i) {
    p.push_back(0.02 + 0.035 * i);
    y.push_back(i % 3 == 0 ? 1 : 0);
  }
  const double h = PhysioNet2012Event2(p, y);
  for (int i = 20; i < 25; ++i) y[i] = 1 - y[i];
  EXPECT_DOUBLE_EQ(PhysioNet2012Event2(p, y), h);
  y[19] = 1 - y[19];
  EXPECT_NE(PhysioNet2012Event2(p, y), h);
}

}  // namespace
}  // namespace vigil::evaluate
