#include "vigil/terminology/code.h"

#include <gtest/gtest.h>

namespace vigil::terminology {
namespace {

TEST(CodeTest, MakesVocabularyCodes) {
  EXPECT_EQ(MakeCode("LOINC", "8867-4"), "LOINC/8867-4");
  EXPECT_EQ(VocabularyForSystem("http://loinc.org"), "LOINC");
  EXPECT_EQ(VocabularyForSystem("http://snomed.info/sct"), "SNOMED");
  EXPECT_FALSE(VocabularyForSystem("urn:oid:1.2.3").has_value());
}

}  // namespace
}  // namespace vigil::terminology
