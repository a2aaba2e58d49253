#include "vigil/store/event_columns.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigil::store {
namespace {

// Small dictionaries are searched linearly and large ones through a hash index: either way, and
// across the switch and ReleaseIndex(), a value keeps the index it got first.
TEST(EventColumnsTest, InterningIsStableAcrossDictionarySizesAndReleasedIndexes) {
  for (const size_t n : {1u, 5u, 31u, 32u, 33u, 200u}) {
    EventColumns ev;
    std::vector<uint32_t> subjects, codes, codes_other_unit;
    for (size_t i = 0; i < n; ++i) {
      subjects.push_back(ev.InternSubject("p" + std::to_string(i)));
      codes.push_back(ev.InternCode("LOINC/" + std::to_string(i), "mg/dL"));
      // The same code with another unit is another entry.
      codes_other_unit.push_back(ev.InternCode("LOINC/" + std::to_string(i), "mmol/L"));
      if (i == n / 2) ev.ReleaseIndex();
    }
    ASSERT_EQ(ev.subjects().size(), n) << n;
    ASSERT_EQ(ev.codes().size(), 2 * n) << n;
    for (int pass = 0; pass < 2; ++pass) {
      for (size_t i = 0; i < n; ++i) {
        EXPECT_EQ(ev.InternSubject("p" + std::to_string(i)), subjects[i]) << n << " " << i;
        EXPECT_EQ(ev.InternCode("LOINC/" + std::to_string(i), "mg/dL"), codes[i]) << n;
        EXPECT_EQ(ev.InternCode("LOINC/" + std::to_string(i), "mmol/L"), codes_other_unit[i]);
        EXPECT_EQ(ev.subjects()[subjects[i]], "p" + std::to_string(i));
        EXPECT_EQ(ev.codes()[codes_other_unit[i]].unit, "mmol/L");
      }
      ev.ReleaseIndex();
    }
    EXPECT_EQ(ev.subjects().size(), n) << "re-interning added entries";
    EXPECT_EQ(ev.codes().size(), 2 * n);
    // Empty stay and source ids mean "none" and are not entries.
    EXPECT_EQ(ev.InternStay(""), EventColumns::kNone);
    EXPECT_EQ(ev.InternSource(""), EventColumns::kNone);
    EXPECT_TRUE(ev.stays().empty());
  }
}

// Sources added without a lookup are found by later lookups, before and after the dictionary has
// an index (from 32 entries on).
TEST(EventColumnsTest, NewSourcesAreKnownToLaterLookups) {
  EventColumns ev;
  EXPECT_EQ(ev.AddNewSource(""), EventColumns::kNone);
  for (int i = 0; i < 100; ++i) {
    const std::string source = "Observation/" + std::to_string(i);
    const uint32_t added = ev.AddNewSource(source);
    EXPECT_EQ(added, static_cast<uint32_t>(i));
    EXPECT_EQ(ev.InternSource(source), added);  // builds the index once past 32 entries
  }
  EXPECT_EQ(ev.sources().size(), 100u);
  EXPECT_EQ(ev.InternSource("Observation/7"), 7u);
  EXPECT_EQ(ev.InternSource("Observation/100"), 100u);  // new: appended
  ev.ReleaseIndex();
  EXPECT_EQ(ev.AddNewSource("Observation/101"), 101u);
  EXPECT_EQ(ev.InternSource("Observation/101"), 101u);  // the index rebuilt from all entries
  EXPECT_EQ(ev.sources().size(), 102u);
}

}  // namespace
}  // namespace vigil::store
