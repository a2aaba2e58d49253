#include "vigil/features/extract.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>

#include "vigil/base/file.h"
#include "vigil/features/export.h"
#include "vigil/features/layout.h"
#include "vigil/features/subject_features.h"
#include "vigil/task/builtin.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::features {
namespace {

using base::Hours;
using base::Minutes;

const base::Instant kT0 = base::MakeInstant(2000, 1, 1);

constexpr std::string_view kTask = R"(name: t
cohort:
  kinds: [icu]
prediction:
  at: every
  every: 1h
label:
  codes: [VIGIL/SEPSIS_ONSET]
  horizon: 6h
  prior_outcome: positive
features:
  lookback: stay
  variables:
    - codes: [LOINC/8867-4]
      stats: [last, first, min, max, mean, count, slope, time_since_last, missing]
      windows: [2h]
      window_stats: [count, mean, max]
  demographics: [age, sex]
  scores: [qSOFA]
)";

void AddStay(store::Batch& b, const std::string& id, const std::string& kind, int hours) {
  store::Stay y;
  y.stay_id = id + "-" + kind;
  y.subject_id = id;
  y.kind = kind;
  y.start = kT0;
  y.end = kT0 + Hours(hours);
  y.age_years = 50;
  y.source = "test";
  b.stays.push_back(y);
}

void Add(store::Batch& b, const std::string& id, base::Duration at, const std::string& code,
         std::optional<double> v) {
  store::Event e;
  e.subject_id = id;
  e.time = kT0 + at;
  e.code = code;
  e.numeric_value = v;
  e.stay_id = id + "-icu";
  b.events.Add(e);
}

class ExtractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::Batch b;
    b.subjects.push_back({"b", "test", "male", std::nullopt, std::nullopt, std::nullopt});
    b.subjects.push_back({"a", "test", "female", std::nullopt, std::nullopt, std::nullopt});
    AddStay(b, "b", "icu", 1);
    AddStay(b, "b", "inpatient", 5);  // not in the cohort
    AddStay(b, "a", "icu", 3);
    b.stays.back().unit = "MICU";
    Add(b, "a", Hours(0), "LOINC/8867-4", 60);
    Add(b, "a", Hours(1), "LOINC/8867-4", 70);  // exactly at the first prediction time
    Add(b, "a", Minutes(150), "LOINC/8867-4", 100);
    Add(b, "a", Hours(1), "LOINC/9279-1", 25);  // qSOFA: respiratory rate >= 22
    Add(b, "a", Hours(1), "LOINC/8480-6", 90);  // qSOFA: systolic <= 100
    Add(b, "a", Hours(8), "VIGIL/SEPSIS_ONSET", std::nullopt);
    Add(b, "a", Hours(-48), "SNOMED/13645005", std::nullopt);  // recorded before the stay
    auto s = store::Store::Open(dir_.path() / "s.duckdb", store::Store::Mode::kReadWrite);
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    auto run = store_->StartRun("test", "", 1);
    ASSERT_TRUE(run.ok());
    ASSERT_TRUE(store_->WriteBatch(*run, b).ok());
    auto spec = task::ParseTaskSpec(kTask, "t.yaml");
    ASSERT_TRUE(spec.ok()) << spec.status().ToString();
    spec_ = *spec;
  }

  float At(const FeatureMatrix& m, size_t row, const std::string& name) {
    auto it = std::find(m.names.begin(), m.names.end(), name);
    EXPECT_NE(it, m.names.end()) << name;
    return it == m.names.end() ? kMissing : m.at(row, static_cast<size_t>(it - m.names.begin()));
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  task::TaskSpec spec_;
};

TEST_F(ExtractTest, ComputesPointInTimeFeaturesAndLabels) {
  ExtractOptions options;
  options.threads = 2;
  auto x = ExtractFeatures(*store_, spec_, options);
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  const FeatureMatrix& m = x->matrix;
  ASSERT_EQ(m.num_rows(), 4u);
  EXPECT_EQ(m.values.size(), m.num_rows() * m.num_cols());
  // Sorted by subject_id, then time, although b was stored first.
  EXPECT_EQ(m.rows[0].subject_id, "a");
  EXPECT_EQ(m.rows[0].stay_id, "a-icu");
  EXPECT_EQ(m.rows[0].time, kT0 + Hours(1));
  EXPECT_EQ(m.rows[2].time, kT0 + Hours(3));
  EXPECT_EQ(m.rows[3].subject_id, "b");
  EXPECT_EQ(m.labels, (std::vector<float>{0, 1, 1, 0}));  // onset 8h <= t + 6h from t = 2h

  EXPECT_EQ(At(m, 0, "LOINC/8867-4.last"), 70);  // the event at t is visible
  EXPECT_EQ(At(m, 0, "LOINC/8867-4.first"), 60);
  EXPECT_EQ(At(m, 0, "LOINC/8867-4.mean"), 65);
  EXPECT_EQ(At(m, 0, "LOINC/8867-4.count"), 2);
  EXPECT_FLOAT_EQ(At(m, 0, "LOINC/8867-4.slope"), 10);  // per hour
  EXPECT_EQ(At(m, 0, "LOINC/8867-4.time_since_last"), 0);
  EXPECT_EQ(At(m, 0, "LOINC/8867-4.count.2h"), 2);  // (-1h, 1h]

  EXPECT_EQ(At(m, 1, "LOINC/8867-4.last"), 70);  // 2.5h is not yet visible at 2h
  EXPECT_EQ(At(m, 1, "LOINC/8867-4.time_since_last"), 1);
  EXPECT_EQ(At(m, 1, "LOINC/8867-4.count.2h"), 1);  // (0h, 2h]: the event at 0h is out
  EXPECT_EQ(At(m, 1, "LOINC/8867-4.max.2h"), 70);

  EXPECT_EQ(At(m, 2, "LOINC/8867-4.max"), 100);
  EXPECT_EQ(At(m, 2, "LOINC/8867-4.min"), 60);
  EXPECT_FLOAT_EQ(At(m, 2, "LOINC/8867-4.mean"), 230.0f / 3);
  EXPECT_NEAR(At(m, 2, "LOINC/8867-4.slope"), 16.3158, 1e-3);
  EXPECT_EQ(At(m, 2, "LOINC/8867-4.count.2h"), 1);  // (1h, 3h]: the event at exactly 1h is out
  EXPECT_EQ(At(m, 2, "LOINC/8867-4.mean.2h"), 100);
  EXPECT_EQ(At(m, 2, "LOINC/8867-4.missing"), 0);
  EXPECT_EQ(At(m, 2, "stay.hours_since_start"), 3);
  EXPECT_EQ(At(m, 2, "demographics.age_years"), 50);
  EXPECT_EQ(At(m, 2, "demographics.female"), 1);
  EXPECT_EQ(At(m, 0, "score.qSOFA"), 2);
  EXPECT_EQ(At(m, 0, "score.qSOFA.missing"), 1);  // no GCS or ACVPU

  // b: no heart rate at all.
  EXPECT_EQ(At(m, 3, "LOINC/8867-4.missing"), 1);
  EXPECT_EQ(At(m, 3, "LOINC/8867-4.count"), 0);
  EXPECT_TRUE(std::isnan(At(m, 3, "LOINC/8867-4.last")));
  EXPECT_TRUE(std::isnan(At(m, 3, "LOINC/8867-4.time_since_last")));
  EXPECT_TRUE(std::isnan(At(m, 3, "score.qSOFA")));
  EXPECT_EQ(At(m, 3, "demographics.female"), 0);

  EXPECT_TRUE(x->absent_codes.empty());
  EXPECT_EQ(x->cohort.stays_seen, 3);
  EXPECT_EQ(x->cohort.stays_included, 2);
  EXPECT_EQ(x->cohort.stays_excluded["stay kind not in the cohort"], 1);
  EXPECT_EQ(x->cohort.rows, 4);
  EXPECT_EQ(x->cohort.positive_rows, 2);

  // The same matrix with one thread, and with one block per subject.
  options.threads = 1;
  options.max_block_events = 1;
  auto y = ExtractFeatures(*store_, spec_, options);
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(y->matrix.names, m.names);
  EXPECT_EQ(y->matrix.labels, m.labels);
  ASSERT_EQ(y->matrix.values.size(), m.values.size());
  EXPECT_EQ(std::memcmp(y->matrix.values.data(), m.values.data(), m.values.size() * 4), 0);
}

TEST_F(ExtractTest, GroupLookBacksAndCareUnits) {
  constexpr std::string_view kGroups = R"(name: t
cohort:
  kinds: [icu]
prediction:
  at: every
  every: 1h
label:
  codes: [VIGIL/SEPSIS_ONSET]
  horizon: 6h
features:
  lookback: stay
  variables:
    - codes: [LOINC/8867-4]
      stats: [count]
    - codes: [LOINC/9279-1]
      stats: [count]
      lookback: 90min
    - codes: [SNOMED/13645005]
      stats: [count, missing]
      lookback: all
    - codes: [LOINC/8480-6]
      stats: [count]
      lookback: stay
  units: [CCU, MICU]
)";
  auto spec = task::ParseTaskSpec(kGroups, "t.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  auto x = ExtractFeatures(*store_, *spec);
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  const FeatureMatrix& m = x->matrix;
  ASSERT_EQ(m.num_rows(), 4u);
  // The condition recorded 48 h before the stay: seen with `all` from the first row on.
  EXPECT_EQ(At(m, 0, "SNOMED/13645005.count"), 1);
  EXPECT_EQ(At(m, 0, "SNOMED/13645005.missing"), 0);
  EXPECT_EQ(At(m, 3, "SNOMED/13645005.missing"), 1);  // b has none
  // Respiratory rate at 1 h: inside (t - 90 min, t] at 1 h and 2 h, out at 3 h.
  EXPECT_EQ(At(m, 0, "LOINC/9279-1.count"), 1);
  EXPECT_EQ(At(m, 1, "LOINC/9279-1.count"), 1);
  EXPECT_EQ(At(m, 2, "LOINC/9279-1.count"), 0);
  EXPECT_EQ(At(m, 2, "LOINC/8480-6.count"), 1);  // the stay's look-back keeps it
  EXPECT_EQ(At(m, 2, "LOINC/8867-4.count"), 3);  // the task's look-back (the stay)
  // Care unit indicators: a's stay is in the MICU, b's unit is unknown.
  EXPECT_EQ(At(m, 0, "stay.unit.MICU"), 1);
  EXPECT_EQ(At(m, 0, "stay.unit.CCU"), 0);
  EXPECT_TRUE(std::isnan(At(m, 3, "stay.unit.MICU")));

  // A group's look-back must be a positive duration, stay or all, with the line of the error.
  auto with = [&](std::string_view from, std::string_view to) {
    std::string text(kGroups);
    text.replace(text.find(from), from.size(), to);
    return task::ParseTaskSpec(text, "t.yaml");
  };
  EXPECT_FALSE(with("lookback: 90min", "lookback: 0h").ok());
  auto worse = with("lookback: all", "lookback: soon");
  ASSERT_FALSE(worse.ok());
  EXPECT_THAT(worse.status().message(), ::testing::HasSubstr("t.yaml:"));
}

TEST_F(ExtractTest, ExportsCsvWithKeyColumnsFirst) {
  auto x = ExtractFeatures(*store_, spec_);
  ASSERT_TRUE(x.ok());
  const auto csv = dir_.path() / "f.csv";
  ASSERT_TRUE(WriteFeatureFile(x->matrix, csv).ok());
  auto text = base::ReadFile(csv);
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, ::testing::StartsWith("subject_id,stay_id,time,label,LOINC/8867-4.last,"
                                           "LOINC/8867-4.first,"));
  EXPECT_THAT(*text, ::testing::HasSubstr("\na,a-icu,2000-01-01T01:00:00Z,0,70,60,"));
  EXPECT_EQ(std::count(text->begin(), text->end(), '\n'), 5);
  EXPECT_FALSE(WriteFeatureFile(x->matrix, dir_.path() / "f.txt").ok());
  // No rows (no stay fits the cohort): the header alone, in CSV and Parquet.
  FeatureMatrix empty;
  empty.names = x->matrix.names;
  ASSERT_TRUE(WriteFeatureFile(empty, dir_.path() / "empty.csv").ok());
  auto header = base::ReadFile(dir_.path() / "empty.csv");
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(*header, text->substr(0, text->find('\n') + 1));
  EXPECT_TRUE(WriteFeatureFile(empty, dir_.path() / "empty.parquet").ok());
}

// docs/features.md lists each built-in task's column count; keep the two in step.
TEST(LayoutTest, BuiltinTaskColumnCountsMatchTheDocs) {
  const std::map<std::string, size_t> documented = {{"physionet2019-sepsis", 152},
                                                    {"physionet2012-mortality", 221},
                                                    {"deterioration-24h", 126},
                                                    {"readmission-30d", 56}};
  for (const auto& [name, columns] : documented) {
    auto spec = task::LoadTask(name);
    ASSERT_TRUE(spec.ok()) << name;
    const task::TaskPlan plan = task::TaskPlan::Create(*spec, {});
    auto layout = FeatureLayout::Create(*spec, {}, plan);
    ASSERT_TRUE(layout.ok()) << name;
    EXPECT_EQ(layout->num_columns(), columns) << name;
    EXPECT_FALSE(layout->absent_codes().empty()) << "an empty store has none of the codes";
  }
}

TEST(WriteStatsTest, SlopeNeedsTwoTimesAndSkipsTextEvents) {
  const int64_t h = 3'600'000'000;
  const int64_t time[] = {0, h, h, 2 * h};
  const double value[] = {1, std::nan(""), 3, 5};
  const task::Stat stats[] = {task::Stat::kSlope, task::Stat::kCount, task::Stat::kLast,
                              task::Stat::kMean};
  float out[4];
  WriteStats(time, value, 0, 4, 2 * h, stats, out);
  EXPECT_FLOAT_EQ(out[0], 2);  // 1, 3, 5 at 0h, 1h, 2h
  EXPECT_EQ(out[1], 4);        // the text event counts as a measurement
  EXPECT_EQ(out[2], 5);
  EXPECT_EQ(out[3], 3);
  WriteStats(time, value, 1, 3, 2 * h, stats, out);  // one numeric value at one time
  EXPECT_TRUE(std::isnan(out[0]));
  EXPECT_EQ(out[2], 3);
}

TEST(WriteStatsTest, SumAddsNumericValuesAndIsMissingWithoutThem) {
  const int64_t time[] = {0, 1, 2};
  const double value[] = {100, std::nan(""), 250};
  const task::Stat stats[] = {task::Stat::kSum};
  float out[1];
  WriteStats(time, value, 0, 3, 2, stats, out);
  EXPECT_EQ(out[0], 350);
  WriteStats(time, value, 1, 2, 2, stats, out);  // only a text event
  EXPECT_TRUE(std::isnan(out[0]));
  WriteStats(nullptr, nullptr, 0, 0, 0, stats, out);  // unmeasured
  EXPECT_TRUE(std::isnan(out[0]));
  EXPECT_EQ(task::StatName(task::Stat::kSum), "sum");
  EXPECT_EQ(task::StatFromName("sum"), task::Stat::kSum);
}

}  // namespace
}  // namespace vigil::features
