// The `vigil synth` command end to end (needs the built `vigil` binary; skipped without it).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "vigil/base/file.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::synth {
namespace {

namespace fs = std::filesystem;

fs::path VigilBinary() { return testing::BinaryDir() / "vigil"; }

int RunVigil(const std::string& args) {
  const fs::path vigil = VigilBinary();
  const int rc = std::system((vigil.string() + " " + args + " >/dev/null 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

class SynthCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(VigilBinary())) GTEST_SKIP() << "vigil binary not built";
  }
};

TEST_F(SynthCommandTest, WritesADataSetAndReplacesAnEarlierOne) {
  testing::TempDir d;
  const std::string out = (d.path() / "hospital").string();
  ASSERT_EQ(RunVigil("synth --patients 12 --seed 4 --days 30 --out " + out), 0);
  for (const char* f : {"Patient.ndjson", "Encounter.ndjson", "Observation.ndjson",
                        "Condition.ndjson", "MedicationAdministration.ndjson", "truth/patients.csv",
                        "truth/admissions.csv", "truth/events.csv", "truth/hours.csv"}) {
    EXPECT_TRUE(fs::exists(fs::path(out) / f)) << f;
  }
  auto first = base::ReadFile(fs::path(out) / "Observation.ndjson");
  ASSERT_EQ(RunVigil("synth --patients 12 --seed 4 --days 30 --out " + out + " --threads 1"), 0);
  auto again = base::ReadFile(fs::path(out) / "Observation.ndjson");
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(*first, *again);
  ASSERT_EQ(RunVigil("synth --patients 3 --seed 4 --out " + out + " --no-truth"), 0);
  EXPECT_FALSE(fs::exists(fs::path(out) / "truth" / "hours.csv"));  // stale truth removed
}

TEST_F(SynthCommandTest, HelpAndUsageErrors) {
  EXPECT_EQ(RunVigil("synth --help"), 0);
  EXPECT_EQ(RunVigil("synth --patients 5"), 2);               // no --out
  EXPECT_EQ(RunVigil("synth --patients 0 --out /tmp/x"), 2);  // not positive
  EXPECT_EQ(RunVigil("synth --patients 5 --start 2024-13-01 --dry-run"), 2);
  EXPECT_EQ(RunVigil("synth --patients 5 --dry-run"), 0);
}

}  // namespace
}  // namespace vigil::synth
