#include "vigil/workflow/workflow.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "vigil/base/file.h"
#include "vigil/base/text.h"
#include "vigil/features/test_store.h"
#include "vigil/task/builtin.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::workflow {
namespace {

namespace fs = std::filesystem;

// A store with about 300 PhysioNet-2019-like ICU stays (the sepsis task's cohort), trained once
// for the whole suite: logistic regression, 3 folds.
class WorkflowTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new vigil::testing::TempDir;
    auto s = store::Store::Open(dir_->path() / "s.duckdb", store::Store::Mode::kReadWrite);
    ASSERT_TRUE(s.ok());
    auto run = (*s)->StartRun("test", "", 1);
    ASSERT_TRUE(run.ok());
    ASSERT_TRUE((*s)->WriteBatch(*run, features::test_store::HospitalBuilder(11).Build(900)).ok());
    store_ = s->release();
    auto source = task::FindTask("physionet2019-sepsis");
    ASSERT_TRUE(source.ok());
    yaml_ = new std::string(source->text);
    auto spec = task::ParseTaskSpec(*yaml_, "t.yaml");
    ASSERT_TRUE(spec.ok());
    spec_ = new task::TaskSpec(*spec);
    TrainRequest r;
    r.out = dir_->path() / "model";
    r.kind = model::ModelKind::kLogistic;
    r.folds = 3;
    r.bootstrap = 20;
    r.threads = 2;
    auto trained = TrainTask(*store_, *spec_, *yaml_, r);
    ASSERT_TRUE(trained.ok()) << trained.status().ToString();
    trained_ = new TrainResult(std::move(*trained));
  }
  static void TearDownTestSuite() {
    delete trained_;
    delete spec_;
    delete yaml_;
    delete store_;
    delete dir_;
  }
  static model::StoredModel Load() {
    auto m = model::ReadModelFolder(trained_->dir);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return std::move(*m);
  }

  static vigil::testing::TempDir* dir_;
  static store::Store* store_;
  static std::string* yaml_;
  static task::TaskSpec* spec_;
  static TrainResult* trained_;
};

vigil::testing::TempDir* WorkflowTest::dir_ = nullptr;
store::Store* WorkflowTest::store_ = nullptr;
std::string* WorkflowTest::yaml_ = nullptr;
task::TaskSpec* WorkflowTest::spec_ = nullptr;
TrainResult* WorkflowTest::trained_ = nullptr;

TEST_F(WorkflowTest, TrainsOnTrainingPatientsAndEvaluatesTheHeldOutOnes) {
  ASSERT_NE(trained_, nullptr);
  EXPECT_GT(trained_->rows_train, 0);
  EXPECT_GT(trained_->rows_test, 0);
  EXPECT_GT(trained_->patients_test, 0);
  ASSERT_TRUE(trained_->test.has_value());
  const auto& o = trained_->test->overall;
  EXPECT_EQ(o.counts.rows, trained_->rows_test);
  EXPECT_EQ(o.counts.patients, trained_->patients_test);
  // The fixture's vital signs rise before sepsis: a real signal, learnt from other patients.
  EXPECT_GT(o.discrimination.auroc.value, 0.6);
  EXPECT_TRUE(o.task.physionet2019);  // the task's challenge score
  ASSERT_EQ(trained_->test->baselines.size(), 3u);
  EXPECT_EQ(trained_->test->baselines[0].name, "qSOFA");

  const model::StoredModel m = Load();
  EXPECT_EQ(m.metadata.metrics["overall"]["counts"]["rows"].get<int64_t>(), trained_->rows_test);
  EXPECT_EQ(m.model.threshold_rule().kind, model::ThresholdRule::Kind::kMaxUtility);
  // The folder names no patient: digests only.
  auto text = base::ReadFile(trained_->dir / "training_patients.json");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->find("s1"), std::string::npos);
  EXPECT_EQ(m.metadata.training_patients["patients"].get<int64_t>(), trained_->patients_train);
  // The card lists the features in words too.
  const auto& words = m.metadata.feature_definitions["display_names"];
  ASSERT_TRUE(words.is_array());
  EXPECT_EQ(words.size(), m.model.feature_names().size());
  auto card = base::ReadFile(trained_->dir / "MODEL_CARD.md");
  ASSERT_TRUE(card.ok());
  EXPECT_NE(card->find("- Heart rate, "), std::string::npos) << *card;
}

TEST_F(WorkflowTest, EvaluationLeavesTheTrainingPatientsOut) {
  const model::StoredModel m = Load();
  EvaluateRequest r;
  r.bootstrap = 0;
  auto ev = EvaluateModel(m, *store_, r);
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  EXPECT_EQ(ev->rows.rows_training_patients, trained_->rows_train);
  EXPECT_EQ(ev->rows.rows_evaluated, trained_->rows_test);
  EXPECT_NEAR(ev->evaluation.overall.discrimination.auroc.value,
              trained_->test->overall.discrimination.auroc.value, 1e-9);
  EXPECT_TRUE(ev->shap.has_value());
  EXPECT_EQ(ev->card.validation.find("NOT"), std::string::npos);
  // The sepsis task's cohort (kinds: [icu]) in words, with its accounting.
  EXPECT_EQ(ev->card.cohort.rfind("ICU stays: ", 0), 0u) << ev->card.cohort;
  EXPECT_NE(ev->card.cohort.find(" seen, "), std::string::npos);
  EXPECT_EQ(ev->card.prediction_time, "Every hour of a stay; outcome within 6 h.");

  r.include_training_patients = true;
  r.shap = false;
  auto apparent = EvaluateModel(m, *store_, r);
  ASSERT_TRUE(apparent.ok());
  EXPECT_FALSE(apparent->shap.has_value());
  EXPECT_EQ(apparent->rows.rows_evaluated, trained_->rows_train + trained_->rows_test);
  EXPECT_NE(apparent->card.validation.find("NOT a validation"), std::string::npos);
}

// A training patient is known by identifier, birth date and sex: another hospital's patients who
// share identifiers (sequential numbers) are other people and are validated on.
TEST_F(WorkflowTest, AnotherHospitalsPatientWithTheSameIdentifierIsNotATrainingPatient) {
  const model::StoredModel m = Load();
  ASSERT_TRUE(store_->QueryText("UPDATE subjects SET birth_date = DATE '1950-01-01'").ok());
  EvaluateRequest r;
  r.bootstrap = 0;
  r.shap = false;
  auto ev = EvaluateModel(m, *store_, r);
  ASSERT_TRUE(store_->QueryText("UPDATE subjects SET birth_date = NULL").ok());
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  EXPECT_EQ(ev->rows.rows_training_patients, 0);
  EXPECT_EQ(ev->rows.rows_evaluated, trained_->rows_train + trained_->rows_test);
}

TEST_F(WorkflowTest, PredictWritesOneSortedRowPerPredictionTime) {
  const model::StoredModel m = Load();
  PredictRequest r;
  r.explain_top = 3;
  const fs::path out = dir_->path() / "p.csv";
  auto p = PredictToFile(m, *store_, out, r);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->rows, trained_->rows_train + trained_->rows_test + trained_->rows_dropped);
  auto text = base::ReadFile(out);
  ASSERT_TRUE(text.ok());
  std::istringstream lines(*text);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "subject_id,stay_id,time,probability,alert,label,explanation");
  std::string previous_key;
  int64_t rows = 0, alerts = 0;
  while (std::getline(lines, line)) {
    // The explanation is a quoted JSON array; the first six fields are plain.
    std::vector<std::string> f;
    size_t start = 0;
    for (int k = 0; k < 6; ++k) {
      const size_t comma = line.find(',', start);
      f.push_back(line.substr(start, comma - start));
      start = comma + 1;
    }
    ASSERT_EQ(f.size(), 6u);
    const std::string key = f[0] + "|" + f[2];  // ISO times sort as text
    EXPECT_LE(previous_key, key) << "rows are sorted by subject, then time";
    previous_key = key;
    const double prob = std::stod(f[3]);
    EXPECT_GE(prob, 0);
    EXPECT_LE(prob, 1);
    EXPECT_EQ(f[4] == "1", prob >= m.model.threshold() - 1e-6);
    EXPECT_TRUE(f[5] == "0" || f[5] == "1");
    EXPECT_NE(line.find("\"\"contribution\"\""), std::string::npos);
    EXPECT_NE(line.find("\"\"name\"\":\"\""), std::string::npos);  // the feature in words
    alerts += f[4] == "1";
    ++rows;
  }
  EXPECT_EQ(rows, p->rows);
  EXPECT_EQ(alerts, p->alerts);
}

TEST_F(WorkflowTest, RefusesToOverwriteAModelFolder) {
  TrainRequest r;
  r.out = trained_->dir;
  auto again = TrainTask(*store_, *spec_, *yaml_, r);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), base::StatusCode::kAlreadyExists);
}

// Training needs a feature that tells the rows apart: all missing or all equal is refused.
TEST(TrainChecksTest, SomeFeatureMustVary) {
  features::FeatureMatrix m;
  m.names = {"a", "b"};
  m.rows.resize(3);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  m.values.assign({nan, 1, nan, 1, nan, 1});  // a missing, b constant
  EXPECT_EQ(CheckSomeFeatureVaries(m).code(), base::StatusCode::kFailedPrecondition);
  m.values.assign({nan, 1, nan, 1, nan, 2});  // b varies
  EXPECT_TRUE(CheckSomeFeatureVaries(m).ok());
}

TEST(HyperparametersTest, ParsesOneCandidateAndRejectsUnknownKeys) {
  auto p = ParseXgboostParams(R"({"max_depth": 5, "learning_rate": 0.1, "subsample": 0.9})");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->max_depth, 5);
  EXPECT_DOUBLE_EQ(p->learning_rate, 0.1);
  EXPECT_DOUBLE_EQ(p->subsample, 0.9);
  EXPECT_EQ(p->class_weighting, model::ClassWeighting::kBalanced);
  auto unweighted = ParseXgboostParams(R"({"class_weighting": "none"})");
  ASSERT_TRUE(unweighted.ok());
  EXPECT_EQ(unweighted->class_weighting, model::ClassWeighting::kNone);
  // What a model folder's hyperparameters.json holds reads back as the same candidate.
  auto again = ParseXgboostParams(unweighted->ToJson().dump());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ToJson(), unweighted->ToJson());
  EXPECT_FALSE(ParseXgboostParams(R"({"class_weighting": "heavy"})").ok());
  // A model folder's hyperparameters.json: its candidate is read, its round count is not a key.
  auto folder = ParseXgboostParams(
      R"({"model": "xgboost", "hyperparameters": {"max_depth": 6, "min_child_weight": 10.0,
          "class_weighting": "none"}, "final_rounds": 144, "class_weighting": "none",
          "positive_weight": 1.0, "folds": 5, "seed": 1, "calibration": "platt"})");
  ASSERT_TRUE(folder.ok()) << folder.status().ToString();
  EXPECT_EQ(folder->max_depth, 6);
  EXPECT_DOUBLE_EQ(folder->min_child_weight, 10.0);
  EXPECT_EQ(folder->class_weighting, model::ClassWeighting::kNone);
  EXPECT_FALSE(ParseXgboostParams(R"({"model": "logistic", "hyperparameters": {"l2": 0.1}})").ok());
  EXPECT_FALSE(ParseXgboostParams(R"({"depth": 5})").ok());
  EXPECT_FALSE(ParseXgboostParams(R"({"max_depth": "deep"})").ok());
  // Whole numbers only, and within range (1e30 used to be cast to int: undefined behaviour).
  EXPECT_FALSE(ParseXgboostParams(R"({"max_depth": 1e30})").ok());
  EXPECT_FALSE(ParseXgboostParams(R"({"max_depth": 4.5})").ok());
  EXPECT_FALSE(ParseXgboostParams(R"({"max_bin": -1e300})").ok());
  ASSERT_TRUE(ParseXgboostParams(R"({"max_depth": 4.0})").ok());
  EXPECT_EQ(ParseXgboostParams(R"({"max_depth": 4.0})")->max_depth, 4);
  EXPECT_FALSE(ParseXgboostParams(R"({"learning_rate": 2})").ok());
  // Errors name the key (min_child_weight < 0 used to reach XGBoost and fail there).
  EXPECT_EQ(ParseXgboostParams(R"({"subsample": 2})").status().message(),
            "hyperparameters: 'subsample' must be above 0 and at most 1");
  EXPECT_EQ(ParseXgboostParams(R"({"min_child_weight": -5})").status().message(),
            "hyperparameters: 'min_child_weight' must be a number of at least 0");
  EXPECT_EQ(ParseXgboostParams(R"({"max_bin": 1e30})").status().message(),
            "hyperparameters: 'max_bin' has the wrong type (or is out of range)");
  EXPECT_FALSE(ParseXgboostParams("[1]").ok());
}

// Outer cross-validation: with test_fold K/3, the three models' test patients together are every
// patient of the cohort, once.
TEST_F(WorkflowTest, TestFoldsTestEveryPatientOnce) {
  int64_t tested = 0;
  for (int k = 1; k <= 3; ++k) {
    task::TaskSpec spec = *spec_;
    ASSERT_TRUE(task::SetTestFold(std::to_string(k) + "/3", spec.split).ok());
    TrainRequest r;
    r.out = dir_->path() / ("fold" + std::to_string(k));
    r.kind = model::ModelKind::kLogistic;
    r.folds = 2;
    r.bootstrap = 0;
    r.threads = 2;
    auto t = TrainTask(*store_, spec, *yaml_, r);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->patients_train + t->patients_test,
              trained_->patients_train + trained_->patients_test);
    tested += t->patients_test;
  }
  EXPECT_EQ(tested, trained_->patients_train + trained_->patients_test);
}

}  // namespace
}  // namespace vigil::workflow
