#include "vigil/terminology/units.h"

#include <gtest/gtest.h>

namespace vigil::terminology {
namespace {

TEST(UnitsTest, CanonicalUnitsFollowTheSharedCodeTable) {
  EXPECT_EQ(CanonicalUnit("LOINC/8867-4"), "/min");
  EXPECT_EQ(CanonicalUnit("LOINC/8310-5"), "Cel");
  EXPECT_EQ(CanonicalUnit("LOINC/2524-7"), "mmol/L");
  EXPECT_EQ(CanonicalUnit("LOINC/2160-0"), "mg/dL");
  EXPECT_EQ(CanonicalUnit("LOINC/9269-2"), "{score}");
  EXPECT_FALSE(CanonicalUnit("LOINC/718-7").has_value());
}

TEST(UnitsTest, FahrenheitBecomesCelsius) {
  auto m = ToCanonical("LOINC/8310-5", 98.6, "[degF]");
  ASSERT_TRUE(m.ok());
  EXPECT_NEAR(m->value, 37.0, 1e-9);
  EXPECT_EQ(m->unit, "Cel");
  auto alias = ToCanonical("LOINC/8310-5", 212, "°F");
  ASSERT_TRUE(alias.ok());
  EXPECT_NEAR(alias->value, 100.0, 1e-9);
}

TEST(UnitsTest, PoundsBecomeKilograms) {
  auto m = ToCanonical("LOINC/29463-7", 100, "[lb_av]");
  ASSERT_TRUE(m.ok());
  EXPECT_NEAR(m->value, 45.359237, 1e-9);
  EXPECT_EQ(m->unit, "kg");
}

TEST(UnitsTest, MolarAndMassConcentrationConvertThroughTheAnalyte) {
  auto creatinine = ToCanonical("LOINC/2160-0", 88.4, "umol/L");
  ASSERT_TRUE(creatinine.ok());
  EXPECT_NEAR(creatinine->value, 1.0, 0.001);
  auto glucose = ToCanonical("LOINC/2345-7", 5.55, "mmol/L");
  ASSERT_TRUE(glucose.ok());
  EXPECT_NEAR(glucose->value, 100.0, 0.1);
  auto lactate = ToCanonical("LOINC/2524-7", 18.016, "mg/dL");
  ASSERT_TRUE(lactate.ok());
  EXPECT_NEAR(lactate->value, 2.0, 1e-6);
  EXPECT_EQ(lactate->unit, "mmol/L");
  auto bilirubin = ToCanonical("LOINC/1975-2", 17.1, "umol/L");
  ASSERT_TRUE(bilirubin.ok());
  EXPECT_NEAR(bilirubin->value, 1.0, 0.001);
}

TEST(UnitsTest, EqualUnitsAndAnnotationsAreIdentity) {
  auto hr = ToCanonical("LOINC/8867-4", 93, "{beats}/min");
  ASSERT_TRUE(hr.ok());
  EXPECT_EQ(hr->value, 93);
  EXPECT_EQ(hr->unit, "/min");
  auto gcs = ToCanonical("LOINC/9269-2", 14, "");
  ASSERT_TRUE(gcs.ok());
  EXPECT_EQ(gcs->unit, "{score}");
  auto fio2 = ToCanonical("LOINC/3150-0", 0.4, "1");
  ASSERT_TRUE(fio2.ok());
  EXPECT_NEAR(fio2->value, 40, 1e-9);
  auto wbc = ToCanonical("LOINC/6690-2", 7.5, "10*9/L");
  ASSERT_TRUE(wbc.ok());
  EXPECT_EQ(wbc->value, 7.5);
}

TEST(UnitsTest, UnknownOrWrongUnitForAConvertedCodeIsAnError) {
  auto unknown = ToCanonical("LOINC/8310-5", 37, "furlongs");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message().find("37"), std::string::npos);  // no value in messages
  EXPECT_FALSE(ToCanonical("LOINC/8310-5", 37, "kg").ok());
  EXPECT_FALSE(ToCanonical("LOINC/8867-4", 80, "").ok());
  // No molar mass for white cells: a concentration unit cannot be converted.
  EXPECT_FALSE(ToCanonical("LOINC/6690-2", 7, "mmol/L").ok());
}

TEST(UnitsTest, CodesOutsideTheTableKeepTheirUnit) {
  auto m = ToCanonical("LOINC/718-7", 13.2, " g/dL ");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->value, 13.2);
  EXPECT_EQ(m->unit, "g/dL");
  auto any = ToCanonical("SNOMED/1234", 1, "whatever");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->unit, "whatever");
}

}  // namespace
}  // namespace vigil::terminology
