#include "vigil/task/plan.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vigil::task {
namespace {

using base::Hours;

const base::Instant kT0 = base::MakeInstant(2000, 1, 1);
constexpr int32_t kHr = 1, kOutcomeCode = 2, kDeath = 3;

int64_t At(int hours) { return base::ToMicros(kT0 + Hours(hours)); }

const std::vector<store::CodeEntry> kCodes = {{kHr, "LOINC/8867-4", "/min"},
                                              {kOutcomeCode, "VIGIL/ICU_ADMISSION", ""},
                                              {kDeath, "VIGIL/DEATH", ""}};

// A subject's events and stays, held for SubjectData's spans.
struct Fixture {
  store::Subject subject{"s1", "test", "female", std::nullopt, std::nullopt, std::nullopt};
  std::vector<store::StayEntry> stays;
  std::vector<int64_t> time;
  std::vector<int32_t> code, stay;

  void AddStay(int32_t key, const std::string& kind, int start_h, std::optional<int> end_h,
               double age = 60) {
    store::StayEntry e;
    e.stay_key = key;
    e.subject_key = 1;
    e.stay.stay_id = "stay" + std::to_string(key);
    e.stay.subject_id = "s1";
    e.stay.kind = kind;
    e.stay.start = kT0 + Hours(start_h);
    if (end_h) e.stay.end = kT0 + Hours(*end_h);
    e.stay.age_years = age;
    e.stay.source = "test";
    stays.push_back(e);
  }
  void Add(int hours, int32_t c, int32_t stay_key = 1) {
    time.push_back(At(hours));
    code.push_back(c);
    stay.push_back(stay_key);
  }
  std::vector<PredictionRow> Rows(const TaskSpec& spec, CohortReport* report = nullptr) {
    TaskPlan plan = TaskPlan::Create(spec, kCodes);
    SubjectData d{&subject, stays, time, code, stay};
    std::vector<PredictionRow> rows;
    CohortReport local;
    plan.SubjectRows(d, rows, report ? *report : local);
    return rows;
  }
};

TaskSpec Spec(PredictionMode mode, std::optional<base::Duration> horizon, PriorOutcome prior) {
  TaskSpec s;
  s.name = "t";
  s.prediction.mode = mode;
  s.prediction.offset = Hours(1);
  s.prediction.every = Hours(1);
  s.prediction.codes = {"LOINC/8867-4"};
  s.label.codes = {"VIGIL/ICU_ADMISSION"};
  s.label.horizon = horizon;
  s.label.prior_outcome = prior;
  return s;
}

TEST(PlanTest, HourlyRowsWithAlreadyBegunOutcome) {
  // The 2019 rule: label(t) = onset <= t + 6h, with rows at 1h..5h.
  Fixture f;
  f.AddStay(1, "icu", 0, 5);
  f.Add(8, kOutcomeCode);  // onset at 8h: rows at 2h..5h are positive, 1h is not (8 > 1 + 6)
  auto rows = f.Rows(Spec(PredictionMode::kEvery, Hours(6), PriorOutcome::kPositive));
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].time, At(1));
  EXPECT_EQ(rows[4].time, At(5));
  EXPECT_EQ(rows[0].label, 0);
  EXPECT_EQ(rows[1].label, 1);  // 8 <= 2 + 6: an outcome exactly at the window's end counts

  Fixture g;
  g.AddStay(1, "icu", 0, 5);
  g.Add(3, kOutcomeCode);  // already begun at 3h
  auto already = g.Rows(Spec(PredictionMode::kEvery, Hours(1), PriorOutcome::kPositive));
  EXPECT_EQ(already[0].label, 0);  // 1h: onset 3h is beyond 1h + 1h
  EXPECT_EQ(already[1].label, 1);  // 2h: within (2h, 3h]
  EXPECT_EQ(already[2].label, 1);  // 3h: at the prediction time, prior: positive
  EXPECT_EQ(already[4].label, 1);  // 5h: prior
}

TEST(PlanTest, OutcomeAtThePredictionTimeIsPrior) {
  Fixture f;
  f.AddStay(1, "inpatient", 0, 10);
  for (int h : {1, 4, 6, 9}) f.Add(h, kHr);
  f.Add(6, kOutcomeCode);  // at the same time as the third set of vital signs
  CohortReport report;
  auto rows = f.Rows(Spec(PredictionMode::kVitalSigns, Hours(2), PriorOutcome::kExclude), &report);
  ASSERT_EQ(rows.size(), 2u);   // rows at 6h and 9h are dropped: the outcome is at or before them
  EXPECT_EQ(rows[0].label, 0);  // 1h: (1h, 3h] holds nothing
  EXPECT_EQ(rows[1].label, 1);  // 4h: (4h, 6h] holds the outcome
  EXPECT_EQ(report.rows_dropped_prior_outcome, 2);

  auto ignored = f.Rows(Spec(PredictionMode::kVitalSigns, Hours(2), PriorOutcome::kIgnore));
  ASSERT_EQ(ignored.size(), 4u);
  EXPECT_EQ(ignored[2].label, 0);  // 6h: the outcome at 6h is not in (6h, 8h]
}

TEST(PlanTest, LabelUntilStayEndAndOutcomesBeforeTheStay) {
  Fixture f;
  f.AddStay(1, "icu", 10, 100);
  f.Add(2, kOutcomeCode);    // before the stay: never counts
  f.Add(100, kOutcomeCode);  // exactly at the end: counts
  TaskSpec spec = Spec(PredictionMode::kOffset, std::nullopt, PriorOutcome::kExclude);
  spec.prediction.offset = Hours(48);
  auto rows = f.Rows(spec);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].time, At(58));
  EXPECT_EQ(rows[0].label, 1);

  Fixture after;
  after.AddStay(1, "icu", 10, 100);
  after.Add(101, kOutcomeCode);  // after discharge: not in hospital
  EXPECT_EQ(after.Rows(spec)[0].label, 0);

  // An unknown end: no outcome after t at all is a 0; a later outcome may have come after the end.
  Fixture open;
  open.AddStay(1, "icu", 10, std::nullopt);
  EXPECT_EQ(open.Rows(spec)[0].label, 0);
  open.Add(200, kOutcomeCode);
  auto unknown = open.Rows(spec);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_TRUE(std::isnan(unknown[0].label));
}

TEST(PlanTest, CohortRules) {
  TaskSpec spec = Spec(PredictionMode::kDischarge, Hours(24 * 30), PriorOutcome::kIgnore);
  spec.label.codes.clear();
  spec.label.stay_kinds = {"inpatient"};
  spec.cohort.kinds = {"inpatient"};
  spec.cohort.min_age = 18;
  spec.cohort.min_length = Hours(2);
  spec.cohort.exclude_codes = {"VIGIL/DEATH"};
  Fixture f;
  f.AddStay(1, "inpatient", 0, 24);
  f.AddStay(2, "icu", 30, 40);                      // wrong kind, and not a readmission
  f.AddStay(3, "inpatient", 24 * 20, 24 * 20 + 1);  // too short; but a readmission for stay 1
  f.AddStay(4, "inpatient", 24 * 60, 24 * 61, 12);  // too young
  f.AddStay(5, "inpatient", 24 * 100, 24 * 101);
  f.AddStay(6, "inpatient", 24 * 200, 24 * 201);
  f.Add(24 * 201, kDeath, 6);  // died at discharge
  CohortReport report;
  auto rows = f.Rows(spec, &report);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].stay, 0u);
  EXPECT_EQ(rows[0].label, 1);  // stay 3 starts 19 days after stay 1 ends
  EXPECT_EQ(rows[1].stay, 4u);
  EXPECT_EQ(rows[1].label, 0);  // stay 6 starts 99 days later
  EXPECT_EQ(report.stays_seen, 6);
  EXPECT_EQ(report.stays_included, 2);
  EXPECT_EQ(report.stays_excluded["stay kind not in the cohort"], 1);
  EXPECT_EQ(report.stays_excluded["shorter than min_length"], 1);
  EXPECT_EQ(report.stays_excluded["age outside the cohort's range"], 1);
  EXPECT_EQ(report.stays_excluded["excluded code at or before the first prediction time"], 1);
}

TEST(PlanTest, ExcludePriorOutcomeAndEveryWithoutEnd) {
  TaskSpec spec = Spec(PredictionMode::kVitalSigns, Hours(24), PriorOutcome::kExclude);
  spec.cohort.exclude_prior_outcome = true;
  Fixture f;
  f.AddStay(1, "inpatient", 0, 10);
  f.Add(0, kOutcomeCode);
  f.Add(2, kHr);
  CohortReport report;
  EXPECT_TRUE(f.Rows(spec, &report).empty());
  EXPECT_EQ(report.stays_excluded["outcome at or before the first prediction time"], 1);

  Fixture open;
  open.AddStay(1, "icu", 0, std::nullopt);
  open.Add(3, kHr);
  open.Add(7, kHr, 2);  // another stay's event does not extend this stay
  auto rows = open.Rows(Spec(PredictionMode::kEvery, Hours(6), PriorOutcome::kPositive));
  ASSERT_EQ(rows.size(), 3u);  // 1h, 2h, 3h: up to the stay's last event
}

TEST(PlanTest, AgeFromBirthDate) {
  store::Subject s{"s", "t", std::nullopt, 0, std::nullopt, std::nullopt};  // born 1970-01-01
  store::Stay stay;
  stay.start = kT0;
  auto age = AgeAt(&s, stay, kT0);
  ASSERT_TRUE(age.has_value());
  EXPECT_NEAR(*age, 30.0, 0.01);
  EXPECT_FALSE(AgeAt(nullptr, stay, kT0).has_value());
}

}  // namespace
}  // namespace vigil::task
