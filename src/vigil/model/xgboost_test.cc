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

// The toy's values and labels as an XGBoost matrix; its columns named a, b and c when `named`.
DMatrix ToyMatrix(const Toy& t, bool named) {
  auto d = DMatrix::FromDense(t.values, t.rows, t.cols, 1);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->SetLabels(t.labels).ok());
  if (named) {
    EXPECT_TRUE(d->SetFeatureNames({"a", "b", "c"}).ok());
  }
  return std::move(d).value();
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
  DMatrix d = ToyMatrix(t, true);
  Booster b = TrainToy(d, 10);
  ASSERT_TRUE(b.SetFeatureNames({"a", "b", "c"}).ok());
  EXPECT_EQ(*b.BoostedRounds(), 10);
  EXPECT_EQ(*b.NumFeatures(), 3u);

  auto json = b.SaveJson();
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find("\"feature_names\""), std::string::npos);
  auto loaded = Booster::FromJson(*json);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded->FeatureNames(), (std::vector<std::string>{"a", "b", "c"}));

  auto m1 = b.Predict(d, PredictKind::kMargin);
  auto m2 = loaded->Predict(d, PredictKind::kMargin);
  ASSERT_TRUE(m1.ok() && m2.ok());
  EXPECT_EQ(*m1, *m2);

  // Fewer rounds give different margins; a 4-round slice equals predicting with 4 rounds.
  auto m4 = b.Predict(d, PredictKind::kMargin, 4);
  auto sliced = b.Slice(4);
  ASSERT_TRUE(m4.ok() && sliced.ok());
  EXPECT_NE(*m4, *m1);
  EXPECT_EQ(*sliced->Predict(d, PredictKind::kMargin), *m4);
}

TEST(XgboostTest, ContributionsSumToMargin) {
  Toy t = MakeToy(200);
  DMatrix d = ToyMatrix(t, false);
  Booster b = TrainToy(d, 8);
  auto margin = b.Predict(d, PredictKind::kMargin);
  auto contrib = b.Predict(d, PredictKind::kContributions);
  ASSERT_TRUE(margin.ok() && contrib.ok());
  ASSERT_EQ(contrib->size(), t.rows * (t.cols + 1));
  for (size_t r = 0; r < t.rows; ++r) {
    double sum = 0;
    for (size_t j = 0; j <= t.cols; ++j) sum += (*contrib)[r * (t.cols + 1) + j];
    EXPECT_NEAR(sum, (*margin)[r], 1e-4);
  }
}

Booster TrainSubsampled(const DMatrix& d, int rounds, int seed) {
  Booster b = TrainToy(d, 0);
  EXPECT_TRUE(b.SetParam("subsample", "0.7").ok());
  EXPECT_TRUE(b.SetParam("colsample_bytree", "0.7").ok());
  EXPECT_TRUE(b.SetParam("seed", std::to_string(seed)).ok());
  for (int i = 0; i < rounds; ++i) EXPECT_TRUE(b.UpdateOneIter(i, d).ok());
  return b;
}

TEST(XgboostTest, AveragedBoosterPredictsTheMeanMarginAndExplainsIt) {
  Toy t = MakeToy(300);
  DMatrix d = ToyMatrix(t, true);
  std::vector<Booster> members;
  for (int seed : {1, 2, 3}) members.push_back(TrainSubsampled(d, 8, seed));
  for (auto& m : members) ASSERT_TRUE(m.SetFeatureNames({"a", "b", "c"}).ok());
  std::vector<const Booster*> pointers = {&members[0], &members[1], &members[2]};
  auto avg = AverageBoosters(pointers);
  ASSERT_TRUE(avg.ok()) << avg.status().ToString();

  std::vector<std::vector<float>> margins;
  for (const auto& m : members) margins.push_back(*m.Predict(d, PredictKind::kMargin));
  // Different seeds make different models, so the mean is not any one member's margin.
  EXPECT_NE(margins[0], margins[1]);
  auto mean = avg->Predict(d, PredictKind::kMargin);
  ASSERT_TRUE(mean.ok());
  ASSERT_EQ(mean->size(), t.rows);
  for (size_t r = 0; r < t.rows; ++r) {
    EXPECT_NEAR((*mean)[r], (margins[0][r] + margins[1][r] + margins[2][r]) / 3, 1e-5) << r;
  }
  EXPECT_EQ(*avg->BoostedRounds(), 24);
  EXPECT_EQ(*avg->FeatureNames(), (std::vector<std::string>{"a", "b", "c"}));
  // TreeSHAP on the averaged trees still adds up to its margin.
  auto contrib = avg->Predict(d, PredictKind::kContributions);
  ASSERT_TRUE(contrib.ok());
  for (size_t r = 0; r < t.rows; ++r) {
    double sum = 0;
    for (size_t j = 0; j <= t.cols; ++j) sum += (*contrib)[r * (t.cols + 1) + j];
    EXPECT_NEAR(sum, (*mean)[r], 1e-4) << r;
  }
  // It saves and loads as any XGBoost model.
  auto reloaded = Booster::FromJson(*avg->SaveJson());
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(*reloaded->Predict(d, PredictKind::kMargin), *mean);

  // One member: the same model.
  std::vector<const Booster*> one = {&members[1]};
  auto single = AverageBoosters(one);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(*single->Predict(d, PredictKind::kMargin), margins[1]);
}

TEST(XgboostTest, AveragingRefusesNothingAndDifferentFeatures) {
  EXPECT_EQ(AverageBoosters({}).status().code(), base::StatusCode::kInvalidArgument);
  Toy t = MakeToy(100);
  DMatrix d = ToyMatrix(t, false);
  Booster a = TrainSubsampled(d, 2, 1), b = TrainSubsampled(d, 2, 2);
  ASSERT_TRUE(a.SetFeatureNames({"a", "b", "c"}).ok());
  ASSERT_TRUE(b.SetFeatureNames({"a", "b", "other"}).ok());
  std::vector<const Booster*> pointers = {&a, &b};
  auto avg = AverageBoosters(pointers);
  EXPECT_EQ(avg.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_NE(avg.status().message().find("feature_names"), std::string::npos);
}

}  // namespace
}  // namespace vigil::model::xgb
