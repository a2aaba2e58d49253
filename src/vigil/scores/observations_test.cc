#include "vigil/scores/observations.h"

#include <gtest/gtest.h>

#include "vigil/scores/news2.h"

namespace vigil::scores {
namespace {

TEST(ObservationsTest, ParsesAcvpu) {
  EXPECT_EQ(ParseAcvpu("A"), Consciousness::kAlert);
  EXPECT_EQ(ParseAcvpu(" c "), Consciousness::kConfusion);
  EXPECT_EQ(ParseAcvpu("New confusion"), Consciousness::kConfusion);
  EXPECT_EQ(ParseAcvpu("V"), Consciousness::kVoice);
  EXPECT_EQ(ParseAcvpu("pain"), Consciousness::kPain);
  EXPECT_EQ(ParseAcvpu("U"), Consciousness::kUnresponsive);
  EXPECT_EQ(ParseAcvpu("Unresponsive"), Consciousness::kUnresponsive);
  EXPECT_FALSE(ParseAcvpu("").has_value());
  EXPECT_FALSE(ParseAcvpu("X").has_value());
  for (auto c : {Consciousness::kAlert, Consciousness::kConfusion, Consciousness::kVoice,
                 Consciousness::kPain, Consciousness::kUnresponsive}) {
    EXPECT_EQ(ParseAcvpu(AcvpuLetter(c)), c);
  }
}

TEST(ObservationsTest, OxygenFromFlowOrFiO2) {
  Observations o;
  EXPECT_FALSE(o.OnOxygen().has_value());
  o.o2_flow = 0;
  EXPECT_EQ(o.OnOxygen(), false);
  o.fio2 = 21;
  EXPECT_EQ(o.OnOxygen(), false);
  o.fio2 = 24;
  EXPECT_EQ(o.OnOxygen(), true);
  o.fio2 = std::nullopt;
  o.o2_flow = 2;
  EXPECT_EQ(o.OnOxygen(), true);
  o.supplemental_oxygen = false;  // an explicit statement wins
  EXPECT_EQ(o.OnOxygen(), false);
}

TEST(ObservationsTest, AppliesSharedCodes) {
  Observations o;
  EXPECT_TRUE(o.Apply("LOINC/8867-4", 88, ""));
  EXPECT_TRUE(o.Apply("LOINC/9279-1", 18, ""));
  EXPECT_TRUE(o.Apply("LOINC/59408-5", 95, ""));
  EXPECT_TRUE(o.Apply("LOINC/8310-5", 37.2, ""));
  EXPECT_TRUE(o.Apply("LOINC/8480-6", 118, ""));
  EXPECT_TRUE(o.Apply("LOINC/3151-8", 2, ""));
  EXPECT_TRUE(o.Apply("LOINC/67775-7", std::nullopt, "A"));
  EXPECT_FALSE(o.Apply("LOINC/67775-7", std::nullopt, "not a level"));
  EXPECT_FALSE(o.Apply("LOINC/8867-4", std::nullopt, "88"));
  EXPECT_FALSE(o.Apply("LOINC/8462-4", 70, ""));  // diastolic is no score input
  EXPECT_EQ(o.heart_rate, 88);
  EXPECT_EQ(o.consciousness, Consciousness::kAlert);
  const News2Score s = ComputeNews2(o);
  EXPECT_EQ(s.missing, 0);
  EXPECT_EQ(s.total, 3);  // SpO2 95 -> 1, oxygen -> 2
  // A later value replaces the earlier one (last observation carried forward).
  EXPECT_TRUE(o.Apply("LOINC/8867-4", 120, ""));
  EXPECT_EQ(ComputeNews2(o).total, 5);
}

}  // namespace
}  // namespace vigil::scores
