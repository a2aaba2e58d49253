#include "vigil/model/registry.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <tuple>

#include "vigil/base/file.h"
#include "vigil/base/hash.h"
#include "vigil/base/text.h"
#include "vigil/model/fingerprint.h"
#include "vigil/model/train.h"
#include "vigil/testing/synthetic_matrix.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::model {
namespace {
namespace fs = std::filesystem;

constexpr char kTaskYaml[] = "name: deterioration-24h\nhorizon: 24h\n";

// One small model of each kind, trained once for the whole suite.
class RegistryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::SyntheticSpec spec;
    spec.subjects = 300;
    spec.weights = {1.0, -0.8, 0.5};
    data_ = new testing::SyntheticData(testing::MakeSynthetic(spec));
    // Clinical-style names with '/', '.' and '-' must survive XGBoost and Python.
    data_->matrix.names = {"LOINC/8867-4.max.6h", "LOINC/9279-1.last", "VIGIL/AGE"};
    for (ModelKind kind : {ModelKind::kXgboost, ModelKind::kLogistic, ModelKind::kBlend}) {
      TrainOptions o;
      o.kind = kind;
      o.folds = 3;
      o.num_threads = 1;
      o.max_rounds = 100;
      o.early_stopping_rounds = 10;
      o.xgboost_grid = {XgboostParams{}};
      o.logistic_l2_grid = {1e-2};
      auto m = Train(data_->matrix, o);
      ASSERT_TRUE(m.ok()) << m.status().ToString();
      TrainedModel*& slot = kind == ModelKind::kXgboost    ? xgboost_
                            : kind == ModelKind::kLogistic ? logistic_
                                                           : blend_;
      slot = new TrainedModel(std::move(m).value());
    }
  }
  static void TearDownTestSuite() {
    delete data_;
    delete xgboost_;
    delete logistic_;
    delete blend_;
  }

  static ModelMetadata Metadata() {
    ModelMetadata meta;
    meta.task_yaml = kTaskYaml;
    meta.feature_definitions = {{"window", "6h"}};
    meta.fingerprint = Fingerprint(data_->matrix);
    meta.intended_use = "Adult ward patients, hourly.";
    meta.limitations = {"Synthetic data only."};
    return meta;
  }

  static testing::SyntheticData* data_;
  static TrainedModel* xgboost_;
  static TrainedModel* logistic_;
  static TrainedModel* blend_;
  testing::TempDir tmp_;
};

testing::SyntheticData* RegistryTest::data_ = nullptr;
TrainedModel* RegistryTest::xgboost_ = nullptr;
TrainedModel* RegistryTest::logistic_ = nullptr;
TrainedModel* RegistryTest::blend_ = nullptr;

TEST_F(RegistryTest, SaveLoadRoundTripGivesIdenticalPredictions) {
  Registry registry(tmp_.path() / "models");
  for (const TrainedModel* model : {xgboost_, logistic_, blend_}) {
    auto saved = registry.Save("risk", *model, Metadata());
    ASSERT_TRUE(saved.ok()) << saved.status().ToString();
    auto loaded = registry.Load("risk@" + std::to_string(saved->version));
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(loaded->model.kind(), model->kind());
    EXPECT_EQ(loaded->model.feature_names(), model->feature_names());
    auto a = model->Predict(data_->matrix);
    auto b = loaded->model.Predict(data_->matrix);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->margin, b->margin);
    EXPECT_EQ(a->probability, b->probability);
    EXPECT_EQ(a->alert, b->alert);
    EXPECT_EQ(loaded->metadata.task_yaml, kTaskYaml);
    EXPECT_EQ(loaded->metadata.feature_definitions["window"], "6h");
    EXPECT_EQ(loaded->metadata.fingerprint.sha256, Metadata().fingerprint.sha256);
    EXPECT_EQ(loaded->metadata.intended_use, "Adult ward patients, hourly.");
    for (const std::string& file : ModelFileNames(model->kind()))
      EXPECT_TRUE(fs::exists(saved->dir / file)) << file;
    if (model->kind() == ModelKind::kBlend) {
      // hyperparameters.json names the blend's logistic part and weight beside the XGBoost part's.
      auto text = base::ReadFile(saved->dir / "hyperparameters.json");
      ASSERT_TRUE(text.ok());
      const auto h = nlohmann::json::parse(*text);
      EXPECT_EQ(h["model"], "blend");
      EXPECT_EQ(h["xgboost_weight"].get<double>(), model->xgboost_weight());
      EXPECT_EQ(h["logistic_hyperparameters"]["l2"].get<double>(), 1e-2);
      EXPECT_TRUE(h["hyperparameters"].contains("max_depth"));
      auto card = base::ReadFile(saved->dir / "MODEL_CARD.md");
      ASSERT_TRUE(card.ok());
      EXPECT_NE(card->find(fmt::format("- Blend: log-odds {:.2f} x the trees above",
                                       model->xgboost_weight())),
                std::string::npos);
    }
  }
}

TEST_F(RegistryTest, VersionsListAndResolve) {
  Registry registry(tmp_.path() / "models");
  auto empty = registry.List();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  ASSERT_EQ(registry.Save("sepsis", *xgboost_, Metadata())->version, 1);
  ASSERT_EQ(registry.Save("sepsis", *logistic_, Metadata())->version, 2);
  ASSERT_EQ(registry.Save("mortality", *logistic_, Metadata())->version, 1);
  auto list = registry.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].name, "mortality");
  EXPECT_EQ((*list)[1].name, "sepsis");
  EXPECT_EQ((*list)[1].kind, "xgboost");
  EXPECT_EQ((*list)[2].version, 2);
  EXPECT_EQ((*list)[2].kind, "logistic");
  EXPECT_EQ(registry.Load("sepsis")->version, 2);  // latest
  EXPECT_EQ(registry.Load("sepsis@1")->model.kind(), ModelKind::kXgboost);
  EXPECT_EQ(registry.Load("sepsis@3").status().code(), base::StatusCode::kNotFound);
  EXPECT_EQ(registry.Load("nothing").status().code(), base::StatusCode::kNotFound);
  EXPECT_EQ(registry.Load("../etc").status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.Load("sepsis@0").status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.Save("bad/name", *xgboost_, Metadata()).status().code(),
            base::StatusCode::kInvalidArgument);
}

TEST_F(RegistryTest, FolderHoldsEveryDocumentedFileAndACard) {
  Registry registry(tmp_.path());
  auto saved = registry.Save("deterioration", *xgboost_, Metadata());
  ASSERT_TRUE(saved.ok());
  for (const char* f :
       {"manifest.json", "model.json", "features.json", "task.yaml", "calibration.json",
        "threshold.json", "hyperparameters.json", "training.json", "metrics.json",
        "fingerprint.json", "card.json", "MODEL_CARD.md"}) {
    EXPECT_TRUE(fs::exists(saved->dir / f)) << f;
  }
  auto card = base::ReadFile(saved->dir / "MODEL_CARD.md");
  ASSERT_TRUE(card.ok());
  for (const char* section :
       {"## Intended use", "## Data", "## Task and cohort", "## Model", "## Performance",
        "## Limitations", "Adult ward patients", "Synthetic data only.", "deterioration-24h",
        "No validation metrics recorded yet"}) {
    EXPECT_NE(card->find(section), std::string::npos) << section;
  }
  // Features by column name alone when the trainer gave no words; with words, both.
  EXPECT_NE(card->find("- `LOINC/8867-4.max.6h`\n"), std::string::npos) << *card;
  ModelMetadata named = Metadata();
  named.feature_definitions["display_names"] = {"Heart rate, highest over 6 h",
                                                "Respiratory rate, latest", "VIGIL/AGE"};
  auto worded = registry.Save("deterioration", *xgboost_, named);
  ASSERT_TRUE(worded.ok());
  card = base::ReadFile(worded->dir / "MODEL_CARD.md");
  ASSERT_TRUE(card.ok());
  EXPECT_NE(card->find("- Heart rate, highest over 6 h (`LOINC/8867-4.max.6h`)\n"),
            std::string::npos)
      << *card;
  EXPECT_NE(card->find("- `VIGIL/AGE`\n"), std::string::npos) << *card;  // no words to add
  // No leftovers from the temporary folders.
  for (const auto& e : fs::directory_iterator(tmp_.path() / "deterioration")) {
    const std::string folder = e.path().filename().string();
    EXPECT_TRUE(folder == "1" || folder == "2") << folder;
  }
}

TEST_F(RegistryTest, UpdateMetricsRewritesCardAndKeepsTheFolderValid) {
  Registry registry(tmp_.path());
  ASSERT_TRUE(registry.Save("m", *logistic_, Metadata()).ok());
  nlohmann::ordered_json metrics = {{"auroc", {{"value", 0.87}, {"ci_low", 0.85}}}};
  ASSERT_TRUE(registry.UpdateMetrics("m", metrics).ok());
  auto loaded = registry.Load("m");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->metadata.metrics, metrics);
  auto card = base::ReadFile(loaded->dir / "MODEL_CARD.md");
  EXPECT_NE(card->find("| auroc.value | 0.87 |"), std::string::npos);
}

TEST_F(RegistryTest, AlteredOrMissingFilesAreDetected) {
  Registry registry(tmp_.path());
  auto saved = registry.Save("m", *xgboost_, Metadata());
  ASSERT_TRUE(saved.ok());
  {
    std::ofstream out(saved->dir / "calibration.json", std::ios::app);
    out << " ";
  }
  EXPECT_EQ(registry.Load("m").status().code(), base::StatusCode::kDataLoss);
  auto second = registry.Save("m", *xgboost_, Metadata());
  fs::remove(second->dir / "model.json");
  EXPECT_EQ(registry.Load("m@2").status().code(), base::StatusCode::kDataLoss);
  EXPECT_EQ(ReadModelFolder(tmp_.path() / "absent").status().code(), base::StatusCode::kNotFound);
  EXPECT_EQ(WriteModelFolder(saved->dir, "m", 1, *xgboost_, Metadata()).code(),
            base::StatusCode::kAlreadyExists);
}

// A file edited by hand (its manifest digest updated too) is still checked, and the error names
// the file in plain words: a threshold outside [0, 1], a card.json value of the wrong type.
TEST_F(RegistryTest, HandEditedFilesAreCheckedAndNamed) {
  Registry registry(tmp_.path());
  auto saved = registry.Save("m", *xgboost_, Metadata());
  ASSERT_TRUE(saved.ok());
  const auto edit = [&](const std::string& file, const std::string& key,
                        const nlohmann::ordered_json& value) {
    auto j = nlohmann::ordered_json::parse(*base::ReadFile(saved->dir / file));
    j[key] = value;
    ASSERT_TRUE(base::WriteFileAtomically(saved->dir / file, j.dump(2)).ok());
    auto manifest = nlohmann::ordered_json::parse(*base::ReadFile(saved->dir / "manifest.json"));
    manifest["files"][file] = base::Sha256Hex(j.dump(2));
    ASSERT_TRUE(base::WriteFileAtomically(saved->dir / "manifest.json", manifest.dump(2)).ok());
  };
  edit("threshold.json", "threshold", -5);
  auto loaded = registry.Load("m");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(),
            "threshold.json: the threshold must be a number from 0 to 1");
  edit("threshold.json", "threshold", 0.5);
  ASSERT_TRUE(registry.Load("m").ok());
  edit("card.json", "intended_use", 42);
  loaded = registry.Load("m");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find(": card.json: type must be string"), std::string::npos)
      << loaded.status().message();
  EXPECT_EQ(loaded.status().message().find("[json.exception"), std::string::npos);
}

TEST_F(RegistryTest, ParseModelSpec) {
  auto a = ParseModelSpec("sepsis-6h_v2.1@12");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->name, "sepsis-6h_v2.1");
  EXPECT_EQ(a->version, 12);
  EXPECT_FALSE(ParseModelSpec("x").value().version.has_value());
  for (const char* bad : {"", "@1", ".hidden", "-x", "a b", "a@", "a@x", "a@-1", "a@01"}) {
    EXPECT_FALSE(ParseModelSpec(bad).ok()) << bad;
  }
}

TEST_F(RegistryTest, FingerprintIsStableAndSensitive) {
  auto m = data_->matrix;
  const DataFingerprint a = Fingerprint(m);
  EXPECT_EQ(a.sha256.size(), 64u);
  EXPECT_EQ(Fingerprint(m).sha256, a.sha256);
  EXPECT_EQ(a.rows, m.num_rows());
  EXPECT_EQ(a.subjects, 300u);
  EXPECT_EQ(a.first_time, "2000-01-01T00:00:00Z");
  EXPECT_EQ(a.last_time, "2000-01-01T02:00:00Z");
  size_t positives = 0;
  for (float y : m.labels) positives += y > 0.5f;
  EXPECT_EQ(a.positives, positives);
  m.labels[7] = 1 - m.labels[7];
  EXPECT_NE(Fingerprint(m).sha256, a.sha256);
  m = data_->matrix;
  m.values[5] = std::nextafter(m.values[5], 10.0f);
  EXPECT_NE(Fingerprint(m).sha256, a.sha256);
  auto back = DataFingerprint::FromJson(nlohmann::json::parse(a.ToJson().dump()));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->ToJson(), a.ToJson());
}

// XGBoost's own Python package reads the registry's model.json and predicts the same margins.
TEST_F(RegistryTest, ModelJsonLoadsInPythonXgboost) {
  const char* python = "/usr/bin/python3";
  if (std::system("/usr/bin/python3 -c 'import xgboost, numpy' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << python << " with xgboost and numpy is not installed";
  }
  Registry registry(tmp_.path());
  auto saved = registry.Save("py", *xgboost_, Metadata());
  ASSERT_TRUE(saved.ok());
  const auto& m = data_->matrix;
  std::ostringstream csv;
  for (size_t r = 0; r < m.num_rows(); ++r) {
    for (size_t j = 0; j < m.num_cols(); ++j) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.9g", m.at(r, j));
      csv << (j ? "," : "") << buf;
    }
    csv << "\n";
  }
  const fs::path data = tmp_.Write("x.csv", csv.str());
  const fs::path script = tmp_.Write("predict.py", R"(import sys
import numpy as np
import xgboost as xgb
booster = xgb.Booster()
booster.load_model(sys.argv[1])
x = np.genfromtxt(sys.argv[2], delimiter=",", ndmin=2)
d = xgb.DMatrix(x, feature_names=booster.feature_names, missing=np.nan)
margins = booster.predict(d, output_margin=True)
with open(sys.argv[3], "w") as out:
    out.write("|".join(booster.feature_names) + "\n")
    out.write("\n".join("%.9g" % v for v in margins) + "\n")
)");
  const fs::path result = tmp_.path() / "margins.txt";
  const std::string command = std::string(python) + " " + script.string() + " " +
                              (saved->dir / "model.json").string() + " " + data.string() + " " +
                              result.string();
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream in(result);
  std::string names;
  std::getline(in, names);
  EXPECT_EQ(names, "LOINC/8867-4.max.6h|LOINC/9279-1.last|VIGIL/AGE");
  auto expected = xgboost_->PredictMargin(m);
  ASSERT_TRUE(expected.ok());
  for (size_t r = 0; r < m.num_rows(); ++r) {
    double v = 0;
    ASSERT_TRUE(in >> v) << "row " << r;
    EXPECT_NEAR(v, (*expected)[r], 1e-5) << "row " << r;
  }
}

// Runs `command`, returns its exit status and standard output.
std::pair<int, std::string> RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return {-1, out};
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST_F(RegistryTest, ModelsCommandListsAndShows) {
  const fs::path vigil = VIGIL_CLI_PATH;
  if (!fs::exists(vigil)) GTEST_SKIP() << "the vigil binary is not built";
  Registry registry(tmp_.path() / "reg");
  ASSERT_TRUE(registry.Save("sepsis", *xgboost_, Metadata()).ok());
  ASSERT_TRUE(registry.Save("sepsis", *logistic_, Metadata()).ok());
  const std::string base = vigil.string() + " models ";
  const std::string reg = " --registry " + (tmp_.path() / "reg").string();

  auto [rc, out] = RunCommand(base + "list" + reg + " --json");
  ASSERT_EQ(rc, 0);
  auto list = nlohmann::json::parse(out);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1]["version"], 2);
  EXPECT_EQ(list[1]["kind"], "logistic");

  std::tie(rc, out) = RunCommand(base + "show sepsis@1" + reg + " --json");
  ASSERT_EQ(rc, 0);
  auto shown = nlohmann::json::parse(out);
  EXPECT_EQ(shown["manifest"]["kind"], "xgboost");
  EXPECT_EQ(shown["features"].size(), 3u);

  std::tie(rc, out) = RunCommand(base + "show sepsis" + reg);
  ASSERT_EQ(rc, 0);
  EXPECT_NE(out.find("sepsis@2"), std::string::npos);
  EXPECT_NE(out.find("logistic"), std::string::npos);
  const auto& fp = Metadata().fingerprint;  // counts with thousands separators
  EXPECT_NE(out.find(fmt::format("  training data    {} rows, {} patients, ",
                                 base::WithThousands(static_cast<int64_t>(fp.rows)),
                                 base::WithThousands(static_cast<int64_t>(fp.subjects)))),
            std::string::npos)
      << out;

  std::tie(rc, out) =
      RunCommand(base + "show " + (tmp_.path() / "reg" / "sepsis" / "1").string() + " --card");
  ASSERT_EQ(rc, 0);
  EXPECT_EQ(out.rfind("# Model card: sepsis (version 1)", 0), 0u);

  // A blend names its weight and its logistic part's penalty, and how many rounds the trees have.
  ASSERT_TRUE(registry.Save("sepsis", *blend_, Metadata()).ok());
  std::tie(rc, out) = RunCommand(base + "show sepsis@3" + reg);
  ASSERT_EQ(rc, 0);
  const auto& report = blend_->training_report();
  EXPECT_NE(out.find(fmt::format("  blend            {:.2g} x XGBoost + {:.2g} x logistic "
                                 "regression (L2 {}), on the log-odds scale",
                                 blend_->xgboost_weight(), 1 - blend_->xgboost_weight(),
                                 report["logistic"]["hyperparameters"]["l2"].dump())),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(fmt::format("; {} rounds\n", report["final_rounds"].get<int>())),
            std::string::npos)
      << out;

  EXPECT_EQ(RunCommand(base + "show sepsis@9" + reg).first, 1);
  EXPECT_EQ(RunCommand(base + "show 'bad name'" + reg).first, 2);
  EXPECT_EQ(RunCommand(base + "show" + reg).first, 2);
}

}  // namespace
}  // namespace vigil::model
