#include "vigil/scores/news2.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil::scores {
namespace {

struct Case {
  double value;
  int expected;
};

// Each table lists both sides of every band boundary of RCP NEWS2 2017 chart 1.
TEST(News2Test, RespirationRateBands) {
  for (const auto& [v, want] : std::vector<Case>{
           {4, 3}, {8, 3}, {9, 1}, {11, 1}, {12, 0}, {20, 0}, {21, 2}, {24, 2}, {25, 3}, {40, 3}}) {
    EXPECT_EQ(News2RespiratoryRate(v), want) << v;
  }
}

TEST(News2Test, SpO2Scale1Bands) {
  for (const auto& [v, want] :
       std::vector<Case>{{80, 3}, {91, 3}, {92, 2}, {93, 2}, {94, 1}, {95, 1}, {96, 0}, {100, 0}}) {
    EXPECT_EQ(News2SpO2(v, SpO2Scale::kScale1, false), want) << v;
    EXPECT_EQ(News2SpO2(v, SpO2Scale::kScale1, true), want) << v << " on oxygen";
  }
}

TEST(News2Test, SpO2Scale2BandsOnAir) {
  for (const auto& [v, want] : std::vector<Case>{{75, 3},
                                                 {83, 3},
                                                 {84, 2},
                                                 {85, 2},
                                                 {86, 1},
                                                 {87, 1},
                                                 {88, 0},
                                                 {92, 0},
                                                 {93, 0},
                                                 {100, 0}}) {
    EXPECT_EQ(News2SpO2(v, SpO2Scale::kScale2, false), want) << v;
  }
}

TEST(News2Test, SpO2Scale2BandsOnOxygen) {
  for (const auto& [v, want] : std::vector<Case>{{83, 3},
                                                 {84, 2},
                                                 {85, 2},
                                                 {86, 1},
                                                 {87, 1},
                                                 {88, 0},
                                                 {92, 0},
                                                 {93, 1},
                                                 {94, 1},
                                                 {95, 2},
                                                 {96, 2},
                                                 {97, 3},
                                                 {100, 3}}) {
    EXPECT_EQ(News2SpO2(v, SpO2Scale::kScale2, true), want) << v;
  }
}

TEST(News2Test, AirOrOxygen) {
  EXPECT_EQ(News2SupplementalOxygen(false), 0);
  EXPECT_EQ(News2SupplementalOxygen(true), 2);
}

TEST(News2Test, SystolicBloodPressureBands) {
  for (const auto& [v, want] : std::vector<Case>{
           {60, 3}, {90, 3}, {91, 2}, {100, 2}, {101, 1}, {110, 1}, {111, 0}, {219, 0}, {220, 3}}) {
    EXPECT_EQ(News2SystolicBp(v), want) << v;
  }
}

TEST(News2Test, PulseBands) {
  for (const auto& [v, want] : std::vector<Case>{{30, 3},
                                                 {40, 3},
                                                 {41, 1},
                                                 {50, 1},
                                                 {51, 0},
                                                 {90, 0},
                                                 {91, 1},
                                                 {110, 1},
                                                 {111, 2},
                                                 {130, 2},
                                                 {131, 3},
                                                 {180, 3}}) {
    EXPECT_EQ(News2HeartRate(v), want) << v;
  }
}

TEST(News2Test, ConsciousnessAnyOfCvpuScoresThree) {
  EXPECT_EQ(News2Consciousness(Consciousness::kAlert), 0);
  EXPECT_EQ(News2Consciousness(Consciousness::kConfusion), 3);
  EXPECT_EQ(News2Consciousness(Consciousness::kVoice), 3);
  EXPECT_EQ(News2Consciousness(Consciousness::kPain), 3);
  EXPECT_EQ(News2Consciousness(Consciousness::kUnresponsive), 3);
}

TEST(News2Test, TemperatureBands) {
  for (const auto& [v, want] : std::vector<Case>{{33.0, 3},
                                                 {35.0, 3},
                                                 {35.1, 1},
                                                 {36.0, 1},
                                                 {36.1, 0},
                                                 {38.0, 0},
                                                 {38.1, 1},
                                                 {39.0, 1},
                                                 {39.1, 2},
                                                 {41.0, 2}}) {
    EXPECT_EQ(News2Temperature(v), want) << v;
  }
}

TEST(News2Test, ValuesBetweenBandsAreRoundedToTheChartResolution) {
  EXPECT_EQ(News2RespiratoryRate(20.4), 0);
  EXPECT_EQ(News2RespiratoryRate(20.5), 2);
  EXPECT_EQ(News2HeartRate(90.49), 0);
  EXPECT_EQ(News2HeartRate(90.5), 1);
  EXPECT_EQ(News2Temperature(38.04), 0);
  EXPECT_EQ(News2Temperature(38.06), 1);
  EXPECT_EQ(News2Temperature(35.04), 3);
  EXPECT_EQ(News2SpO2(95.4, SpO2Scale::kScale1, false), 1);
  EXPECT_EQ(News2SpO2(95.5, SpO2Scale::kScale1, false), 0);
}

Observations Normal() {
  Observations o;
  o.respiratory_rate = 16;
  o.spo2 = 97;
  o.supplemental_oxygen = false;
  o.systolic_bp = 125;
  o.heart_rate = 72;
  o.consciousness = Consciousness::kAlert;
  o.temperature = 36.8;
  return o;
}

TEST(News2Test, NormalObservationsScoreZeroAndLow) {
  const News2Score s = ComputeNews2(Normal());
  EXPECT_EQ(s.total, 0);
  EXPECT_EQ(s.missing, 0);
  EXPECT_TRUE(s.complete());
  EXPECT_EQ(s.risk, News2Risk::kLow);
  for (const auto& sub : s.sub_scores) EXPECT_EQ(sub, 0);
}

TEST(News2Test, SumsSubScoresAndReportsEach) {
  Observations o = Normal();
  o.respiratory_rate = 22;  // 2
  o.spo2 = 93;              // 2
  o.o2_flow = 2;            // derived below: supplemental_oxygen wins when set
  o.supplemental_oxygen = std::nullopt;
  o.systolic_bp = 105;   // 1
  o.heart_rate = 115;    // 2
  o.temperature = 38.5;  // 1
  const News2Score s = ComputeNews2(o);
  EXPECT_EQ(s.sub_score(News2Parameter::kRespiratoryRate), 2);
  EXPECT_EQ(s.sub_score(News2Parameter::kSpO2), 2);
  EXPECT_EQ(s.sub_score(News2Parameter::kSupplementalOxygen), 2);
  EXPECT_EQ(s.sub_score(News2Parameter::kSystolicBp), 1);
  EXPECT_EQ(s.sub_score(News2Parameter::kHeartRate), 2);
  EXPECT_EQ(s.sub_score(News2Parameter::kConsciousness), 0);
  EXPECT_EQ(s.sub_score(News2Parameter::kTemperature), 1);
  EXPECT_EQ(s.total, 10);
  EXPECT_EQ(s.risk, News2Risk::kHigh);
}

TEST(News2Test, MissingParametersAreCountedAndAddNothing) {
  Observations o;
  o.heart_rate = 135;    // 3
  o.temperature = 39.5;  // 2
  const News2Score s = ComputeNews2(o);
  EXPECT_EQ(s.total, 5);
  EXPECT_EQ(s.missing, 5);
  EXPECT_FALSE(s.complete());
  EXPECT_FALSE(s.sub_score(News2Parameter::kSpO2).has_value());
  EXPECT_FALSE(s.sub_score(News2Parameter::kSupplementalOxygen).has_value());
  const News2Score empty = ComputeNews2(Observations{});
  EXPECT_EQ(empty.total, 0);
  EXPECT_EQ(empty.missing, kNews2ParameterCount);
}

TEST(News2Test, RiskBandsAtEveryBoundary) {
  EXPECT_EQ(News2RiskFor(0, false), News2Risk::kLow);
  EXPECT_EQ(News2RiskFor(4, false), News2Risk::kLow);
  EXPECT_EQ(News2RiskFor(3, true), News2Risk::kLowMedium);
  EXPECT_EQ(News2RiskFor(4, true), News2Risk::kLowMedium);
  EXPECT_EQ(News2RiskFor(5, false), News2Risk::kMedium);
  EXPECT_EQ(News2RiskFor(5, true), News2Risk::kMedium);
  EXPECT_EQ(News2RiskFor(6, true), News2Risk::kMedium);
  EXPECT_EQ(News2RiskFor(7, false), News2Risk::kHigh);
  EXPECT_EQ(News2RiskFor(20, true), News2Risk::kHigh);
}

TEST(News2Test, SingleRedParameterMakesLowMedium) {
  Observations o = Normal();
  o.consciousness = Consciousness::kConfusion;  // new confusion: 3
  News2Score s = ComputeNews2(o);
  EXPECT_EQ(s.total, 3);
  EXPECT_EQ(s.risk, News2Risk::kLowMedium);
  o = Normal();
  o.heart_rate = 100;       // 1
  o.respiratory_rate = 10;  // 1
  o.temperature = 35.5;     // 1
  s = ComputeNews2(o);
  EXPECT_EQ(s.total, 3);
  EXPECT_EQ(s.risk, News2Risk::kLow);
}

TEST(News2Test, Scale2UsesOxygenFromFlowOrFiO2) {
  Observations o = Normal();
  o.spo2_scale = SpO2Scale::kScale2;
  o.supplemental_oxygen = std::nullopt;
  o.spo2 = 97;
  // Oxygen unknown: scored as on air, and the air/oxygen parameter is missing.
  News2Score s = ComputeNews2(o);
  EXPECT_EQ(s.sub_score(News2Parameter::kSpO2), 0);
  EXPECT_EQ(s.missing, 1);
  o.fio2 = 21;
  s = ComputeNews2(o);
  EXPECT_EQ(s.sub_score(News2Parameter::kSpO2), 0);
  EXPECT_EQ(s.sub_score(News2Parameter::kSupplementalOxygen), 0);
  o.fio2 = 28;
  s = ComputeNews2(o);
  EXPECT_EQ(s.sub_score(News2Parameter::kSpO2), 3);
  EXPECT_EQ(s.sub_score(News2Parameter::kSupplementalOxygen), 2);
  EXPECT_EQ(s.total, 5);
  EXPECT_EQ(s.risk, News2Risk::kMedium);
}

TEST(News2Test, NamesAreStable) {
  EXPECT_EQ(News2ParameterName(News2Parameter::kSpO2), "spo2");
  EXPECT_EQ(News2ParameterName(News2Parameter::kTemperature), "temperature");
  EXPECT_EQ(News2RiskName(News2Risk::kLowMedium), "low-medium");
}

}  // namespace
}  // namespace vigil::scores
