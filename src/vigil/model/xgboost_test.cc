#include "vigil/model/xgboost.h"

#include <gtest/gtest.h>

#include <cmath>

#include "vigil/model/random.h"

namespace vigil::model::xgb {
namespace {

struct Toy {
  std::vector<float> values;
  std::vector<float> labels;
  size_t rows = 0;
  size_t cols = 3;
};

Toy MakeToy(size_t rows) {
  Rng rng(7);
  Toy t;
  t.rows = rows;
  for (size_t r = 0; r < rows; ++r) {
    double eta = -0.5;
    for (size_t j = 0; j < t.cols; ++j) {
      const double x = rng.Normal();
      t.values.push_back(j == 2 && r % 5 == 0 ? NAN : static_cast<float>(x));
      if (j == 0) eta += 2 * x;
    }
    t.labels.push_back(rng.Uniform() < 1 / (1 + std::exp(-eta)) ? 1.0f : 0.0f);
  }
  return t;
}

Booster TrainToy(const DMatrix& d, int rounds) {
  auto b = Booster::Create({&d});
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  for (const auto& [k, v] :
       std::vector<std::pair<std::string, std::string>>{{"objective", "binary:logistic"},
                                                        {"tree_method", "hist"},
                                                        {"nthread", "1"},
                                                        {"max_depth", "3"},
                                                        {"verbosity", "0"},
                                                        {"eval_metric", "logloss"}}) {
    EXPECT_TRUE(b->SetParam(k, v).ok());
  }
  for (int i = 0; i < rounds; ++i) EXPECT_TRUE(b->UpdateOneIter(i, d).ok());
  return std::move(b).value();
}

TEST(XgboostTest, LibraryVersionIsKnown) { EXPECT_FALSE(LibraryVersion().empty()); }

TEST(XgboostTest, RejectsMismatchedShapes) {
  std::vector<float> v(5);
  EXPECT_EQ(DMatrix::FromDense(v, 2, 3, 1).status().code(), base::StatusCode::kInvalidArgument);
  auto d = DMatrix::FromDense(std::vector<float>(6), 2, 3, 1);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->SetLabels(std::vector<float>(3)).ok());
  EXPECT_FALSE(d->SetFeatureNames({"a"}).ok());
}

TEST(XgboostTest, LibraryErrorsBecomeStatusWithXgboostMessage) {
  auto b = Booster::FromJson("{ this is not a model");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), base::StatusCode::kInternal);
  EXPECT_NE(b.status().message().find("XGBoost"), std::string::npos);

  Toy t = MakeToy(50);
  auto d = DMatrix::FromDense(t.values, t.rows, t.cols, 1);
  ASSERT_TRUE(d.ok());
  auto booster = Booster::Create({&*d});
  ASSERT_TRUE(booster.ok());
  ASSERT_TRUE(d->SetLabels(t.labels).ok());
  // XGBoost checks parameters when it configures the learner, at the first round.
  ASSERT_TRUE(booster->SetParam("max_depth", "minus one").ok());
  const base::Status s = booster->UpdateOneIter(0, *d);
  EXPECT_EQ(s.code(), base::StatusCode::kInternal);
  EXPECT_NE(s.message().find("max_depth"), std::string::npos) << s.message();
}

TEST(XgboostTest, TrainsSavesLoadsAndPredictsIdentically) {
  Toy t = MakeToy(300);
  auto d = DMatrix::FromDense(t.values, t.rows, t.cols, 1);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->SetLabels(t.labels).ok());
  ASSERT_TRUE(d->SetFeatureNames({"a", "b", "c"}).ok());
  Booster b = TrainToy(*d, 10);
  ASSERT_TRUE(b.SetFeatureNames({"a", "b", "c"}).ok());
  EXPECT_EQ(*b.BoostedRounds(), 10);
  EXPECT_EQ(*b.NumFeatures(), 3u);

  auto json = b.SaveJson();
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find("\"feature_names\""), std::string::npos);
  auto loaded = Booster::FromJson(*json);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded->FeatureNames(), (std::vector<std::string>{"a", "b", "c"}));

  auto m1 = b.Predict(*d, PredictKind::kMargin);
  auto m2 = loaded->Predict(*d, PredictKind::kMargin);
  ASSERT_TRUE(m1.ok() && m2.ok());
  EXPECT_EQ(*m1, *m2);

  // Fewer rounds give different margins; a 4-round slice equals predicting with 4 rounds.
  auto m4 = b.Predict(*d, PredictKind::kMargin, 4);
  auto sliced = b.Slice(4);
  ASSERT_TRUE(m4.ok() && sliced.ok());
  EXPECT_NE(*m4, *m1);
  EXPECT_EQ(*sliced->Predict(*d, PredictKind::kMargin), *m4);
}

TEST(XgboostTest, ContributionsSumToMargin) {
  Toy t = MakeToy(200);
  auto d = DMatrix::FromDense(t.values, t.rows, t.cols, 1);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->SetLabels(t.labels).ok());
  Booster b = TrainToy(*d, 8);
  auto margin = b.Predict(*d, PredictKind::kMargin);
  auto contrib = b.Predict(*d, PredictKind::kContributions);
  ASSERT_TRUE(margin.ok() && contrib.ok());
  ASSERT_EQ(contrib->size(), t.rows * (t.cols + 1));
  for (size_t r = 0; r < t.rows; ++r) {
    double sum = 0;
    for (size_t j = 0; j <= t.cols; ++j) sum += (*contrib)[r * (t.cols + 1) + j];
    EXPECT_NEAR(sum, (*margin)[r], 1e-4);
  }
}

}  // namespace
}  // namespace vigil::model::xgb
