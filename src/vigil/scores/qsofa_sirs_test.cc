#include "vigil/scores/qsofa_sirs.h"

#include <gtest/gtest.h>

namespace vigil::scores {
namespace {

int Met(const QsofaScore& s, QsofaCriterion c) {
  auto m = s.met[static_cast<int>(c)];
  return m ? (*m ? 1 : 0) : -1;  // -1: missing
}
int Met(const SirsScore& s, SirsCriterion c) {
  auto m = s.met[static_cast<int>(c)];
  return m ? (*m ? 1 : 0) : -1;
}

TEST(QsofaTest, RespiratoryRateBoundary) {
  Observations o;
  o.respiratory_rate = 21.9;
  EXPECT_EQ(Met(ComputeQsofa(o), QsofaCriterion::kRespiratoryRate), 0);
  o.respiratory_rate = 22;
  EXPECT_EQ(Met(ComputeQsofa(o), QsofaCriterion::kRespiratoryRate), 1);
}

TEST(QsofaTest, SystolicBoundary) {
  Observations o;
  o.systolic_bp = 100;
  EXPECT_EQ(Met(ComputeQsofa(o), QsofaCriterion::kSystolicBp), 1);
  o.systolic_bp = 101;
  EXPECT_EQ(Met(ComputeQsofa(o), QsofaCriterion::kSystolicBp), 0);
}

TEST(QsofaTest, AlteredMentationFromGcsOrAcvpu) {
  Observations o;
  EXPECT_EQ(Met(ComputeQsofa(o), QsofaCriterion::kAlteredMentation), -1);
  o.gcs_total = 15;
  EXPECT_EQ(Met(ComputeQsofa(o), QsofaCriterion::kAlteredMentation), 0);
  o.gcs_total = 14;
  EXPECT_EQ(Met(ComputeQsofa(o), QsofaCriterion::kAlteredMentation), 1);
  o.gcs_total = std::nullopt;
  o.consciousness = Consciousness::kAlert;
  EXPECT_EQ(Met(ComputeQsofa(o), QsofaCriterion::kAlteredMentation), 0);
  o.consciousness = Consciousness::kConfusion;
  EXPECT_EQ(Met(ComputeQsofa(o), QsofaCriterion::kAlteredMentation), 1);
  o.gcs_total = 15;  // either source altered is enough
  EXPECT_EQ(Met(ComputeQsofa(o), QsofaCriterion::kAlteredMentation), 1);
}

TEST(QsofaTest, TotalMissingAndPositiveAtTwo) {
  Observations o;
  o.respiratory_rate = 24;
  QsofaScore s = ComputeQsofa(o);
  EXPECT_EQ(s.total, 1);
  EXPECT_EQ(s.missing, 2);
  EXPECT_FALSE(s.positive);
  o.systolic_bp = 95;
  s = ComputeQsofa(o);
  EXPECT_EQ(s.total, 2);
  EXPECT_EQ(s.missing, 1);
  EXPECT_TRUE(s.positive);
  o.consciousness = Consciousness::kVoice;
  s = ComputeQsofa(o);
  EXPECT_EQ(s.total, 3);
  EXPECT_EQ(s.missing, 0);
}

TEST(SirsTest, TemperatureBoundaries) {
  Observations o;
  for (auto [v, want] : {std::pair{35.9, 1}, {36.0, 0}, {38.0, 0}, {38.1, 1}}) {
    o.temperature = v;
    EXPECT_EQ(Met(ComputeSirs(o), SirsCriterion::kTemperature), want) << v;
  }
}

TEST(SirsTest, HeartRateBoundary) {
  Observations o;
  o.heart_rate = 90;
  EXPECT_EQ(Met(ComputeSirs(o), SirsCriterion::kHeartRate), 0);
  o.heart_rate = 91;
  EXPECT_EQ(Met(ComputeSirs(o), SirsCriterion::kHeartRate), 1);
}

TEST(SirsTest, RespiratoryFromRateOrPaCO2) {
  Observations o;
  EXPECT_EQ(Met(ComputeSirs(o), SirsCriterion::kRespiratory), -1);
  o.respiratory_rate = 20;
  EXPECT_EQ(Met(ComputeSirs(o), SirsCriterion::kRespiratory), 0);
  o.respiratory_rate = 21;
  EXPECT_EQ(Met(ComputeSirs(o), SirsCriterion::kRespiratory), 1);
  o.respiratory_rate = std::nullopt;
  o.paco2 = 32;
  EXPECT_EQ(Met(ComputeSirs(o), SirsCriterion::kRespiratory), 0);
  o.paco2 = 31.9;
  EXPECT_EQ(Met(ComputeSirs(o), SirsCriterion::kRespiratory), 1);
  o.respiratory_rate = 16;  // a normal rate does not cancel a low PaCO2
  EXPECT_EQ(Met(ComputeSirs(o), SirsCriterion::kRespiratory), 1);
}

TEST(SirsTest, WhiteCellBoundariesAndBands) {
  Observations o;
  for (auto [v, want] : {std::pair{3.9, 1}, {4.0, 0}, {12.0, 0}, {12.1, 1}}) {
    o.white_cells = v;
    EXPECT_EQ(Met(ComputeSirs(o), SirsCriterion::kWhiteCells), want) << v;
  }
  o.white_cells = 8;
  o.band_neutrophils = 10;
  EXPECT_EQ(Met(ComputeSirs(o), SirsCriterion::kWhiteCells), 0);
  o.band_neutrophils = 11;
  EXPECT_EQ(Met(ComputeSirs(o), SirsCriterion::kWhiteCells), 1);
}

TEST(SirsTest, PositiveAtTwoCriteria) {
  Observations o;
  o.temperature = 38.6;
  o.heart_rate = 80;
  o.respiratory_rate = 18;
  o.white_cells = 9;
  SirsScore s = ComputeSirs(o);
  EXPECT_EQ(s.total, 1);
  EXPECT_EQ(s.missing, 0);
  EXPECT_FALSE(s.positive);
  o.heart_rate = 105;
  s = ComputeSirs(o);
  EXPECT_EQ(s.total, 2);
  EXPECT_TRUE(s.positive);
}

}  // namespace
}  // namespace vigil::scores
