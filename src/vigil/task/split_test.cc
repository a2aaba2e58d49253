#include "vigil/task/split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace vigil::task {
namespace {

const base::Instant kT0 = base::MakeInstant(2020, 1, 1);

struct Rows {
  std::vector<std::string> ids;
  std::vector<base::Instant> times;
  std::vector<float> labels;
};

// Many patients with a varying number of rows, in shuffled order; about 1 patient in 5 positive.
Rows RandomRows(uint32_t seed, int patients) {
  std::mt19937 rng(seed);
  Rows r;
  for (int p = 0; p < patients; ++p) {
    const int n = 1 + static_cast<int>(rng() % 20);
    const bool positive = rng() % 5 == 0;
    const int first_day = static_cast<int>(rng() % 365);
    for (int i = 0; i < n; ++i) {
      r.ids.push_back("p" + std::to_string(p));
      r.times.push_back(kT0 + base::Days(first_day + i));
      r.labels.push_back(positive && i == n - 1 ? 1.0f : 0.0f);
    }
  }
  std::vector<size_t> order(r.ids.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  Rows shuffled;
  for (size_t i : order) {
    shuffled.ids.push_back(r.ids[i]);
    shuffled.times.push_back(r.times[i]);
    shuffled.labels.push_back(r.labels[i]);
  }
  return shuffled;
}

// The property: no patient has rows on two sides (dropped rows are on no side).
void ExpectPatientDisjoint(const Rows& r, const Split& split) {
  std::map<std::string, std::set<SplitSide>> sides;
  for (size_t i = 0; i < r.ids.size(); ++i) {
    if (split.row_side[i] != SplitSide::kDropped) sides[r.ids[i]].insert(split.row_side[i]);
  }
  for (const auto& [id, s] : sides) EXPECT_EQ(s.size(), 1u) << id;
}

// test_fold K/N for K = 1..N: every patient is tested exactly once, each run is patient-disjoint,
// and each stratum's parts differ by at most one patient.
TEST(SplitTest, TestFoldsPartitionThePatients) {
  Rows r = RandomRows(7, 503);
  std::map<std::string, int> tested;
  std::vector<int64_t> positives;
  for (int k = 1; k <= 5; ++k) {
    SplitSpec spec;
    spec.validation_fraction = 0.1;
    ASSERT_TRUE(SetTestFold(std::to_string(k) + "/5", spec).ok());
    EXPECT_EQ(spec.folds, 5);
    EXPECT_EQ(spec.test_fold, k);
    auto split = SplitRows(spec, r.ids, r.times, r.labels);
    ASSERT_TRUE(split.ok());
    ExpectPatientDisjoint(r, *split);
    std::set<std::string> test_ids;
    for (size_t i = 0; i < r.ids.size(); ++i) {
      if (split->row_side[i] == SplitSide::kTest) test_ids.insert(r.ids[i]);
    }
    for (const auto& id : test_ids) ++tested[id];
    EXPECT_NEAR(static_cast<double>(split->counts.subjects[static_cast<int>(SplitSide::kTest)]),
                503 / 5.0, 2);
    EXPECT_GT(split->counts.subjects[static_cast<int>(SplitSide::kValidation)], 0);
    positives.push_back(split->counts.positive_rows[static_cast<int>(SplitSide::kTest)]);
  }
  EXPECT_EQ(tested.size(), 503u);
  for (const auto& [id, times] : tested) EXPECT_EQ(times, 1) << id;
  const auto [lo, hi] = std::minmax_element(positives.begin(), positives.end());
  EXPECT_LE(*hi - *lo, 1);  // one positive row per positive patient

  SplitSpec bad;
  EXPECT_FALSE(SetTestFold("6/5", bad).ok());
  EXPECT_FALSE(SetTestFold("0/5", bad).ok());
  EXPECT_FALSE(SetTestFold("1/1", bad).ok());
  EXPECT_FALSE(SetTestFold("2", bad).ok());
  EXPECT_FALSE(SetTestFold("a/b", bad).ok());
  bad.validation_fraction = 0.6;  // half the patients tested, 60 % validating: nothing would train
  EXPECT_FALSE(SetTestFold("1/2", bad).ok());
  EXPECT_TRUE(SetTestFold("1/5", bad).ok());
}

TEST(SplitTest, StratifiedIsPatientDisjointDeterministicAndStratified) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    Rows r = RandomRows(seed, 500);
    SplitSpec spec;
    spec.test_fraction = 0.2;
    spec.validation_fraction = 0.1;
    spec.seed = seed;
    auto split = SplitRows(spec, r.ids, r.times, r.labels);
    ASSERT_TRUE(split.ok());
    ExpectPatientDisjoint(r, *split);
    const auto& n = split->counts.subjects;
    EXPECT_EQ(n[0] + n[1] + n[2], 500);
    EXPECT_NEAR(n[2], 100, 2);  // 20% of each stratum, rounded
    EXPECT_NEAR(n[1], 50, 2);
    // The same seed gives the same split whatever the row order.
    Rows again = r;
    std::reverse(again.ids.begin(), again.ids.end());
    std::reverse(again.times.begin(), again.times.end());
    std::reverse(again.labels.begin(), again.labels.end());
    auto split2 = SplitRows(spec, again.ids, again.times, again.labels);
    ASSERT_TRUE(split2.ok());
    for (size_t i = 0; i < r.ids.size(); ++i) {
      EXPECT_EQ(split->row_side[i], split2->row_side[r.ids.size() - 1 - i]);
    }
  }
}

TEST(SplitTest, StratificationKeepsThePositiveShare) {
  Rows r = RandomRows(7, 2000);
  SplitSpec spec;
  auto split = SplitRows(spec, r.ids, r.times, r.labels);
  ASSERT_TRUE(split.ok());
  std::map<SplitSide, std::set<std::string>> patients, positives;
  for (size_t i = 0; i < r.ids.size(); ++i) {
    patients[split->row_side[i]].insert(r.ids[i]);
    if (r.labels[i] == 1) positives[split->row_side[i]].insert(r.ids[i]);
  }
  const double train = static_cast<double>(positives[SplitSide::kTrain].size()) /
                       static_cast<double>(patients[SplitSide::kTrain].size());
  const double test = static_cast<double>(positives[SplitSide::kTest].size()) /
                      static_cast<double>(patients[SplitSide::kTest].size());
  EXPECT_NEAR(train, test, 0.01);
  SplitSpec other = spec;
  other.seed = 43;
  auto different = SplitRows(other, r.ids, r.times, r.labels);
  ASSERT_TRUE(different.ok());
  EXPECT_NE(split->row_side, different->row_side);
}

TEST(SplitTest, TemporalTrainsBeforeAndTestsAfterTheCutoff) {
  Rows r = RandomRows(3, 400);
  SplitSpec spec;
  spec.method = SplitMethod::kTemporal;
  spec.cutoff = kT0 + base::Days(200);
  spec.validation_fraction = 0.1;
  auto split = SplitRows(spec, r.ids, r.times, r.labels);
  ASSERT_TRUE(split.ok());
  ExpectPatientDisjoint(r, *split);
  std::map<std::string, base::Instant> first;
  for (size_t i = 0; i < r.ids.size(); ++i) {
    auto [it, added] = first.try_emplace(r.ids[i], r.times[i]);
    if (!added) it->second = std::min(it->second, r.times[i]);
  }
  for (size_t i = 0; i < r.ids.size(); ++i) {
    const SplitSide side = split->row_side[i];
    if (side == SplitSide::kTest) {
      EXPECT_GE(first[r.ids[i]], *spec.cutoff);
    } else if (side == SplitSide::kDropped) {
      EXPECT_GE(r.times[i], *spec.cutoff);
      EXPECT_LT(first[r.ids[i]], *spec.cutoff);
    } else {
      EXPECT_LT(r.times[i], *spec.cutoff);  // nothing from the test period trains
    }
  }
  EXPECT_GT(split->counts.rows[static_cast<size_t>(SplitSide::kDropped)], 0);
  EXPECT_GT(split->counts.subjects[static_cast<size_t>(SplitSide::kValidation)], 0);
}

TEST(SplitTest, RejectsMismatchedInputs) {
  std::vector<std::string> ids = {"a"};
  std::vector<base::Instant> times;
  std::vector<float> labels = {0};
  EXPECT_FALSE(SplitRows({}, ids, times, labels).ok());
}

}  // namespace
}  // namespace vigil::task
