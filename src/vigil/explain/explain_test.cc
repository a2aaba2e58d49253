#include "vigil/explain/explain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "vigil/model/train.h"
#include "vigil/testing/synthetic_matrix.h"

namespace vigil::explain {
namespace {

class ExplainTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::SyntheticSpec spec;  // weights 1.5, -1.0, 0.75, 0, 0
    spec.subjects = 400;
    data_ = new testing::SyntheticData(testing::MakeSynthetic(spec));
    for (auto kind : {model::ModelKind::kXgboost, model::ModelKind::kLogistic}) {
      model::TrainOptions o;
      o.kind = kind;
      o.folds = 3;
      o.num_threads = 1;
      o.max_rounds = 200;
      o.early_stopping_rounds = 15;
      model::XgboostParams p;
      p.max_depth = 3;
      p.learning_rate = 0.1;
      o.xgboost_grid = {p};
      o.logistic_l2_grid = {1e-3};
      auto m = model::Train(data_->matrix, o);
      ASSERT_TRUE(m.ok()) << m.status().ToString();
      models_[kind == model::ModelKind::kXgboost ? 0 : 1] =
          new model::TrainedModel(std::move(m).value());
    }
    // A blend of the two at a weight strictly inside (0, 1), assembled from their files.
    auto trees = models_[0]->ModelFiles();
    auto linear = models_[1]->ModelFiles();
    ASSERT_TRUE(trees.ok() && linear.ok());
    std::map<std::string, std::string> files = *trees;
    files.merge(*linear);
    files["blend.json"] = R"({"xgboost_weight": 0.3})";
    auto blend = model::TrainedModel::FromFiles(
        model::ModelKind::kBlend, files,
        nlohmann::json::parse(models_[0]->calibrator().ToJson().dump()),
        nlohmann::json::parse(models_[0]->ThresholdJson().dump()), models_[0]->training_report(),
        models_[0]->feature_names());
    ASSERT_TRUE(blend.ok()) << blend.status().ToString();
    models_[2] = new model::TrainedModel(std::move(blend).value());
  }
  static void TearDownTestSuite() {
    delete data_;
    for (auto* m : models_) delete m;
  }
  static testing::SyntheticData* data_;
  static model::TrainedModel* models_[3];  // XGBoost, logistic, a blend of the two
};

testing::SyntheticData* ExplainTest::data_ = nullptr;
model::TrainedModel* ExplainTest::models_[3] = {nullptr, nullptr, nullptr};

TEST_F(ExplainTest, ContributionsSumToTheMarginOfEveryRow) {
  const auto& x = data_->matrix;
  for (const auto* model : models_) {
    auto c = Explain(*model, x);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ASSERT_EQ(c->rows, x.num_rows());
    ASSERT_EQ(c->values.size(), x.num_rows() * (x.num_cols() + 1));
    auto margin = model->PredictMargin(x);
    ASSERT_TRUE(margin.ok());
    double worst = 0;
    for (size_t r = 0; r < x.num_rows(); ++r)
      worst = std::max(worst, std::abs(c->Margin(r) - (*margin)[r]));
    EXPECT_LT(worst, 1e-4) << model::ModelKindName(model->kind());
  }
}

// A blend's margin and contributions are 0.3 x the trees' + 0.7 x the logistic model's.
TEST_F(ExplainTest, BlendMixesItsPartsMarginsAndContributions) {
  const auto& x = data_->matrix;
  const model::TrainedModel& blend = *models_[2];
  EXPECT_EQ(blend.kind(), model::ModelKind::kBlend);
  EXPECT_DOUBLE_EQ(blend.xgboost_weight(), 0.3);
  auto trees = models_[0]->PredictMargin(x);
  auto linear = models_[1]->PredictMargin(x);
  auto mixed = blend.PredictMargin(x);
  auto ct = Explain(*models_[0], x);
  auto cl = Explain(*models_[1], x);
  auto cb = Explain(blend, x);
  ASSERT_TRUE(trees.ok() && linear.ok() && mixed.ok() && ct.ok() && cl.ok() && cb.ok());
  double worst_margin = 0, worst_contribution = 0;
  for (size_t r = 0; r < x.num_rows(); ++r) {
    worst_margin =
        std::max(worst_margin, std::abs((*mixed)[r] - (0.3 * (*trees)[r] + 0.7 * (*linear)[r])));
  }
  for (size_t i = 0; i < cb->values.size(); ++i) {
    worst_contribution = std::max(
        worst_contribution,
        std::abs(static_cast<double>(cb->values[i]) - (0.3 * ct->values[i] + 0.7 * cl->values[i])));
  }
  EXPECT_LT(worst_margin, 1e-6);
  EXPECT_LT(worst_contribution, 1e-5);
  // The files say which model this is: a blend without its weight is refused.
  auto files = blend.ModelFiles();
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 3u);
  files->erase("blend.json");
  EXPECT_EQ(
      model::TrainedModel::FromFiles(model::ModelKind::kBlend, *files,
                                     nlohmann::json::parse(blend.calibrator().ToJson().dump()),
                                     nlohmann::json::parse(blend.ThresholdJson().dump()),
                                     blend.training_report(), blend.feature_names())
          .status()
          .code(),
      base::StatusCode::kDataLoss);
}

TEST_F(ExplainTest, GlobalImportanceFollowsTheTrueWeights) {
  for (const auto* model : models_) {
    auto c = Explain(*model, data_->matrix);
    ASSERT_TRUE(c.ok());
    const auto importance = GlobalImportance(*c);
    ASSERT_EQ(importance.size(), 5u);
    EXPECT_EQ(importance[0].name, "f0");
    EXPECT_EQ(importance[1].name, "f1");
    EXPECT_EQ(importance[2].name, "f2");
    for (size_t i = 1; i < importance.size(); ++i) {
      EXPECT_GE(importance[i - 1].mean_abs, importance[i].mean_abs);
    }
    // The noise features (true weight 0) matter far less than the weakest real one.
    EXPECT_LT(importance[3].mean_abs, 0.5 * importance[2].mean_abs);
  }
}

TEST_F(ExplainTest, LogisticContributionsAreCoefficientTimesStandardizedDeviation) {
  const auto* logistic = models_[1]->logistic();
  ASSERT_NE(logistic, nullptr);
  const auto json = logistic->ToJson();
  auto c = Explain(*models_[1], data_->matrix);
  ASSERT_TRUE(c.ok());
  const auto& x = data_->matrix;
  for (size_t r = 0; r < 20; ++r) {
    const auto& col = json["columns"][0];  // f0 is never missing; clipped to its percentiles
    const double value =
        std::clamp<double>(x.at(r, 0), col["lower"].get<double>(), col["upper"].get<double>());
    const double expected = col["coefficient"].get<double>() * (value - col["mean"].get<double>()) /
                            col["scale"].get<double>();
    EXPECT_NEAR(c->at(r, 0), expected, 1e-5);
    EXPECT_NEAR(c->bias(r), logistic->intercept(), 1e-6);
  }
}

TEST_F(ExplainTest, TopContributionsAreOrderedAndCarryValues) {
  const auto& x = data_->matrix;
  auto c = Explain(*models_[0], x);
  ASSERT_TRUE(c.ok());
  for (size_t r = 0; r < 30; ++r) {
    const auto top = TopContributions(*c, x, r, 3);
    ASSERT_EQ(top.size(), 3u);
    for (size_t i = 1; i < top.size(); ++i) {
      EXPECT_GE(std::abs(top[i - 1].contribution), std::abs(top[i].contribution));
    }
    for (const auto& t : top) {
      const size_t j =
          static_cast<size_t>(std::find(x.names.begin(), x.names.end(), t.name) - x.names.begin());
      ASSERT_LT(j, x.num_cols());
      const float v = x.at(r, j);
      EXPECT_TRUE(v == t.value || (std::isnan(v) && std::isnan(t.value)));
      EXPECT_EQ(t.contribution, c->at(r, j));
    }
  }
  EXPECT_EQ(TopContributions(*c, x, 0, 50).size(), x.num_cols());
  std::vector<TopContribution> missing = {{"f1", features::kMissing, 0.25f, {}}};
  const auto j = ToJson(missing);
  EXPECT_TRUE(j[0]["value"].is_null());
  EXPECT_EQ(j[0]["feature"], "f1");
  // Floats print as floats: no digits the float does not hold.
  const auto widened = ToJson({{"f2", 6.1f, 0.25775033f, {}}});
  EXPECT_EQ(widened.dump(), R"([{"feature":"f2","value":6.1,"contribution":0.25775033}])");
  EXPECT_EQ(static_cast<float>(widened[0]["contribution"].get<double>()), 0.25775033f);
  // The feature in words, when the caller names it, after its column name.
  const auto named = ToJson({{"LOINC/8867-4.last", 80.0f, 0.5f, "Heart rate, latest"}});
  EXPECT_EQ(named.dump(), R"([{"feature":"LOINC/8867-4.last","name":"Heart rate, latest",)"
                          R"("value":80.0,"contribution":0.5}])");
}

TEST_F(ExplainTest, ColumnsAreMatchedByName) {
  const auto& x = data_->matrix;
  features::FeatureMatrix reversed;
  reversed.rows = x.rows;
  reversed.labels = x.labels;
  reversed.names.assign(x.names.rbegin(), x.names.rend());
  const size_t k = x.num_cols();
  for (size_t r = 0; r < x.num_rows(); ++r) {
    for (size_t j = 0; j < k; ++j) reversed.values.push_back(x.at(r, k - 1 - j));
  }
  for (const auto* model : models_) {
    auto a = Explain(*model, x);
    auto b = Explain(*model, reversed);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->values, b->values);
    EXPECT_EQ(TopContributions(*a, x, 3, 2)[0].value,
              TopContributions(*b, reversed, 3, 2)[0].value);
  }
  features::FeatureMatrix renamed = x;
  renamed.names[0] = "other";
  EXPECT_EQ(Explain(*models_[0], renamed).status().code(), base::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::explain
