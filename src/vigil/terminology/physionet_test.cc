#include "vigil/terminology/physionet.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "vigil/testing/temp_dir.h"

namespace vigil::terminology {
namespace {

std::vector<PhysioNetVariable> AllVariables() {
  std::vector<PhysioNetVariable> all(PhysioNet2012Parameters().begin(),
                                     PhysioNet2012Parameters().end());
  all.insert(all.end(), PhysioNet2019Columns().begin(), PhysioNet2019Columns().end());
  return all;
}

TEST(PhysioNetTerminologyTest, SharedCodesAndUnits) {
  const PhysioNetVariable* hr = FindPhysioNet2012Parameter("HR");
  ASSERT_NE(hr, nullptr);
  EXPECT_EQ(hr->code, "LOINC/8867-4");
  EXPECT_EQ(hr->unit, "/min");
  const PhysioNetVariable* fio2 = FindPhysioNet2012Parameter("FiO2");
  ASSERT_NE(fio2, nullptr);
  EXPECT_EQ(fio2->code, "LOINC/3150-0");
  EXPECT_EQ(fio2->unit, "%");
  EXPECT_EQ(fio2->scale, 100);
  EXPECT_EQ(FindPhysioNet2012Parameter("GCS")->code, "LOINC/9269-2");
  EXPECT_EQ(FindPhysioNet2012Parameter("SaO2")->code, "LOINC/2708-6");
  EXPECT_EQ(FindPhysioNet2012Parameter("MechVent")->code, "PHYSIONET2012/MechVent");
  EXPECT_EQ(FindPhysioNet2012Parameter("hr"), nullptr);        // names are case-sensitive
  EXPECT_EQ(FindPhysioNet2012Parameter("RecordID"), nullptr);  // a descriptor, not a parameter

  auto cols = PhysioNet2019Columns();
  ASSERT_EQ(cols.size(), 34u);
  EXPECT_EQ(cols[1].name, "O2Sat");
  EXPECT_EQ(cols[1].code, "LOINC/59408-5");  // pulse oximetry
  EXPECT_EQ(cols[13].name, "SaO2");
  EXPECT_EQ(cols[13].code, "LOINC/2708-6");  // arterial blood gas
  EXPECT_EQ(cols[10].name, "FiO2");
  EXPECT_EQ(cols[10].scale, 100);
  EXPECT_EQ(cols[33].name, "Platelets");
}

TEST(PhysioNetTerminologyTest, The2019ColumnsAreTheFileOrder) {
  const std::string header =
      "HR|O2Sat|Temp|SBP|MAP|DBP|Resp|EtCO2|BaseExcess|HCO3|FiO2|pH|PaCO2|SaO2|AST|BUN|"
      "Alkalinephos|Calcium|Chloride|Creatinine|Bilirubin_direct|Glucose|Lactate|Magnesium|"
      "Phosphate|Potassium|Bilirubin_total|TroponinI|Hct|Hgb|PTT|WBC|Fibrinogen|Platelets";
  std::string joined;
  for (const auto& c : PhysioNet2019Columns())
    joined += (joined.empty() ? "" : "|") + std::string(c.name);
  EXPECT_EQ(joined, header);
}

TEST(PhysioNetTerminologyTest, EveryCodeHasOneUnitAndARange) {
  std::map<std::string_view, std::string_view> unit_of;
  for (const PhysioNetVariable& v : AllVariables()) {
    SCOPED_TRACE(std::string(v.name));
    EXPECT_TRUE(v.code.starts_with("LOINC/") || v.code.starts_with("PHYSIONET2012/") ||
                v.code.starts_with("PHYSIONET2019/"));
    EXPECT_FALSE(v.unit.empty());
    auto [it, inserted] = unit_of.emplace(v.code, v.unit);
    EXPECT_EQ(it->second, v.unit) << "one canonical unit per code";
    const PhysiologicalRange* r = FindPhysiologicalRange(v.code);
    ASSERT_NE(r, nullptr);
    EXPECT_LT(r->low, r->high);
    EXPECT_FALSE(r->basis.empty());
  }
  std::set<std::string_view> codes;
  for (const PhysiologicalRange& r : PhysiologicalRanges()) {
    EXPECT_TRUE(codes.insert(r.code).second) << "duplicate range for " << r.code;
  }
}

TEST(PhysioNetTerminologyTest, RangesRejectTheImpossible) {
  const PhysiologicalRange* temp = FindPhysiologicalRange("LOINC/8310-5");
  ASSERT_NE(temp, nullptr);
  EXPECT_FALSE(InRange(*temp, -17.8));  // 0 degrees Fahrenheit read as Celsius
  EXPECT_TRUE(InRange(*temp, 35.1));
  const PhysiologicalRange* ph = FindPhysiologicalRange("LOINC/2744-1");
  EXPECT_FALSE(InRange(*ph, 735));
  EXPECT_TRUE(InRange(*ph, 7.35));
  EXPECT_TRUE(InRange(*FindPhysiologicalRange("LOINC/8867-4"), 0));  // asystole is possible
  EXPECT_FALSE(InRange(*FindPhysiologicalRange(kBodyWeightCode), 0));
  EXPECT_FALSE(InRange(*FindPhysiologicalRange(kBodyHeightCode), 431.8));
  EXPECT_FALSE(InRange(*FindPhysiologicalRange("LOINC/9269-2"), 2));
  EXPECT_EQ(RangeReason("Temp", *temp, "Cel"), "value out of range: Temp outside [10, 47] Cel");
  EXPECT_EQ(RangeReason("Weight", *FindPhysiologicalRange(kBodyWeightCode), "kg"),
            "value out of range: Weight outside [0.2, 650] kg");
}

TEST(PhysioNetTerminologyTest, IcuTypes) {
  EXPECT_EQ(PhysioNet2012IcuType(1), "CCU");
  EXPECT_EQ(PhysioNet2012IcuType(4), "SICU");
  EXPECT_FALSE(PhysioNet2012IcuType(0));
  EXPECT_FALSE(PhysioNet2012IcuType(5));
}

// docs/terminology.md documents the table: every variable's row names its code, unit and range.
TEST(PhysioNetTerminologyTest, DocsListEveryVariable) {
  std::ifstream in(testing::SourceDir() / "docs" / "terminology.md");
  ASSERT_TRUE(in) << "docs/terminology.md is missing";
  std::stringstream ss;
  ss << in.rdbuf();
  std::map<std::string, std::string> rows;  // "| name |" rows, by name
  std::string line;
  while (std::getline(ss, line)) {
    if (!line.starts_with("| ")) continue;
    const size_t end = line.find(" |", 2);
    if (end != std::string::npos) rows[line.substr(2, end - 2)] += line;
  }
  for (const PhysioNetVariable& v : AllVariables()) {
    SCOPED_TRACE(std::string(v.name));
    auto it = rows.find(std::string(v.name));
    ASSERT_NE(it, rows.end()) << "no row for " << v.name;
    const PhysiologicalRange* r = FindPhysiologicalRange(v.code);
    EXPECT_NE(it->second.find(std::string(v.code)), std::string::npos);
    EXPECT_NE(it->second.find(fmt::format("`{}`", v.unit)), std::string::npos);
    EXPECT_NE(it->second.find(fmt::format("{} - {}", r->low, r->high)), std::string::npos);
  }
}

}  // namespace
}  // namespace vigil::terminology
