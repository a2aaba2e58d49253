#include "vigil/features/display_name.h"

#include <gtest/gtest.h>

#include "vigil/scores/observations.h"
#include "vigil/task/builtin.h"
#include "vigil/terminology/display.h"

namespace vigil::features {
namespace {

TEST(FeatureDisplayNameTest, CodeStatistics) {
  EXPECT_EQ(FeatureDisplayName("LOINC/9279-1.last"), "Respiratory rate, latest");
  EXPECT_EQ(FeatureDisplayName("LOINC/8867-4.max.6h"), "Heart rate, highest over 6 h");
  EXPECT_EQ(FeatureDisplayName("LOINC/8867-4.slope.1d"), "Heart rate, trend over 24 h (per hour)");
  EXPECT_EQ(FeatureDisplayName("LOINC/8867-4.count.90min"), "Heart rate, times recorded in 90 min");
  EXPECT_EQ(FeatureDisplayName("LOINC/9187-6.sum"), "Urine output, total");
  EXPECT_EQ(FeatureDisplayName("LOINC/2524-7.time_since_last"),
            "Lactate, hours since last recorded");
  EXPECT_EQ(FeatureDisplayName("LOINC/2524-7.missing"), "Lactate, not recorded");
  EXPECT_EQ(FeatureDisplayName("LOINC/8310-5.mean.3d"), "Temperature, mean over 3 days");
}

TEST(FeatureDisplayNameTest, CodesWithoutANameOrWithDotsStayCodes) {
  EXPECT_EQ(FeatureDisplayName("SNOMED/91302008.time_since_last"),
            "SNOMED/91302008, hours since last recorded");
  EXPECT_EQ(FeatureDisplayName("ICD10CM/J96.12.missing"), "ICD10CM/J96.12, not recorded");
  EXPECT_EQ(FeatureDisplayName("ICD10CM/J96.12.min.12h"), "ICD10CM/J96.12, lowest over 12 h");
}

// With the store's names (a FHIR coding's display), codes vigil does not name get the data's name.
TEST(FeatureDisplayNameTest, CodesTakeTheDataNamesWhenGiven) {
  const terminology::CodeNames names(
      std::map<std::string, std::string, std::less<>>{{"SNOMED/91302008", "Sepsis (disorder)"}});
  EXPECT_EQ(FeatureDisplayName("SNOMED/91302008.time_since_last", names),
            "Sepsis (disorder), hours since last recorded");
  EXPECT_EQ(FeatureDisplayName("LOINC/2524-7.missing", names), "Lactate, not recorded");
  EXPECT_EQ(FeatureDisplayName("ICD10CM/J96.12.missing", names), "ICD10CM/J96.12, not recorded");
}

TEST(FeatureDisplayNameTest, FixedColumns) {
  EXPECT_EQ(FeatureDisplayName("stay.hours_since_start"), "Hours since the stay began");
  EXPECT_EQ(FeatureDisplayName("stay.hours_since_hospital_admission"),
            "Hours since hospital admission");
  EXPECT_EQ(FeatureDisplayName("demographics.age_years"), "Age (years)");
  EXPECT_EQ(FeatureDisplayName("demographics.female"), "Female");
  EXPECT_EQ(FeatureDisplayName("stay.unit.MICU"), "Care unit MICU");
  EXPECT_EQ(FeatureDisplayName("score.NEWS2"), "NEWS2 score");
  EXPECT_EQ(FeatureDisplayName("score.qSOFA.missing"), "qSOFA parameters not recorded");
}

TEST(FeatureDisplayNameTest, AnythingElseComesBackUnchanged) {
  for (std::string_view name : {"", ".", "x", "LOINC/8867-4", "LOINC/8867-4.median",
                                "LOINC/8867-4.6h", "LOINC/8867-4.median.6h", ".last", "a..b"}) {
    EXPECT_EQ(FeatureDisplayName(name), name);
  }
}

// Every measurement code a built-in task or a score reads has a clinical name.
TEST(FeatureDisplayNameTest, BuiltinTasksAndScoresNameTheirMeasurements) {
  for (const task::BuiltinTask& t : task::BuiltinTasks()) {
    SCOPED_TRACE(t.name);
    const base::Result<task::TaskSpec> spec = task::LoadTask(t.name);
    ASSERT_TRUE(spec.ok()) << spec.status().ToString();
    for (const task::VariableGroup& g : spec->features.variables) {
      for (const std::string& code : g.codes) {
        if (code.starts_with("LOINC/") && code.back() != '*') {
          EXPECT_FALSE(terminology::CodeDisplay(code).empty()) << code;
        }
      }
    }
  }
  for (std::string_view code :
       {scores::kCodeHeartRate, scores::kCodeRespiratoryRate, scores::kCodeSpO2,
        scores::kCodeTemperature, scores::kCodeSystolicBp, scores::kCodeFiO2, scores::kCodeO2Flow,
        scores::kCodeGcsTotal, scores::kCodeAcvpu, scores::kCodeWhiteCells, scores::kCodePaCO2,
        scores::kCodeBandNeutrophils}) {
    EXPECT_FALSE(terminology::CodeDisplay(code).empty()) << code;
  }
}

}  // namespace
}  // namespace vigil::features
