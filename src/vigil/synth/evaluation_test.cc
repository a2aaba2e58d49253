#include "vigil/synth/evaluation.h"

#include <gtest/gtest.h>

#include "vigil/synth/generator.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::synth {
namespace {

double Rate(int64_t a, int64_t b) { return b > 0 ? static_cast<double>(a) / b : -1; }

void ExpectReadsBackWhatWasGenerated(const Evaluation& e, const Tally& t) {
  EXPECT_EQ(e.unreadable_lines, 0);
  EXPECT_EQ(e.patients, t.patients);
  EXPECT_EQ(e.admissions, t.admissions);
  EXPECT_EQ(e.emergency_admissions, t.emergency_admissions);
  EXPECT_EQ(e.deaths, t.deaths);
  EXPECT_EQ(e.rows, e.ward_sets);
  EXPECT_EQ(e.rows_with_truth, e.rows);
}

void ExpectPlausibleEventRates(const Evaluation& e, const Tally& t) {
  // Loose bounds for a small sample; docs/synth.md records the 5,000-patient figures.
  EXPECT_GT(Rate(e.deaths, e.admissions), 0.005);
  EXPECT_LT(Rate(e.deaths, e.admissions), 0.08);
  EXPECT_GT(Rate(e.icu_admissions, e.admissions), 0.01);
  EXPECT_LT(Rate(e.icu_admissions, e.admissions), 0.12);
  EXPECT_GT(Rate(e.sepsis_emergency, e.emergency_admissions), 0.02);
  EXPECT_LT(Rate(e.sepsis_emergency, e.emergency_admissions), 0.15);
  EXPECT_LT(Rate(e.arrest_admissions, e.admissions), 0.02);
  EXPECT_GT(Rate(e.readmitted_30d, e.discharged_alive), 0.04);
  EXPECT_LT(Rate(e.readmitted_30d, e.discharged_alive), 0.25);
  EXPECT_GT(e.median_stay_days, 1.0);
  EXPECT_LT(e.median_stay_days, 8.0);
  EXPECT_GT(t.charting_errors, 0);
}

void ExpectInformativeMissingness(const Evaluation& e) {
  const double ward_per_day = e.ward_sets / e.ward_days;
  EXPECT_GT(ward_per_day, 2.0);
  EXPECT_LT(ward_per_day, 6.0);
  EXPECT_GT(e.icu_sets / e.icu_days, 20.0);
  // The sicker the last set, the sooner the next.
  EXPECT_GT(e.hours_to_next_set[0], e.hours_to_next_set[1]);
  EXPECT_GT(e.hours_to_next_set[1], e.hours_to_next_set[2]);
  EXPECT_GT(e.hours_to_next_set[0], 6.0);
  EXPECT_GT(e.late_vitals, 0);
}

void ExpectPrediction(const Evaluation& e) {
  EXPECT_GT(e.positives, 20);
  EXPECT_GT(e.auroc_news2.value, 0.6);
  EXPECT_GT(e.auroc_truth.value, e.auroc_news2.value);
  EXPECT_LE(e.auroc_news2.low, e.auroc_news2.value);
  EXPECT_GE(e.auroc_news2.high, e.auroc_news2.value);
  EXPECT_FALSE(FormatEvaluation(e).empty());
}

// One small hospital, generated once (the slow part) and checked from its files.
TEST(EvaluationTest, SmallHospitalHasPlausibleRatesMissingnessAndSignal) {
  testing::TempDir dir;
  SynthOptions o;
  o.out = dir.path();
  o.patients = 600;
  o.cohort.seed = 21;
  o.cohort.start_day = kDefaultStartDay;
  o.cohort.days = 90;
  auto s = Generate(o, {});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EvaluationOptions eo;
  eo.dir = dir.path();
  eo.bootstrap = 20;
  auto e = EvaluateDataSet(eo);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  {
    SCOPED_TRACE("reads back what was generated");
    ExpectReadsBackWhatWasGenerated(*e, s->tally);
  }
  {
    SCOPED_TRACE("event rates");
    ExpectPlausibleEventRates(*e, s->tally);
  }
  {
    SCOPED_TRACE("informative missingness");
    ExpectInformativeMissingness(*e);
  }
  {
    SCOPED_TRACE("prediction");
    ExpectPrediction(*e);
  }
}

TEST(EvaluationErrorsTest, MissingFolderIsAnError) {
  EvaluationOptions o;
  o.dir = "/nonexistent/vigil/synth";
  EXPECT_FALSE(EvaluateDataSet(o).ok());
}

}  // namespace
}  // namespace vigil::synth
