#include "vigil/model/train.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "vigil/model/model_card.h"
#include "vigil/model/scoring.h"
#include "vigil/model/threshold.h"
#include "vigil/testing/synthetic_matrix.h"

namespace vigil::model {
namespace {

testing::SyntheticSpec TrainSpec() {
  testing::SyntheticSpec spec;
  spec.subjects = 500;
  spec.rows_per_subject = 3;
  spec.interaction = 1.5;
  spec.seed = 11;
  return spec;
}

// Patients the model never saw: another seed, other identifiers.
testing::SyntheticData TestData(const testing::SyntheticSpec& train_spec) {
  testing::SyntheticSpec spec = train_spec;
  spec.subjects = 1500;
  spec.rows_per_subject = 1;
  spec.seed = 1234;
  spec.subject_prefix = "test";
  return testing::MakeSynthetic(spec);
}

TrainOptions SmallOptions(ModelKind kind) {
  TrainOptions o;
  o.kind = kind;
  o.folds = 3;
  o.seed = 5;
  o.num_threads = 1;  // tests share the machine: no OpenMP spinning
  o.max_rounds = 300;
  o.early_stopping_rounds = 20;
  XgboostParams shallow, deeper;
  shallow.max_depth = 2;
  shallow.learning_rate = 0.1;
  deeper.max_depth = 4;
  deeper.learning_rate = 0.1;
  o.xgboost_grid = {shallow, deeper};
  o.logistic_l2_grid = {1e-1, 1e-3};
  return o;
}

std::vector<double> Probabilities(const TrainedModel& m, const features::FeatureMatrix& x) {
  auto p = m.Predict(x);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? p->probability : std::vector<double>(x.num_rows(), 0.5);
}

TEST(TrainTest, XgboostLearnsANonLinearTruthAndCalibrates) {
  const auto spec = TrainSpec();
  const auto train = testing::MakeSynthetic(spec);
  const auto test = TestData(spec);
  auto model = Train(train.matrix, SmallOptions(ModelKind::kXgboost));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model->kind(), ModelKind::kXgboost);
  EXPECT_EQ(model->feature_names(), train.matrix.names);

  auto pred = model->Predict(test.matrix);
  ASSERT_TRUE(pred.ok());
  const double truth_auroc = Auroc(test.true_probability, test.matrix.labels);
  const double model_auroc = Auroc(pred->probability, test.matrix.labels);
  EXPECT_GT(model_auroc, 0.93 * truth_auroc) << model_auroc << " vs truth " << truth_auroc;

  // Balanced weighting makes the raw sigmoid(margin) overestimate risk; calibration repairs it.
  std::vector<double> raw;
  for (double m : pred->margin) raw.push_back(Sigmoid(m));
  const double ece_raw = ExpectedCalibrationError(raw, test.matrix.labels);
  const double ece_cal = ExpectedCalibrationError(pred->probability, test.matrix.labels);
  std::printf("new patients: AUROC %.4f (true risk %.4f); ECE %.4f uncalibrated, %.4f calibrated\n",
              model_auroc, truth_auroc, ece_raw, ece_cal);
  EXPECT_LT(ece_cal, 0.5 * ece_raw) << ece_cal << " vs " << ece_raw;
  EXPECT_LT(ece_cal, 0.05);

  const auto& report = model->training_report();
  EXPECT_EQ(report["rows"].get<size_t>(), train.matrix.num_rows());
  EXPECT_EQ(report["subjects"].get<size_t>(), spec.subjects);
  ASSERT_EQ(report["candidates"].size(), 2u);
  for (const auto& c : report["candidates"]) {
    EXPECT_EQ(c["fold_auroc"].size(), 3u);
    EXPECT_EQ(c["fold_rounds"].size(), 3u);
  }
  EXPECT_GT(report["final_rounds"].get<int>(), 5);
  EXPECT_LT(report["final_rounds"].get<int>(), 300);
  EXPECT_GT(report["held_out"]["auroc"].get<double>(), 0.7);
  EXPECT_LT(report["held_out"]["ece_calibrated"].get<double>(),
            report["held_out"]["ece_uncalibrated"].get<double>());
}

// Class weighting is searched like the tree shape: each candidate fits with its own weights, and
// the final fit and the report follow the chosen candidate.
TEST(TrainTest, ClassWeightingIsACandidateOfTheSearch) {
  const auto train = testing::MakeSynthetic(TrainSpec());
  size_t positives = 0;
  for (float y : train.matrix.labels) positives += y > 0.5f;
  const double balanced_weight =
      static_cast<double>(train.matrix.num_rows() - positives) / static_cast<double>(positives);
  ASSERT_GT(balanced_weight, 1.5);  // weighting makes a difference only when the classes differ

  auto options = SmallOptions(ModelKind::kXgboost);
  XgboostParams balanced = options.xgboost_grid[0];
  XgboostParams unweighted = balanced;
  balanced.class_weighting = ClassWeighting::kBalanced;
  unweighted.class_weighting = ClassWeighting::kNone;
  for (const auto& only : {balanced, unweighted}) {
    options.xgboost_grid = {only};
    auto model = Train(train.matrix, options);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    const auto& report = model->training_report();
    const bool is_balanced = only.class_weighting == ClassWeighting::kBalanced;
    EXPECT_EQ(report["class_weighting"], is_balanced ? "balanced" : "none");
    EXPECT_EQ(report["hyperparameters"]["class_weighting"], is_balanced ? "balanced" : "none");
    EXPECT_NEAR(report["positive_weight"].get<double>(), is_balanced ? balanced_weight : 1.0, 1e-9);
  }

  options.xgboost_grid = {balanced, unweighted};
  auto model = Train(train.matrix, options);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const auto& report = model->training_report();
  ASSERT_EQ(report["candidates"].size(), 2u);
  const auto& a = report["candidates"][0];
  const auto& b = report["candidates"][1];
  EXPECT_EQ(a["hyperparameters"]["class_weighting"], "balanced");
  EXPECT_EQ(b["hyperparameters"]["class_weighting"], "none");
  // Same folds, same shape: only the weights differ, and they change the fits.
  EXPECT_NE(a["fold_auroc"], b["fold_auroc"]);
  const size_t chosen = b["mean_auroc"].get<double>() > a["mean_auroc"].get<double>() ? 1 : 0;
  EXPECT_EQ(report["chosen"].get<size_t>(), chosen);
  EXPECT_EQ(report["class_weighting"], chosen == 1 ? "none" : "balanced");
  EXPECT_NEAR(report["positive_weight"].get<double>(), chosen == 1 ? 1.0 : balanced_weight, 1e-9);
}

TEST(TrainTest, DefaultSearchTriesEveryShapeWithAndWithoutClassWeights) {
  const auto grid = DefaultXgboostGrid();
  ASSERT_EQ(grid.size(), 8u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(grid[i].class_weighting, ClassWeighting::kBalanced);
    EXPECT_EQ(grid[i + 4].class_weighting, ClassWeighting::kNone);
    EXPECT_EQ(grid[i].max_depth, grid[i + 4].max_depth);
    EXPECT_EQ(grid[i].min_child_weight, grid[i + 4].min_child_weight);
  }
}

TEST(TrainTest, LogisticMatchesALinearTruth) {
  auto spec = TrainSpec();
  spec.interaction = 0;
  const auto train = testing::MakeSynthetic(spec);
  const auto test = TestData(spec);
  auto model = Train(train.matrix, SmallOptions(ModelKind::kLogistic));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ASSERT_NE(model->logistic(), nullptr);
  EXPECT_EQ(model->booster(), nullptr);
  const auto p = Probabilities(*model, test.matrix);
  const double truth_auroc = Auroc(test.true_probability, test.matrix.labels);
  std::printf("new patients: AUROC %.4f (true risk %.4f); ECE %.4f\n", Auroc(p, test.matrix.labels),
              truth_auroc, ExpectedCalibrationError(p, test.matrix.labels));
  EXPECT_GT(Auroc(p, test.matrix.labels), 0.97 * truth_auroc);
  EXPECT_LT(ExpectedCalibrationError(p, test.matrix.labels), 0.05);
}

TEST(TrainTest, DeterministicForASeed) {
  const auto train = testing::MakeSynthetic(TrainSpec());
  for (ModelKind kind : {ModelKind::kXgboost, ModelKind::kLogistic, ModelKind::kBlend}) {
    auto options = SmallOptions(kind);
    auto a = Train(train.matrix, options);
    auto b = Train(train.matrix, options);
    options.seed = 6;
    auto c = Train(train.matrix, options);
    ASSERT_TRUE(a.ok() && b.ok() && c.ok());
    EXPECT_EQ(*a->ModelFiles(), *b->ModelFiles());
    EXPECT_EQ(a->training_report().dump(), b->training_report().dump());
    EXPECT_EQ(a->calibrator().ToJson().dump(), b->calibrator().ToJson().dump());
    EXPECT_EQ(a->threshold(), b->threshold());
    // Another seed draws other folds.
    EXPECT_NE(a->training_report()["candidates"][0]["fold_auroc"],
              c->training_report()["candidates"][0]["fold_auroc"]);
  }
}

// A bag refits the chosen candidate with consecutive seeds and averages the fits: the search,
// calibration and threshold are the single fit's, the final booster holds every member's rounds,
// and it predicts new patients at least about as well.
TEST(TrainTest, BagsAverageFinalFitsWithConsecutiveSeeds) {
  const auto spec = TrainSpec();
  const auto train = testing::MakeSynthetic(spec);
  const auto test = TestData(spec);
  auto options = SmallOptions(ModelKind::kXgboost);
  auto single = Train(train.matrix, options);
  options.bags = 4;
  auto bagged = Train(train.matrix, options);
  ASSERT_TRUE(single.ok() && bagged.ok()) << bagged.status().ToString();
  const auto& r1 = single->training_report();
  const auto& r4 = bagged->training_report();
  EXPECT_EQ(r1["bags"], 1);
  EXPECT_EQ(r4["bags"], 4);
  EXPECT_EQ(r1["candidates"].dump(), r4["candidates"].dump());
  EXPECT_EQ(r1["final_rounds"], r4["final_rounds"]);
  EXPECT_EQ(single->calibrator().ToJson().dump(), bagged->calibrator().ToJson().dump());
  EXPECT_EQ(single->threshold(), bagged->threshold());
  const int rounds = r1["final_rounds"].get<int>();
  auto json = bagged->ModelFiles();
  ASSERT_TRUE(json.ok());
  auto booster = xgb::Booster::FromJson(json->at("model.json"));
  ASSERT_TRUE(booster.ok());
  EXPECT_EQ(*booster->BoostedRounds(), 4 * rounds);
  const auto p1 = Probabilities(*single, test.matrix);
  const auto p4 = Probabilities(*bagged, test.matrix);
  EXPECT_NE(p1, p4);
  const double a1 = Auroc(p1, test.matrix.labels), a4 = Auroc(p4, test.matrix.labels);
  EXPECT_GT(a4, a1 - 0.01) << a1 << " " << a4;
  const std::string card = RenderModelCard("m", 1, "2026-01-01T00:00:00Z", *bagged, {});
  EXPECT_NE(card.find("in each of 4 fits with consecutive seeds"), std::string::npos) << card;
  options.bags = 0;
  EXPECT_EQ(Train(train.matrix, options).status().code(), base::StatusCode::kInvalidArgument);
}

// A blend searches both model kinds on the same folds and keeps the weight whose mixed held-out
// margins score best; the end points are the two parts alone, so it never validates worse than
// either, and its predictions mix the two refitted parts with that weight.
TEST(TrainTest, BlendChoosesItsWeightByValidationAndMixesBothParts) {
  const auto spec = TrainSpec();
  const auto train = testing::MakeSynthetic(spec);
  const auto test = TestData(spec);
  auto model = Train(train.matrix, SmallOptions(ModelKind::kBlend));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ASSERT_NE(model->booster(), nullptr);
  ASSERT_NE(model->logistic(), nullptr);
  const auto& report = model->training_report();
  EXPECT_EQ(report["model"], "blend");
  ASSERT_EQ(report["blend"]["candidates"].size(), 11u);
  double best = -1, at_xgboost = 0, at_logistic = 0;
  for (const auto& c : report["blend"]["candidates"]) {
    const double w = c["xgboost_weight"].get<double>(), auroc = c["mean_auroc"].get<double>();
    if (auroc > best) best = auroc;
    if (w == 1.0) at_xgboost = auroc;
    if (w == 0.0) at_logistic = auroc;
  }
  // The end points are the best candidate of each kind, scored as the candidates are.
  EXPECT_DOUBLE_EQ(
      at_xgboost, report["candidates"][report["chosen"].get<size_t>()]["mean_auroc"].get<double>());
  EXPECT_DOUBLE_EQ(
      at_logistic,
      report["logistic"]["candidates"][report["logistic"]["chosen"].get<size_t>()]["mean_auroc"]
          .get<double>());
  EXPECT_GE(best, std::max(at_xgboost, at_logistic));
  const double w = model->xgboost_weight();
  EXPECT_EQ(report["blend"]["xgboost_weight"].get<double>(), w);
  for (const auto& c : report["blend"]["candidates"]) {
    if (c["xgboost_weight"].get<double>() == w) {
      EXPECT_EQ(c["mean_auroc"].get<double>(), best);
    }
  }
  // Predictions: w x the booster's margin + (1 - w) x the logistic margin, then calibration.
  auto d = model->ToDMatrix(test.matrix);
  ASSERT_TRUE(d.ok());
  auto trees = model->booster()->Predict(*d, xgb::PredictKind::kMargin);
  ASSERT_TRUE(trees.ok());
  auto pred = model->Predict(test.matrix);
  ASSERT_TRUE(pred.ok());
  for (size_t r = 0; r < test.matrix.num_rows(); ++r) {
    const double expected =
        w * (*trees)[r] + (1 - w) * model->logistic()->Margin(test.matrix.row(r));
    ASSERT_NEAR(pred->margin[r], expected, 1e-9) << "row " << r;
    ASSERT_EQ(pred->probability[r], model->calibrator().Probability(pred->margin[r]));
  }
  const double truth_auroc = Auroc(test.true_probability, test.matrix.labels);
  EXPECT_GT(Auroc(pred->probability, test.matrix.labels), 0.95 * truth_auroc);
}

TEST(TrainTest, ThresholdReachesTheTargetSensitivityOnNewPatients) {
  const auto spec = TrainSpec();
  const auto train = testing::MakeSynthetic(spec);
  const auto test = TestData(spec);
  auto options = SmallOptions(ModelKind::kXgboost);
  options.threshold.kind = ThresholdRule::Kind::kTargetSensitivity;
  options.threshold.target = 0.8;
  auto model = Train(train.matrix, options);
  ASSERT_TRUE(model.ok());
  EXPECT_GE(model->operating_point().sensitivity, 0.8);
  auto pred = model->Predict(test.matrix);
  ASSERT_TRUE(pred.ok());
  size_t tp = 0, positives = 0;
  for (size_t i = 0; i < pred->alert.size(); ++i) {
    EXPECT_EQ(pred->alert[i], pred->probability[i] >= model->threshold() ? 1 : 0);
    const bool pos = test.matrix.labels[i] > 0.5f;
    positives += pos;
    tp += pos && pred->alert[i];
  }
  EXPECT_NEAR(static_cast<double>(tp) / static_cast<double>(positives), 0.8, 0.08);
}

TEST(TrainTest, UnlabelledRowsAreLeftOutOfTrainingButPredicted) {
  auto train = testing::MakeSynthetic(TrainSpec());
  for (size_t r = 0; r < train.matrix.num_rows(); r += 10)
    train.matrix.labels[r] = features::kMissing;
  const size_t unlabelled = (train.matrix.num_rows() + 9) / 10;
  auto model = Train(train.matrix, SmallOptions(ModelKind::kLogistic));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model->training_report()["unlabelled_rows"].get<size_t>(), unlabelled);
  EXPECT_EQ(model->training_report()["rows"].get<size_t>(), train.matrix.num_rows() - unlabelled);
  auto p = model->Predict(train.matrix);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->probability.size(), train.matrix.num_rows());
}

TEST(TrainTest, PredictionMatchesColumnsByName) {
  const auto train = testing::MakeSynthetic(TrainSpec());
  auto model = Train(train.matrix, SmallOptions(ModelKind::kXgboost));
  ASSERT_TRUE(model.ok());
  const auto expected = Probabilities(*model, train.matrix);

  // Columns reversed, plus an extra one the model does not use.
  features::FeatureMatrix shuffled;
  shuffled.rows = train.matrix.rows;
  shuffled.labels = train.matrix.labels;
  shuffled.names = train.matrix.names;
  std::reverse(shuffled.names.begin(), shuffled.names.end());
  shuffled.names.push_back("extra");
  const size_t k = train.matrix.num_cols();
  for (size_t r = 0; r < train.matrix.num_rows(); ++r) {
    for (size_t j = 0; j < k; ++j) shuffled.values.push_back(train.matrix.at(r, k - 1 - j));
    shuffled.values.push_back(42.0f);
  }
  EXPECT_EQ(Probabilities(*model, shuffled), expected);

  features::FeatureMatrix infinite = train.matrix;
  infinite.values[7] = -std::numeric_limits<float>::infinity();
  EXPECT_EQ(model->Predict(infinite).status().code(), base::StatusCode::kInvalidArgument);

  features::FeatureMatrix missing_column = train.matrix;
  missing_column.names[2] = "renamed";
  auto p = model->Predict(missing_column);
  EXPECT_EQ(p.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find("f2"), std::string::npos);
}

TEST(TrainTest, RoundTripThroughFilesGivesIdenticalPredictions) {
  const auto train = testing::MakeSynthetic(TrainSpec());
  for (ModelKind kind : {ModelKind::kXgboost, ModelKind::kLogistic, ModelKind::kBlend}) {
    auto model = Train(train.matrix, SmallOptions(kind));
    ASSERT_TRUE(model.ok());
    auto files = model->ModelFiles();
    ASSERT_TRUE(files.ok());
    std::vector<std::string> names;
    for (const auto& [name, text] : *files) names.push_back(name);
    std::vector<std::string> expected = ModelFileNames(kind);
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(names, expected);  // the map's order
    auto loaded = TrainedModel::FromFiles(
        kind, *files, nlohmann::json::parse(model->calibrator().ToJson().dump()),
        nlohmann::json::parse(model->ThresholdJson().dump()), model->training_report(),
        model->feature_names());
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    auto a = model->Predict(train.matrix);
    auto b = loaded->Predict(train.matrix);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->margin, b->margin);
    EXPECT_EQ(a->probability, b->probability);
    EXPECT_EQ(a->alert, b->alert);
    EXPECT_EQ(loaded->threshold(), model->threshold());
  }
}

TEST(TrainTest, MaxUtilityWithPerRowUtilitiesFromTheTask) {
  const auto train = testing::MakeSynthetic(TrainSpec());
  auto options = SmallOptions(ModelKind::kLogistic);
  options.threshold.kind = ThresholdRule::Kind::kMaxUtility;
  for (float y : train.matrix.labels)
    options.threshold.row_utility.push_back({y > 0.5f ? 1.0 : -0.25, 0.0});
  auto model = Train(train.matrix, options);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  // Alerting the rows at or above the threshold must beat alerting nobody (utility 0) and
  // everybody.
  const double everybody =
      std::accumulate(options.threshold.row_utility.begin(), options.threshold.row_utility.end(),
                      0.0, [](double s, const RowUtility& u) { return s + u.if_alert; });
  EXPECT_GT(model->operating_point().utility, 0.0);
  EXPECT_GT(model->operating_point().utility, everybody);
  const auto j = model->ThresholdJson();
  EXPECT_EQ(j["rule"], "max_utility");
  EXPECT_TRUE(j["utility"].is_string());
  auto loaded = TrainedModel::FromFiles(ModelKind::kLogistic, *model->ModelFiles(),
                                        nlohmann::json::parse(model->calibrator().ToJson().dump()),
                                        nlohmann::json::parse(j.dump()), model->training_report(),
                                        model->feature_names());
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->ThresholdJson(), j);
}

TEST(TrainTest, RejectsMalformedInput) {
  const auto base = testing::MakeSynthetic(TrainSpec()).matrix;
  const auto options = SmallOptions(ModelKind::kLogistic);

  auto dup = base;
  dup.names[1] = dup.names[0];
  EXPECT_EQ(Train(dup, options).status().code(), base::StatusCode::kInvalidArgument);

  auto bad_label = base;
  bad_label.labels[3] = 2.0f;
  EXPECT_EQ(Train(bad_label, options).status().code(), base::StatusCode::kInvalidArgument);

  auto infinite = base;
  infinite.values[4] = std::numeric_limits<float>::infinity();
  EXPECT_EQ(Train(infinite, options).status().code(), base::StatusCode::kInvalidArgument);

  auto short_values = base;
  short_values.values.pop_back();
  EXPECT_EQ(Train(short_values, options).status().code(), base::StatusCode::kInvalidArgument);

  testing::SyntheticSpec tiny;
  tiny.subjects = 4;
  EXPECT_EQ(Train(testing::MakeSynthetic(tiny).matrix, options).status().code(),
            base::StatusCode::kFailedPrecondition);

  auto one_fold = options;
  one_fold.folds = 1;
  EXPECT_EQ(Train(base, one_fold).status().code(), base::StatusCode::kInvalidArgument);

  auto bad_utility = options;
  bad_utility.threshold.kind = ThresholdRule::Kind::kMaxUtility;
  bad_utility.threshold.row_utility.resize(3);
  EXPECT_EQ(Train(base, bad_utility).status().code(), base::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::model
