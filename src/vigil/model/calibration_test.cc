#include "vigil/model/calibration.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "vigil/model/random.h"
#include "vigil/model/scoring.h"

namespace vigil::model {
namespace {

struct Sample {
  std::vector<double> margins;
  std::vector<float> labels;
  std::vector<int> folds;
};

// Margins m ~ N(0, 2); the true probability is truth(m).
template <typename Truth>
Sample Draw(size_t n, uint64_t seed, Truth truth) {
  Rng rng(seed);
  Sample s;
  for (size_t i = 0; i < n; ++i) {
    const double m = 2 * rng.Normal();
    s.margins.push_back(m);
    s.labels.push_back(rng.Uniform() < truth(m) ? 1.0f : 0.0f);
    s.folds.push_back(static_cast<int>(i % 5));
  }
  return s;
}

double Brier(const Calibrator& c, const Sample& s) {
  std::vector<double> p;
  for (double m : s.margins) p.push_back(c.Probability(m));
  return BrierScore(p, s.labels);
}

TEST(CalibrationTest, MethodNamesRoundTripAndReadAsWords) {
  for (auto m : {CalibrationMethod::kNone, CalibrationMethod::kPlatt, CalibrationMethod::kIsotonic})
    EXPECT_EQ(ParseCalibrationMethod(CalibrationMethodName(m)), m);
  EXPECT_EQ(CalibrationMethodName(CalibrationMethod::kPlatt), "platt");
  EXPECT_EQ(CalibrationMethodDisplay(CalibrationMethod::kPlatt), "Platt");
  EXPECT_EQ(CalibrationMethodDisplay(CalibrationMethod::kIsotonic), "isotonic");
}

TEST(CalibrationTest, PlattRecoversAffineMiscalibration) {
  // The model's margin is twice too confident and shifted: truth = sigmoid(0.5 m - 1).
  Sample s = Draw(20000, 1, [](double m) { return Sigmoid(0.5 * m - 1); });
  auto c = Calibrator::Fit(CalibrationMethod::kPlatt, s.margins, s.labels);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto j = c->ToJson();
  EXPECT_NEAR(j["slope"].get<double>(), 0.5, 0.05);
  EXPECT_NEAR(j["intercept"].get<double>(), -1.0, 0.07);
}

TEST(CalibrationTest, IsotonicIsMonotoneAndFixesANonSigmoidShape) {
  // A step-shaped truth that no sigmoid fits.
  auto truth = [](double m) { return m < 0 ? 0.05 : (m < 2 ? 0.5 : 0.9); };
  Sample train = Draw(20000, 2, truth), test = Draw(20000, 3, truth);
  auto iso = Calibrator::Fit(CalibrationMethod::kIsotonic, train.margins, train.labels);
  auto platt = Calibrator::Fit(CalibrationMethod::kPlatt, train.margins, train.labels);
  ASSERT_TRUE(iso.ok() && platt.ok());
  double last = 0;
  for (double m = -8; m <= 8; m += 0.01) {
    const double p = iso->Probability(m);
    EXPECT_GE(p, last);
    EXPECT_GE(p, kMinProbability);
    EXPECT_LE(p, 1 - kMinProbability);
    last = p;
  }
  EXPECT_NEAR(iso->Probability(-1), 0.05, 0.03);
  EXPECT_NEAR(iso->Probability(1), 0.5, 0.05);
  EXPECT_NEAR(iso->Probability(3), 0.9, 0.05);
  EXPECT_LT(Brier(*iso, test), Brier(*platt, test));
  EXPECT_LT(Brier(*iso, test), Brier(Calibrator(), test));
}

TEST(CalibrationTest, IsotonicKeepsTheRankingOfTheMargins) {
  // A step function ties every margin of a pooled block, which lowers the AUROC of the calibrated
  // probabilities below the margins' own. The centred fit keeps distinct margins apart.
  Sample s = Draw(3000, 4, [](double m) { return Sigmoid(0.7 * m - 2); });
  auto iso = Calibrator::Fit(CalibrationMethod::kIsotonic, s.margins, s.labels);
  ASSERT_TRUE(iso.ok());
  std::vector<double> p;
  for (double m : s.margins) p.push_back(iso->Probability(m));
  EXPECT_DOUBLE_EQ(Auroc(p, s.labels), Auroc(s.margins, s.labels));
  const auto [lo, hi] = std::minmax_element(s.margins.begin(), s.margins.end());
  double last = -1;
  size_t flat = 0;
  for (double m = *lo; m <= *hi; m += (*hi - *lo) / 1000) {
    const double q = iso->Probability(m);
    EXPECT_GE(q, last);
    if (q == last && q > kMinProbability && q < 1 - kMinProbability) ++flat;
    last = q;
  }
  EXPECT_EQ(flat, 0u);
  // Calibrated where it matters: the mean probability is the base rate.
  double sum_p = 0, positives = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    sum_p += p[i];
    positives += s.labels[i];
  }
  EXPECT_NEAR(sum_p / p.size(), positives / p.size(), 0.01);
}

TEST(CalibrationTest, SelectionPicksTheMethodThatFitsTheShape) {
  auto sigmoid_truth = [](double m) { return Sigmoid(0.7 * m + 0.5); };
  auto step_truth = [](double m) { return m < 0 ? 0.05 : (m < 2 ? 0.5 : 0.9); };
  Sample smooth = Draw(5000, 4, sigmoid_truth), steps = Draw(5000, 5, step_truth);
  auto a = SelectCalibration(smooth.margins, smooth.labels, smooth.folds, 5);
  auto b = SelectCalibration(steps.margins, steps.labels, steps.folds, 5);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->calibrator.method(), CalibrationMethod::kPlatt);
  EXPECT_EQ(b->calibrator.method(), CalibrationMethod::kIsotonic);
  EXPECT_LT(a->brier_platt, a->brier_none);  // recalibration helps on held-out folds
  EXPECT_LT(b->brier_isotonic, b->brier_platt);
}

TEST(CalibrationTest, JsonRoundTripGivesIdenticalProbabilities) {
  Sample s = Draw(2000, 6, [](double m) { return Sigmoid(m / 3); });
  for (auto method :
       {CalibrationMethod::kNone, CalibrationMethod::kPlatt, CalibrationMethod::kIsotonic}) {
    auto c = Calibrator::Fit(method, s.margins, s.labels);
    ASSERT_TRUE(c.ok());
    auto back = Calibrator::FromJson(nlohmann::json::parse(c->ToJson().dump()));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->method(), method);
    for (double m = -5; m <= 5; m += 0.37) EXPECT_EQ(back->Probability(m), c->Probability(m));
  }
  EXPECT_FALSE(Calibrator::FromJson(nlohmann::json::parse(R"({"method": "magic"})")).ok());
  EXPECT_FALSE(Calibrator::FromJson(nlohmann::json::parse(
                                        R"({"method": "isotonic", "margins": [1, 0],
                                            "probabilities": [0.1, 0.2]})"))
                   .ok());
}

TEST(CalibrationTest, RejectsDegenerateInput) {
  std::vector<double> m = {1, 2, 3};
  std::vector<float> one_class = {1, 1, 1};
  EXPECT_EQ(Calibrator::Fit(CalibrationMethod::kPlatt, m, one_class).status().code(),
            base::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Calibrator::Fit(CalibrationMethod::kPlatt, m, std::vector<float>{1}).status().code(),
            base::StatusCode::kInvalidArgument);
  // Perfectly separated margins keep a finite Platt slope.
  auto c = Calibrator::Fit(CalibrationMethod::kPlatt, m, std::vector<float>{0, 1, 1});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(std::isfinite(c->ToJson()["slope"].get<double>()));
}

}  // namespace
}  // namespace vigil::model
