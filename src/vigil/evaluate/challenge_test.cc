#include "vigil/evaluate/challenge.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace vigil::evaluate {
namespace {

using Bits = std::vector<uint8_t>;

// A septic stay of 20 hours whose first SepsisLabel 1 is at hour 10, so t_sepsis = 16 and the
// utility window runs to hour 19 (t_sepsis + dt_late).
Bits SepticLabels() {
  Bits y(20, 0);
  for (int t = 10; t < 20; ++t) y[t] = 1;
  return y;
}

TEST(ChallengeTest, OfficialDocstringExample) {
  // evaluate_sepsis_score.py: compute_prediction_utility([0,0,0,0,1,1], [0,0,1,1,1,1]) = 3.3888...
  // t_sepsis = 4 + 6 = 10: hours 2, 3, 4 are on the rising part (dt -8, -7, -6: 2/3, 5/6, 1) and
  // hour 5 on the falling part (dt -5: 5/9 + 1/3 = 8/9).
  const auto u = StayUtility(Bits{0, 0, 0, 0, 1, 1}, Bits{0, 0, 1, 1, 1, 1});
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_NEAR(*u, 3.388888888888889, 1e-12);
  EXPECT_NEAR(*u, 2.0 / 3 + 5.0 / 6 + 1 + 8.0 / 9, 1e-12);
}

TEST(ChallengeTest, HandWorkedSepticStay) {
  const Bits y = SepticLabels();
  // Inaction: false negatives on hours 11..19 (dt -5..3), each -2/9 dt - 4/3: sum 2 - 12 = -10.
  EXPECT_NEAR(*StayUtility(y, Bits(20, 0)), -10.0, 1e-12);
  // One alert 13 hours before onset (hour 3) earns u_fp; at 12 hours before (hour 4) it earns 0.
  Bits early(20, 0);
  early[3] = 1;
  EXPECT_NEAR(*StayUtility(y, early), -10.0 - 0.05, 1e-12);
  early[3] = 0;
  early[4] = 1;
  EXPECT_NEAR(*StayUtility(y, early), -10.0, 1e-12);
  // An alert at the optimal time (hour 10, 6 h before onset) earns the full reward 1.
  Bits optimal(20, 0);
  optimal[10] = 1;
  EXPECT_NEAR(*StayUtility(y, optimal), -10.0 + 1.0, 1e-12);
  // Alerts after t_sepsis + dt_late count for nothing: append hours to the stay.
  Bits y_long = y, p_long(30, 1);
  y_long.resize(30, 1);
  const auto bounds = StayUtilityBounds(y_long, p_long);
  ASSERT_TRUE(bounds.ok());
  // Hours 0..3 early (4 x u_fp), 4..10 rising (0 + 1/6 + ... + 1 = 3.5), 11..19 falling
  // (sum of 1/3 - dt/9 over dt -5..3 = 3 + 1 = 4): -0.2 + 3.5 + 4 = 7.3.
  EXPECT_NEAR(bounds->observed, 7.3, 1e-12);
}

TEST(ChallengeTest, HourUtilitiesSumToTheStayUtility) {
  const Bits y = SepticLabels();
  const auto hours = HourUtilities(y);
  ASSERT_TRUE(hours.ok());
  ASSERT_EQ(hours->size(), y.size());
  EXPECT_NEAR((*hours)[10].if_alert, 1.0, 1e-12);  // the optimal hour
  EXPECT_NEAR((*hours)[3].if_alert, -0.05, 1e-12);
  EXPECT_NEAR((*hours)[3].if_no_alert, 0.0, 1e-12);
  // Any prediction's stay utility is the sum of the terms it selects.
  Bits p(20, 0);
  for (int t : {2, 7, 12, 15, 19}) p[t] = 1;
  double sum = 0;
  for (size_t t = 0; t < y.size(); ++t)
    sum += p[t] ? (*hours)[t].if_alert : (*hours)[t].if_no_alert;
  EXPECT_NEAR(sum, *StayUtility(y, p), 1e-12);
  EXPECT_FALSE(HourUtilities(Bits{0, 2}).ok());
}

TEST(ChallengeTest, BestWorstAndInactionOfASepticStay) {
  const auto b = StayUtilityBounds(SepticLabels(), Bits(20, 0));
  ASSERT_TRUE(b.ok());
  EXPECT_NEAR(b->best, 3.5 + 4.0, 1e-12);          // alerts on hours 4..19
  EXPECT_NEAR(b->worst, 4 * -0.05 - 10.0, 1e-12);  // alerts on hours 0..3 only
  EXPECT_NEAR(b->inaction, -10.0, 1e-12);
  EXPECT_NEAR(b->observed, -10.0, 1e-12);
}

TEST(ChallengeTest, NonSepticStay) {
  const auto b = StayUtilityBounds(Bits(10, 0), Bits{1, 1, 0, 0, 0, 0, 0, 0, 0, 1});
  ASSERT_TRUE(b.ok());
  EXPECT_NEAR(b->observed, 3 * -0.05, 1e-12);
  EXPECT_NEAR(b->best, 0.0, 1e-12);
  EXPECT_NEAR(b->worst, 10 * -0.05, 1e-12);
  EXPECT_NEAR(b->inaction, 0.0, 1e-12);
}

TEST(ChallengeTest, NormalizedUtilityOfOptimalAndInactionPredictors) {
  // A cohort: two septic stays (onset early and late in the stay) and three non-septic stays.
  std::vector<Bits> labels = {SepticLabels(), Bits(8, 0), Bits(30, 0), Bits(5, 0)};
  Bits short_septic(12, 0);
  for (int t = 2; t < 12; ++t) short_septic[t] = 1;  // onset at hour 8: best window starts at 0
  labels.push_back(short_septic);
  std::vector<StayUtilities> optimal, inaction, observed;
  for (const Bits& y : labels) {
    const auto zero = StayUtilityBounds(y, Bits(y.size(), 0));
    ASSERT_TRUE(zero.ok());
    inaction.push_back(*zero);
    // The optimal predictor's own alerts are the best window.
    Bits best(y.size(), 0);
    const auto first = std::find(y.begin(), y.end(), 1);
    if (first != y.end()) {
      const long t_sepsis = (first - y.begin()) + 6;
      for (long t = std::max(0L, t_sepsis - 12); t < std::min<long>(t_sepsis + 4, y.size()); ++t) {
        best[t] = 1;
      }
    }
    const auto b = StayUtilityBounds(y, best);
    ASSERT_TRUE(b.ok());
    optimal.push_back(*b);
  }
  EXPECT_NEAR(NormalizedUtility(optimal, {}), 1.0, 1e-12);
  EXPECT_NEAR(NormalizedUtility(inaction, {}), 0.0, 1e-12);
  // One septic stay alerting only at the optimal hour: (-9 - -10) / (7.5 - -10) with the others
  // contributing their inaction utility (0 for non-septic stays).
  const auto one = StayUtilityBounds(SepticLabels(), [] {
    Bits p(20, 0);
    p[10] = 1;
    return p;
  }());
  ASSERT_TRUE(one.ok());
  const std::vector<StayUtilities> single = {*one};
  EXPECT_NEAR(NormalizedUtility(single, {}), 1.0 / 17.5, 1e-12);
  // Weights multiply stays (a bootstrap multiplicity); a cohort without septic stays is undefined.
  const std::vector<double> twice = {2.0};
  EXPECT_NEAR(NormalizedUtility(single, twice), 1.0 / 17.5, 1e-12);
  const std::vector<StayUtilities> none = {inaction[1], inaction[2]};
  EXPECT_TRUE(std::isnan(NormalizedUtility(none, {})));
}

// Reference values computed with the official evaluate_sepsis_score.py (physionetchallenges/
// evaluation-2019) on a random cohort: 12 stays with noisy alerts, 3 of them never septic.
struct OfficialCase {
  const char* labels;
  const char* predictions;
  double utility;
};
constexpr OfficialCase kOfficialCohort[] = {
    {"000111111111111111111", "000110111111110111110", 3.7777777777777777},
    {"00011111111111", "00011011101010", 0.22222222222222276},
    {"00000000000000000", "00000010010000000", -0.10000000000000001},
    {"00000000000000000000000000111111111111111111111111111111111",
     "00000000000000000000000000111001111011011101111111011101111", 0.22222222222222221},
    {"000000000000001111111111111111", "000000000000101111101111111011", 4.1111111111111107},
    {"0000000000000000000000000000000000000000000000000000000000",
     "0001000000000000010000010000000010100001000000000000000010", -0.35000000000000003},
    {"000000000111", "000000000111", 2.6666666666666665},
    {"00001111", "00001111", 3.333333333333333},
    {"0000000000000000000000000000000000", "0000000000000000000000001000010000",
     -0.10000000000000001},
    {"00000000001111111111111111111111111111", "00000000001111111001111111111111111010",
     1.3333333333333333},
    {"000000000000000000000000000000001111111", "001011000000000100001100000000000110111",
     2.0333333333333332},
    {"0000000000000000000", "0000010001000000010", -0.15000000000000002},
};
constexpr double kOfficialNormalizedUtility = 0.66266866566716642;

Bits FromString(const char* s) {
  Bits b;
  for (; *s; ++s) b.push_back(*s == '1' ? 1 : 0);
  return b;
}

TEST(ChallengeTest, MatchesTheOfficialScorer) {
  std::vector<StayUtilities> stays;
  for (const OfficialCase& c : kOfficialCohort) {
    const auto u = StayUtilityBounds(FromString(c.labels), FromString(c.predictions));
    ASSERT_TRUE(u.ok());
    EXPECT_NEAR(u->observed, c.utility, 1e-12) << c.labels;
    stays.push_back(*u);
  }
  EXPECT_NEAR(NormalizedUtility(stays, {}), kOfficialNormalizedUtility, 1e-12);
}

TEST(ChallengeTest, RejectsMalformedInput) {
  EXPECT_FALSE(StayUtility(Bits{0, 1}, Bits{0}).ok());
  EXPECT_FALSE(StayUtility(Bits{0, 2}, Bits{0, 0}).ok());
  EXPECT_FALSE(StayUtility(Bits{0, 1}, Bits{0, 3}).ok());
  UtilityParameters bad;
  bad.dt_early = -6;
  EXPECT_FALSE(StayUtility(Bits{0, 1}, Bits{0, 1}, bad).ok());
  bad = {};
  bad.dt_late = -6;
  EXPECT_FALSE(StayUtility(Bits{0, 1}, Bits{0, 1}, bad).ok());
}

TEST(ChallengeTest, Event1IsMinOfSensitivityAndPpv) {
  EXPECT_DOUBLE_EQ(PhysioNet2012Event1(3, 1, 2), 0.6);    // Se 3/5, PPV 3/4
  EXPECT_DOUBLE_EQ(PhysioNet2012Event1(3, 3, 1), 0.5);    // Se 3/4, PPV 1/2
  EXPECT_TRUE(std::isnan(PhysioNet2012Event1(0, 0, 4)));  // nothing predicted positive
}

}  // namespace
}  // namespace vigil::evaluate
