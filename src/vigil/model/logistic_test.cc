#include "vigil/model/logistic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "vigil/model/scoring.h"
#include "vigil/testing/synthetic_matrix.h"

namespace vigil::model {
namespace {

std::vector<size_t> AllRows(const features::FeatureMatrix& m) {
  std::vector<size_t> rows(m.num_rows());
  std::iota(rows.begin(), rows.end(), 0);
  return rows;
}

TEST(LogisticTest, RecoversKnownCoefficients) {
  testing::SyntheticSpec spec;
  spec.subjects = 2000;
  spec.rows_per_subject = 2;
  spec.subject_effect = 0;
  spec.missing_rate = 0;
  spec.intercept = -0.5;
  spec.weights = {1.5, -1.0, 0.5};
  auto data = testing::MakeSynthetic(spec);
  const auto rows = AllRows(data.matrix);
  LogisticOptions o;
  o.l2 = 1e-6;
  auto fit = LogisticModel::Fit(data.matrix, rows, std::vector<float>(rows.size(), 1.0f), o);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_TRUE(fit->converged());
  EXPECT_LT(fit->iterations(), 15);
  // Standardized coefficients = true weight x the column's SD (about 1): within sampling error
  // (SE about 0.04 at n = 4000).
  for (size_t j = 0; j < spec.weights.size(); ++j) {
    EXPECT_NEAR(fit->coefficient(j), spec.weights[j], 0.15) << "feature " << j;
  }
  EXPECT_NEAR(fit->intercept(), spec.intercept, 0.15);
}

TEST(LogisticTest, PenaltyShrinksCoefficients) {
  auto data = testing::MakeSynthetic({});
  const auto rows = AllRows(data.matrix);
  const std::vector<float> w(rows.size(), 1.0f);
  LogisticOptions weak, strong;
  weak.l2 = 1e-4;
  strong.l2 = 1.0;
  auto a = LogisticModel::Fit(data.matrix, rows, w, weak);
  auto b = LogisticModel::Fit(data.matrix, rows, w, strong);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_LT(std::abs(b->coefficient(0)), 0.5 * std::abs(a->coefficient(0)));
}

TEST(LogisticTest, WeightTwoEqualsTheRowTwice) {
  // The objective is a weighted mean, so rows of weight 2 and the same rows listed twice with
  // weight 1 have one optimum. Row counts that are not multiples of the fit's row blocks (64) or
  // of its four-row steps, split unevenly over threads, check that every row is summed once.
  testing::SyntheticSpec spec;
  spec.subjects = 203;
  spec.rows_per_subject = 1;
  spec.missing_rate = 0.3;
  auto data = testing::MakeSynthetic(spec);
  const auto once = AllRows(data.matrix);
  std::vector<size_t> twice;
  for (size_t r : once) twice.insert(twice.end(), {r, r});
  LogisticOptions o;
  o.l2 = 1e-3;
  o.clip_quantile = 0;  // the quantiles of n and of 2n rows interpolate differently
  o.num_threads = 3;
  auto a = LogisticModel::Fit(data.matrix, once, std::vector<float>(once.size(), 2.0f), o);
  o.num_threads = 2;
  auto b = LogisticModel::Fit(data.matrix, twice, std::vector<float>(twice.size(), 1.0f), o);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(a->converged() && b->converged());
  for (size_t r : once) {
    EXPECT_NEAR(a->Margin(data.matrix.row(r)), b->Margin(data.matrix.row(r)), 1e-6) << r;
  }
  // and a fit without the last row differs (the check can fail)
  auto c = LogisticModel::Fit(data.matrix, std::span(once).first(once.size() - 1),
                              std::vector<float>(once.size() - 1, 2.0f), o);
  ASSERT_TRUE(c.ok());
  EXPECT_GT(std::abs(a->intercept() - c->intercept()), 1e-6);
}

TEST(LogisticTest, ExtremeValuesAreClippedToTheTrainingPercentiles) {
  testing::SyntheticSpec spec;
  spec.subjects = 1000;
  spec.rows_per_subject = 1;
  spec.missing_rate = 0;
  spec.weights = {1.0, 0.5};
  auto data = testing::MakeSynthetic(spec);
  auto& m = data.matrix;
  const auto rows = AllRows(m);
  const std::vector<float> w(rows.size(), 1.0f);
  auto clean = LogisticModel::Fit(m, rows, w, {});
  ASSERT_TRUE(clean.ok());
  // Five wild values (a unit error, say) in feature 0: below 1 % of rows, so clipped away.
  for (size_t r = 0; r < 5; ++r) m.at(r, 0) = 1e4f;
  LogisticOptions none;
  none.clip_quantile = 0;
  auto clipped = LogisticModel::Fit(m, rows, w, {});
  auto unclipped = LogisticModel::Fit(m, rows, w, none);
  ASSERT_TRUE(clipped.ok() && unclipped.ok());
  EXPECT_NEAR(clipped->coefficient(0), clean->coefficient(0), 0.1);
  EXPECT_LT(std::abs(unclipped->coefficient(0)), 0.5 * std::abs(clean->coefficient(0)));
  // A value beyond the bounds scores as the bound itself, and the bounds survive JSON.
  std::vector<float> row(m.row(10), m.row(10) + m.num_cols());
  row[0] = 1e4f;
  const double far = clipped->Margin(row.data());
  row[0] = 50.0f;
  EXPECT_DOUBLE_EQ(clipped->Margin(row.data()), far);
  const nlohmann::ordered_json j = clipped->ToJson();
  ASSERT_TRUE(j["columns"][0].contains("upper"));
  EXPECT_LT(j["columns"][0]["upper"].get<double>(), 5.0);
  auto back = LogisticModel::FromJson(nlohmann::json::parse(j.dump()));
  ASSERT_TRUE(back.ok());
  EXPECT_DOUBLE_EQ(back->Margin(row.data()), far);
  // A model written before clipping existed (no bounds) scores values as they are.
  nlohmann::json old = nlohmann::json::parse(j.dump());
  for (auto& c : old["columns"]) {
    c.erase("lower");
    c.erase("upper");
  }
  auto unbounded = LogisticModel::FromJson(old);
  ASSERT_TRUE(unbounded.ok());
  EXPECT_NE(unbounded->Margin(row.data()), far);
  old["columns"][0]["lower"] = 3.0;
  old["columns"][0]["upper"] = 2.0;
  EXPECT_FALSE(LogisticModel::FromJson(old).ok());
}

TEST(LogisticTest, MissingnessIndicatorCarriesSignal) {
  // Feature 1 is missing exactly when the outcome is likely: only its indicator can learn that.
  features::FeatureMatrix m;
  m.names = {"a", "b"};
  model::Rng rng(5);
  for (int i = 0; i < 2000; ++i) {
    const bool high_risk = rng.Uniform() < 0.3;
    m.rows.push_back({"s" + std::to_string(i), "", {}});
    m.values.push_back(static_cast<float>(rng.Normal()));
    m.values.push_back(high_risk ? features::kMissing : static_cast<float>(rng.Normal()));
    m.labels.push_back(rng.Uniform() < (high_risk ? 0.7 : 0.1) ? 1.0f : 0.0f);
  }
  const auto rows = AllRows(m);
  auto fit = LogisticModel::Fit(m, rows, std::vector<float>(rows.size(), 1.0f), {});
  ASSERT_TRUE(fit.ok());
  std::vector<double> margin;
  for (size_t r = 0; r < m.num_rows(); ++r) margin.push_back(fit->Margin(m.row(r)));
  EXPECT_GT(Auroc(margin, m.labels), 0.75);
  const nlohmann::ordered_json j = fit->ToJson();
  EXPECT_GT(j["columns"][1]["indicator_coefficient"].get<double>(), 0.5);
  EXPECT_FALSE(j["columns"][0].contains("indicator_coefficient"));  // never missing
}

TEST(LogisticTest, ContributionsSumToMarginAndJsonRoundTrips) {
  auto data = testing::MakeSynthetic({});
  const auto& m = data.matrix;
  const auto rows = AllRows(m);
  auto fit = LogisticModel::Fit(m, rows, std::vector<float>(rows.size(), 1.0f), {});
  ASSERT_TRUE(fit.ok());
  auto loaded = LogisticModel::FromJson(nlohmann::json::parse(fit->ToJson().dump()));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  std::vector<float> contrib(m.num_cols() + 1);
  for (size_t r = 0; r < m.num_rows(); ++r) {
    const double margin = fit->Margin(m.row(r));
    EXPECT_EQ(loaded->Margin(m.row(r)), margin);
    fit->Contributions(m.row(r), contrib);
    EXPECT_NEAR(std::accumulate(contrib.begin(), contrib.end(), 0.0), margin, 1e-5);
  }
}

TEST(LogisticTest, DeterministicAcrossRunsAndWeightsShiftTheIntercept) {
  auto data = testing::MakeSynthetic({});
  const auto rows = AllRows(data.matrix);
  LogisticOptions o;
  o.num_threads = 2;
  std::vector<float> ones(rows.size(), 1.0f), balanced(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) balanced[i] = data.matrix.labels[i] > 0.5f ? 4.0f : 1.0f;
  auto a = LogisticModel::Fit(data.matrix, rows, ones, o);
  auto b = LogisticModel::Fit(data.matrix, rows, ones, o);
  auto c = LogisticModel::Fit(data.matrix, rows, balanced, o);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->ToJson().dump(), b->ToJson().dump());
  EXPECT_NEAR(c->intercept() - a->intercept(), std::log(4.0), 0.2);
}

TEST(LogisticTest, RejectsBadInput) {
  auto data = testing::MakeSynthetic({});
  auto& m = data.matrix;
  std::vector<size_t> rows = {0, 1, 2};
  EXPECT_EQ(LogisticModel::Fit(m, rows, std::vector<float>(2), {}).status().code(),
            base::StatusCode::kInvalidArgument);
  for (size_t r : rows) m.labels[r] = 0;
  EXPECT_EQ(LogisticModel::Fit(m, rows, std::vector<float>(3, 1.0f), {}).status().code(),
            base::StatusCode::kFailedPrecondition);
  m.labels[0] = features::kMissing;
  EXPECT_EQ(LogisticModel::Fit(m, rows, std::vector<float>(3, 1.0f), {}).status().code(),
            base::StatusCode::kInvalidArgument);
  LogisticOptions zero;
  zero.l2 = 0;
  EXPECT_EQ(LogisticModel::Fit(m, rows, std::vector<float>(3, 1.0f), zero).status().code(),
            base::StatusCode::kInvalidArgument);
  LogisticOptions half;
  half.clip_quantile = 0.5;  // would clip every value to the median
  EXPECT_EQ(LogisticModel::Fit(m, rows, std::vector<float>(3, 1.0f), half).status().code(),
            base::StatusCode::kInvalidArgument);
  EXPECT_FALSE(LogisticModel::FromJson(nlohmann::json::parse(R"({"intercept": 1})")).ok());
}

}  // namespace
}  // namespace vigil::model
