// The leakage guard, for every built-in task, on a random hospital (test_store.h):
// 1. changing, deleting, moving or adding events after a cut time leaves every row at or before the
//    cut, and its features, exactly as they were;
// 2. changing, deleting or adding (non-outcome) events before a cut time leaves the label of every
//    row at or after the cut as it was.
// Each check also verifies that its perturbation did change something, so that it can fail.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <random>
#include <tuple>

#include "vigil/features/extract.h"
#include "vigil/features/test_store.h"
#include "vigil/task/builtin.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::features {
namespace {

using RowId = std::tuple<std::string, std::string, int64_t>;

// Codes that are outcomes of some built-in task: never perturbed before the cut.
bool IsOutcomeCode(const std::string& code) {
  return code.rfind("VIGIL/", 0) == 0 || code == "SNOMED/410429000";
}

std::vector<store::Event> EventsOf(const store::Batch& b) {
  std::vector<store::Event> out;
  for (size_t i = 0; i < b.events.size(); ++i) out.push_back(b.events.Get(i));
  return out;
}

store::Batch WithEvents(const store::Batch& base, const std::vector<store::Event>& events) {
  store::Batch b;
  b.subjects = base.subjects;
  b.stays = base.stays;
  for (const store::Event& e : events) b.events.Add(e);
  return b;
}

std::map<RowId, size_t> Index(const FeatureMatrix& m) {
  std::map<RowId, size_t> out;
  for (size_t r = 0; r < m.num_rows(); ++r) {
    out[{m.rows[r].subject_id, m.rows[r].stay_id, base::ToMicros(m.rows[r].time)}] = r;
  }
  return out;
}

bool SameRow(const FeatureMatrix& a, size_t ra, const FeatureMatrix& b, size_t rb) {
  return std::memcmp(a.row(ra), b.row(rb), a.num_cols() * sizeof(float)) == 0;
}

class LeakageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new vigil::testing::TempDir;
    base_ = new store::Batch(test_store::HospitalBuilder(20240601).Build(60));
    cut_ = new std::map<std::string, int64_t>;
    std::mt19937 rng(7);
    // A cut per subject: one of its event times (so events exactly at the cut are common), half of
    // the time moved up to three days later (past the 48 h prediction of the mortality task).
    std::map<std::string, std::vector<int64_t>> times;
    for (const store::Event& e : EventsOf(*base_)) {
      times[e.subject_id].push_back(base::ToMicros(e.time));
    }
    for (auto& [id, t] : times) {
      const int64_t later = rng() % 2 ? static_cast<int64_t>(rng() % 72) * 3'600'000'000 : 0;
      (*cut_)[id] = t[rng() % t.size()] + later;
    }
    base_store_ = Write(*base_).release();
  }
  static void TearDownTestSuite() {
    delete base_store_;
    delete cut_;
    delete base_;
    delete dir_;
  }

  static std::unique_ptr<store::Store> Write(const store::Batch& batch) {
    static int stores = 0;
    const auto path = dir_->path() / ("s" + std::to_string(stores++) + ".duckdb");
    auto s = store::Store::Open(path, store::Store::Mode::kReadWrite);
    EXPECT_TRUE(s.ok());
    auto run = (*s)->StartRun("test", "", 1);
    EXPECT_TRUE(run.ok());
    EXPECT_TRUE((*s)->WriteBatch(*run, batch).ok());
    return std::move(*s);
  }

  static FeatureMatrix Extract(store::Store& store, const task::TaskSpec& spec) {
    auto x = ExtractFeatures(store, spec);
    EXPECT_TRUE(x.ok()) << x.status().ToString();
    return x.ok() ? std::move(x->matrix) : FeatureMatrix{};
  }

  // Perturbs events after (future = true) or before the subject's cut.
  store::Batch Perturb(bool future, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<store::Event> out;
    const std::vector<std::string> add_codes = {"LOINC/8867-4", "LOINC/9279-1", "LOINC/59408-5",
                                                "LOINC/8480-6", "LOINC/2524-7", "LOINC/3150-0"};
    for (store::Event e : EventsOf(*base_)) {
      const int64_t cut = (*cut_)[e.subject_id];
      const int64_t t = base::ToMicros(e.time);
      const bool target = future ? t > cut : (t < cut && !IsOutcomeCode(e.code));
      if (!target) {
        out.push_back(e);
        continue;
      }
      switch (rng() % 4) {
        case 0:  // delete
          break;
        case 1:  // change the value
          if (e.numeric_value) e.numeric_value = *e.numeric_value * 1.7 + 11;
          if (e.text_value) e.text_value = "U";
          out.push_back(e);
          break;
        case 2: {  // move it, staying on its side of the cut
          const int64_t shift = static_cast<int64_t>(rng() % 7200) * 1'000'000;
          e.time = base::FromMicros(future ? t + shift : std::max<int64_t>(t - shift, 0));
          out.push_back(e);
          break;
        }
        default:
          out.push_back(e);
      }
    }
    // New events on the perturbed side, including outcomes after the cut.
    for (const auto& [id, cut] : *cut_) {
      for (int k = 0; k < 3; ++k) {
        store::Event e;
        e.subject_id = id;
        // The nearest possible event (1 us from the cut), then up to two days away.
        const int64_t offset =
            k == 1 ? 1 : static_cast<int64_t>(1 + rng() % (48 * 60)) * 60'000'000;
        e.time = base::FromMicros(future ? cut + offset : cut - offset);
        if (future && k == 0) {
          e.code = rng() % 2 ? "VIGIL/DEATH" : "VIGIL/ICU_ADMISSION";
        } else {
          e.code = add_codes[rng() % add_codes.size()];
          e.numeric_value = 1 + rng() % 150;
          e.unit = "u";
        }
        out.push_back(e);
      }
    }
    return WithEvents(*base_, out);
  }

  static vigil::testing::TempDir* dir_;
  static store::Batch* base_;
  static std::map<std::string, int64_t>* cut_;
  static store::Store* base_store_;
};

vigil::testing::TempDir* LeakageTest::dir_ = nullptr;
store::Batch* LeakageTest::base_ = nullptr;
std::map<std::string, int64_t>* LeakageTest::cut_ = nullptr;
store::Store* LeakageTest::base_store_ = nullptr;

TEST_F(LeakageTest, FeaturesNeverSeeEventsAfterThePredictionTime) {
  auto future = Write(Perturb(/*future=*/true, 11));
  for (const task::BuiltinTask& builtin : task::BuiltinTasks()) {
    SCOPED_TRACE(std::string(builtin.name));
    auto spec = task::LoadTask(builtin.name);
    ASSERT_TRUE(spec.ok());
    const FeatureMatrix before = Extract(*base_store_, *spec);
    const FeatureMatrix after = Extract(*future, *spec);
    ASSERT_EQ(before.names, after.names);
    const auto index = Index(after);
    int compared = 0, changed_later = 0;
    for (size_t r = 0; r < before.num_rows(); ++r) {
      const auto& key = before.rows[r];
      const int64_t t = base::ToMicros(key.time);
      auto it = index.find({key.subject_id, key.stay_id, t});
      if (t <= (*cut_)[key.subject_id]) {
        ASSERT_NE(it, index.end()) << "a row at or before the cut disappeared";
        EXPECT_TRUE(SameRow(before, r, after, it->second))
            << key.subject_id << " at " << base::FormatIso8601(key.time);
        ++compared;
      } else if (it == index.end() || !SameRow(before, r, after, it->second)) {
        ++changed_later;
      }
    }
    EXPECT_GE(compared, 5) << "too few rows before the cuts for the check to mean anything";
    EXPECT_GT(changed_later, 0) << "the perturbation changed nothing: the check cannot fail";
  }
}

TEST_F(LeakageTest, LabelsDependOnNothingBeforeThePredictionTime) {
  auto past = Write(Perturb(/*future=*/false, 12));
  for (const task::BuiltinTask& builtin : task::BuiltinTasks()) {
    SCOPED_TRACE(std::string(builtin.name));
    auto spec = task::LoadTask(builtin.name);
    ASSERT_TRUE(spec.ok());
    const FeatureMatrix before = Extract(*base_store_, *spec);
    const FeatureMatrix after = Extract(*past, *spec);
    const auto index = Index(after);
    int compared = 0, features_changed = 0;
    for (size_t r = 0; r < before.num_rows(); ++r) {
      const auto& key = before.rows[r];
      const int64_t t = base::ToMicros(key.time);
      if (t < (*cut_)[key.subject_id]) continue;
      auto it = index.find({key.subject_id, key.stay_id, t});
      if (it == index.end()) continue;  // e.g. a deleted set of vital signs moved the cohort
      ++compared;
      const float a = before.labels[r], b = after.labels[it->second];
      EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b)))
          << key.subject_id << " at " << base::FormatIso8601(key.time);
      if (!SameRow(before, r, after, it->second)) ++features_changed;
    }
    EXPECT_GE(compared, 5);
    EXPECT_GT(features_changed, 0) << "the perturbation changed nothing: the check cannot fail";
  }
}

}  // namespace
}  // namespace vigil::features
