// `vigil ingest` as users run it (the built binary, VIGIL_BINARY_DIR): exit statuses and summary.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "vigil/base/file.h"
#include "vigil/ingest/physionet_fixtures.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::ingest {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int status = -1;
  std::string output;  // standard output and error
};

Outcome Vigil(const testing::TempDir& dir, const std::string& args) {
  const fs::path log = dir.path() / "out.txt";
  const std::string command = fmt::format(
      "'{}' {} > '{}' 2>&1", (testing::BinaryDir() / "vigil").string(), args, log.string());
  const int raw = std::system(command.c_str());
  Outcome o;
  o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  auto output = base::ReadFile(log);
  if (output.ok()) o.output = *output;
  return o;
}

TEST(IngestCliTest, ExitStatusTellsWhetherRecordsWereRejected) {
  testing::TempDir dir;
  dir.Write("clean/p1.psv", fixtures::File2019({fixtures::Row2019(1, {{"HR", "80"}})}));
  dir.Write("dirty/p2.psv", fixtures::File2019({fixtures::Row2019(1, {{"HR", "8O"}})}));
  const std::string store = (dir.path() / "s.duckdb").string();

  Outcome clean = Vigil(dir, fmt::format("ingest --store '{}' --format physionet2019 '{}'", store,
                                         (dir.path() / "clean").string()));
  EXPECT_EQ(clean.status, 0) << clean.output;
  EXPECT_NE(clean.output.find("records   39 in = 6 stored + 0 rejected + 33 skipped"),
            std::string::npos)
      << clean.output;

  Outcome dirty = Vigil(dir, fmt::format("ingest --store '{}' --format physionet2019 '{}'", store,
                                         (dir.path() / "dirty").string()));
  EXPECT_EQ(dirty.status, 3) << dirty.output;
  EXPECT_NE(dirty.output.find("rejected  1 malformed value (not a number)"), std::string::npos)
      << dirty.output;
  auto rejects = base::ReadFile(store + ".rejects.ndjson");
  ASSERT_TRUE(rejects.ok());
  EXPECT_NE(rejects->find("\"location\":\"line 2, column HR\""), std::string::npos) << *rejects;

  Outcome again = Vigil(dir, fmt::format("ingest --store '{}' --format physionet2019 '{}'", store,
                                         (dir.path() / "clean").string()));
  EXPECT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.output.find("1 unchanged"), std::string::npos) << again.output;
}

TEST(IngestCliTest, UsageErrors) {
  testing::TempDir dir;
  dir.Write("in/p1.psv", fixtures::File2019({fixtures::Row2019(1)}));
  const std::string store = (dir.path() / "s.duckdb").string();
  const std::string in = (dir.path() / "in").string();
  EXPECT_EQ(Vigil(dir, fmt::format("ingest --store '{}' --format nope '{}'", store, in)).status, 2);
  Outcome outcomes = Vigil(dir, fmt::format("ingest --store '{}' --format physionet2019 '{}' "
                                            "--outcomes '{}/p1.psv'",
                                            store, in, in));
  EXPECT_EQ(outcomes.status, 2) << outcomes.output;
  EXPECT_NE(outcomes.output.find("--outcomes is only for --format physionet2012"),
            std::string::npos);
  EXPECT_EQ(
      Vigil(dir, fmt::format("ingest --store '{}' --format physionet2019 '{}/missing'", store, in))
          .status,
      1);
}

}  // namespace
}  // namespace vigil::ingest
