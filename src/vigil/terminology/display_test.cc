#include "vigil/terminology/display.h"

#include <gtest/gtest.h>

#include "vigil/terminology/code.h"
#include "vigil/terminology/physionet.h"

namespace vigil::terminology {
namespace {

TEST(CodeDisplayTest, NamesKnownCodesAndNothingElse) {
  EXPECT_TRUE(internal::DisplayTableIsSorted());
  EXPECT_EQ(CodeDisplay("LOINC/9279-1"), "Respiratory rate");
  EXPECT_EQ(CodeDisplay(kDeath), "Death");
  EXPECT_EQ(CodeDisplay("LOINC/9279"), "");
  EXPECT_EQ(CodeDisplay("SNOMED/91302008"), "");
  EXPECT_EQ(CodeDisplay(""), "");
}

// vigil's own names come first; the data's names fill in the codes vigil does not name.
TEST(CodeNamesTest, OwnNamesFirstThenTheData) {
  const CodeNames names({{"LOINC/9279-1", "Resp rate (from the data)"},
                         {"SNOMED/44054006", "Diabetes mellitus type 2"}});
  EXPECT_EQ(names.Display("LOINC/9279-1"), "Respiratory rate");
  EXPECT_EQ(names.Display("SNOMED/44054006"), "Diabetes mellitus type 2");
  EXPECT_EQ(names.Display("SNOMED/1"), "");
  EXPECT_EQ(CodeNames().Display("LOINC/9279-1"), "Respiratory rate");
  EXPECT_EQ(CodeNames().Display("SNOMED/44054006"), "");
  EXPECT_EQ(PreferredName("LOINC/9279-1", "Resp rate"), "Respiratory rate");
  EXPECT_EQ(PreferredName("SNOMED/1", "From the data"), "From the data");
  EXPECT_EQ(PreferredName("SNOMED/1", ""), "");
}

// Every PhysioNet variable has a name.
TEST(CodeDisplayTest, CoversEveryPhysioNetVariable) {
  for (const auto& table : {PhysioNet2012Parameters(), PhysioNet2019Columns()}) {
    for (const PhysioNetVariable& v : table) {
      EXPECT_FALSE(CodeDisplay(v.code).empty()) << v.name;
    }
  }
}

}  // namespace
}  // namespace vigil::terminology
