#include "vigil/synth/physiology.h"

#include <gtest/gtest.h>

namespace vigil::synth {
namespace {

PatientProfile AveragePatient() {
  PatientProfile p;
  p.frailty = 0.2;
  p.baseline = {76, 16, 125, 36.8, 97, 40, 0.9, 7, 250, 0.6, 1.0, 75, 170};
  return p;
}

const Diagnosis& Pneumonia() { return Diagnoses()[0]; }

TEST(PhysiologyTest, SeverityWorsensEveryVitalSign) {
  const PatientProfile p = AveragePatient();
  LatentState well, ill;
  ill.severity = ill.slow_severity = 2.5;
  const Care air;
  const TrueState a = Physiology(p, Pneumonia(), {}, well, air);
  const TrueState b = Physiology(p, Pneumonia(), {}, ill, air);
  EXPECT_GT(b.heart_rate, a.heart_rate + 20);
  EXPECT_GT(b.resp_rate, a.resp_rate + 5);
  EXPECT_LT(b.sao2, a.sao2 - 5);
  EXPECT_LT(b.systolic, a.systolic - 15);
  EXPECT_GT(b.lactate, a.lactate);
  EXPECT_GT(b.creatinine, a.creatinine);
  EXPECT_EQ(a.consciousness, scores::Consciousness::kAlert);
  EXPECT_EQ(a.gcs, 15);
}

TEST(PhysiologyTest, InfectionBringsFeverAndOxygenRaisesSaturation) {
  const PatientProfile p = AveragePatient();
  LatentState s;
  s.severity = 1.5;
  s.infection = 2.0;
  Care air, oxygen;
  oxygen.fio2 = 40;
  const TrueState on_air = Physiology(p, Pneumonia(), {}, s, air);
  const TrueState on_o2 = Physiology(p, Pneumonia(), {}, s, oxygen);
  EXPECT_GT(on_air.temperature, 38.0);
  EXPECT_GT(on_air.white_cells, 10.0);
  EXPECT_GT(on_o2.sao2, on_air.sao2 + 2);
  EXPECT_DOUBLE_EQ(on_o2.unsupported_sao2, on_air.unsupported_sao2);
}

TEST(PhysiologyTest, HazardsAndProjectedRiskRiseWithSeverity) {
  const ModelParameters m;
  PatientProfile p = AveragePatient();
  const HazardModel ward = HazardsFor(m, p, Pneumonia(), Care{});
  EXPECT_TRUE(ward.referral.enabled);
  EXPECT_LT(ward.death.At(0.5), ward.death.At(2.5));
  EXPECT_LT(ward.referral.At(0.5), ward.referral.At(2.5));
  Care escalated;
  escalated.escalated = true;
  EXPECT_GT(HazardsFor(m, p, Pneumonia(), escalated).referral.At(1.5), ward.referral.At(1.5));
  p.ceiling_of_care = true;
  const HazardModel ceiling = HazardsFor(m, p, Pneumonia(), Care{});
  EXPECT_FALSE(ceiling.referral.enabled);
  EXPECT_TRUE(ceiling.arrest_is_death);
  p.ceiling_of_care = false;
  double last = -1;
  for (double severity : {0.2, 1.0, 2.0, 3.0}) {
    LatentState s;
    s.severity = severity;
    const Risk24 r = ProjectRisk(m, p, Pneumonia(), s, Care{}, 96, 60, false);
    EXPECT_GT(r.deterioration, last);
    EXPECT_GE(r.deterioration, r.death);
    EXPECT_LE(r.deterioration, 1.0);
    last = r.deterioration;
  }
}

TEST(PhysiologyTest, StepIsDeterministicAndRecovers) {
  const ModelParameters m;
  const PatientProfile p = AveragePatient();
  LatentState a, b;
  a.severity = b.severity = a.illness = b.illness = 1.5;
  Rng ra(9, 9), rb(9, 9);
  for (int h = 0; h < 200; ++h) {
    Step(m, p, Pneumonia(), Care{}, 96, 30, ra, a);
    Step(m, p, Pneumonia(), Care{}, 96, 30, rb, b);
  }
  EXPECT_EQ(a.severity, b.severity);
  EXPECT_LT(a.illness, 0.01);
}

}  // namespace
}  // namespace vigil::synth
