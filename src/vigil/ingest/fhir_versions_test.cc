#include "vigil/ingest/fhir_versions.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil::ingest::fhir {
namespace {

TEST(HashSet64Test, HoldsWhatWasInsertedAcrossGrowth) {
  HashSet64 set;
  EXPECT_FALSE(set.Contains(0));
  for (uint64_t i = 0; i < 100'000; i += 2) set.Insert(i * 0x9e3779b97f4a7c15ULL);
  set.Insert(0);                          // 0 is stored like any other hash
  set.Insert(2 * 0x9e3779b97f4a7c15ULL);  // again: no duplicate
  EXPECT_EQ(set.size(), 50'000u);         // 0 and i = 0 give the same hash
  for (uint64_t i = 0; i < 100'000; ++i) {
    EXPECT_EQ(set.Contains(i * 0x9e3779b97f4a7c15ULL), i % 2 == 0) << i;
  }
}

TEST(VersionIndexTest, PatientsAndEncountersExactlyOthersAsMaybe) {
  VersionIndex index;
  const KnownVersion* v = nullptr;
  EXPECT_EQ(index.Find("Patient/p1", &v), VersionIndex::Known::kNo);
  EXPECT_EQ(index.Find("Observation/o1", &v), VersionIndex::Known::kNo);
  index.Add({"Patient/p1", "2", std::nullopt, ""}, /*from_this_run=*/false);
  index.Add({"Observation/o1", "7", std::nullopt, ""}, /*from_this_run=*/true);
  ASSERT_EQ(index.Find("Patient/p1", &v), VersionIndex::Known::kYes);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->version.version_id, "2");
  EXPECT_FALSE(v->from_this_run);
  EXPECT_EQ(index.Find("Observation/o1", &v), VersionIndex::Known::kMaybe);
  EXPECT_EQ(v, nullptr);
  EXPECT_EQ(index.Find("Observation/o2", &v), VersionIndex::Known::kNo);
  EXPECT_EQ(index.Find("Encounter/o1", &v), VersionIndex::Known::kNo);
  index.Add({"Patient/p1", "3", std::nullopt, ""}, /*from_this_run=*/true);
  ASSERT_EQ(index.Find("Patient/p1", &v), VersionIndex::Known::kYes);
  EXPECT_EQ(v->version.version_id, "3");
  EXPECT_TRUE(v->from_this_run);
  EXPECT_EQ(index.size(), 2u);
}

}  // namespace
}  // namespace vigil::ingest::fhir
