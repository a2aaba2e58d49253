// `vigil ingest` as users run it (the built binary, VIGIL_BINARY_DIR): exit statuses and summary.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/base/file.h"
#include "vigil/base/text.h"
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

// An empty value is a usage error before anything runs: `--store ""` stored a run in no file.
TEST(IngestCliTest, AnEmptyValueIsAUsageError) {
  testing::TempDir dir;
  dir.Write("in/p1.psv", fixtures::File2019({fixtures::Row2019(1, {{"HR", "80"}})}));
  Outcome empty = Vigil(dir, fmt::format("ingest --store '' --format physionet2019 '{}'",
                                         (dir.path() / "in").string()));
  EXPECT_EQ(empty.status, 2) << empty.output;
  EXPECT_NE(empty.output.find("--store: an empty value is not allowed"), std::string::npos)
      << empty.output;
  EXPECT_FALSE(fs::exists(fs::current_path() / ".rejects.ndjson"));
}

// What users read after an ingest: `vigil stats --json` (the keys issue 2 names, each run's
// balanced counts) and `vigil timeline` (a subject's events in time order).
TEST(IngestCliTest, StatsJsonAndTimelineShowWhatWasStored) {
  testing::TempDir dir;
  dir.Write("in/p1.psv", fixtures::File2019({fixtures::Row2019(1, {{"HR", "80"}}),
                                             fixtures::Row2019(2, {{"HR", "91"}})}));
  dir.Write("in/p2.psv", fixtures::File2019({fixtures::Row2019(1, {{"HR", "8O"}})}));
  const std::string store = (dir.path() / "s.duckdb").string();
  ASSERT_EQ(Vigil(dir, fmt::format("ingest --store '{}' --format physionet2019 '{}'", store,
                                   (dir.path() / "in").string()))
                .status,
            3);

  Outcome stats = Vigil(dir, fmt::format("stats --store '{}' --json", store));
  ASSERT_EQ(stats.status, 0) << stats.output;
  const auto j = nlohmann::json::parse(stats.output, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << stats.output;
  for (const char* key : {"subjects", "stays", "events", "rejects", "runs"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j.value("subjects", -1), 2);
  EXPECT_EQ(j.value("rejects", -1), 1);
  // p1: two HR values and the ICU admission; p2: the admission (its HR is rejected).
  EXPECT_EQ(j.value("events", -1), 4);
  ASSERT_TRUE(j["runs"].is_array());
  ASSERT_EQ(j["runs"].size(), 1u);
  const auto& run = j["runs"][0];
  EXPECT_EQ(run.value("rejected", -1), 1);
  EXPECT_EQ(run.value("records_in", -1),
            run.value("stored", 0) + run.value("rejected", 0) + run.value("skipped", 0));

  Outcome timeline = Vigil(dir, fmt::format("timeline --store '{}' p1", store));
  ASSERT_EQ(timeline.status, 0) << timeline.output;
  // The heart rate lines (LOINC/8867-4), in time order.
  std::vector<std::string_view> heart_rates;
  for (std::string_view line : base::Split(timeline.output, '\n')) {
    if (line.find("LOINC/8867-4") != std::string_view::npos) heart_rates.push_back(line);
  }
  ASSERT_EQ(heart_rates.size(), 2u) << timeline.output;
  EXPECT_NE(heart_rates[0].find(" 80 "), std::string::npos) << timeline.output;
  EXPECT_NE(heart_rates[1].find(" 91 "), std::string::npos) << timeline.output;
  // vigil query: tab-separated rows, with --header the column names first.
  const std::string sql = "SELECT subject_id, count(*) AS events FROM events GROUP BY 1 ORDER BY 1";
  Outcome query = Vigil(dir, fmt::format("query --store '{}' \"{}\"", store, sql));
  ASSERT_EQ(query.status, 0) << query.output;
  EXPECT_EQ(query.output, "p1\t3\np2\t1\n");
  Outcome with_header = Vigil(dir, fmt::format("query --store '{}' --header \"{}\"", store, sql));
  EXPECT_EQ(with_header.output, "subject_id\tevents\np1\t3\np2\t1\n");

  // Codes vigil names are shown with their name, in the timeline and in the text stats.
  EXPECT_NE(heart_rates[0].find(" Heart rate "), std::string::npos) << timeline.output;
  Outcome text = Vigil(dir, fmt::format("stats --store '{}'", store));
  ASSERT_EQ(text.status, 0) << text.output;
  EXPECT_NE(text.output.find("LOINC/8867-4             (/min)       Heart rate\n"),
            std::string::npos)
      << text.output;
  ASSERT_TRUE(j["events_by_code"].is_array());
  ASSERT_FALSE(j["events_by_code"].empty());
  const auto& top = j["events_by_code"][0];
  EXPECT_EQ(top.value("code", ""), "LOINC/8867-4");
  EXPECT_EQ(top.value("count", 0), 2);
  EXPECT_EQ(top.value("name", ""), "Heart rate");
}

// A FHIR code vigil has no name for is shown with the display its coding gave.
TEST(IngestCliTest, FhirCodesAreShownWithTheDisplayTheirCodingGave) {
  testing::TempDir dir;
  dir.Write("in/Patient.ndjson", R"({"resourceType":"Patient","id":"p1"})"
                                 "\n");
  dir.Write("in/Encounter.ndjson",
            R"({"resourceType":"Encounter","id":"e1","class":{"code":"AMB"},"type":[{"coding":[)"
            R"({"system":"http://snomed.info/sct","code":"185349003","display":"Check up"}]}],)"
            R"("subject":{"reference":"Patient/p1"},"period":{"start":"2020-01-02"}})"
            "\n");
  dir.Write("in/Condition.ndjson",
            R"({"resourceType":"Condition","id":"c1","code":{"coding":[{"system":)"
            R"("http://snomed.info/sct","code":"44054006","display":"Diabetes mellitus type 2"}]},)"
            R"("subject":{"reference":"Patient/p1"},"onsetDateTime":"2020-01-02"})"
            "\n");
  const std::string store = (dir.path() / "s.duckdb").string();
  ASSERT_EQ(Vigil(dir, fmt::format("ingest --store '{}' --format fhir '{}'", store,
                                   (dir.path() / "in").string()))
                .status,
            0);
  Outcome timeline = Vigil(dir, fmt::format("timeline --store '{}' p1", store));
  ASSERT_EQ(timeline.status, 0) << timeline.output;
  EXPECT_NE(timeline.output.find("SNOMED/44054006 Diabetes mellitus type 2"), std::string::npos)
      << timeline.output;
  EXPECT_NE(timeline.output.find("  type SNOMED/185349003 Check up\n"), std::string::npos)
      << timeline.output;
  // Filters: a vocabulary, a stay; the shown share is said; an unknown stay is an error.
  Outcome conditions = Vigil(dir, fmt::format("timeline --store '{}' p1 --code SNOMED/", store));
  ASSERT_EQ(conditions.status, 0) << conditions.output;
  EXPECT_NE(conditions.output.find("SNOMED/44054006"), std::string::npos) << conditions.output;
  EXPECT_NE(conditions.output.find("1 of the subject's 1 events shown"), std::string::npos)
      << conditions.output;
  Outcome none = Vigil(dir, fmt::format("timeline --store '{}' p1 --code LOINC/8867-4", store));
  ASSERT_EQ(none.status, 0) << none.output;
  EXPECT_EQ(none.output.find("SNOMED/44054006"), std::string::npos) << none.output;
  EXPECT_NE(none.output.find("0 of the subject's 1 events shown"), std::string::npos)
      << none.output;
  Outcome stay = Vigil(dir, fmt::format("timeline --store '{}' p1 --stay e1", store));
  ASSERT_EQ(stay.status, 0) << stay.output;
  EXPECT_NE(stay.output.find("stay e1  ambulatory"), std::string::npos) << stay.output;
  EXPECT_EQ(stay.output.find("SNOMED/44054006"), std::string::npos) << stay.output;  // no stay
  EXPECT_NE(Vigil(dir, fmt::format("timeline --store '{}' p1 --stay e2", store)).status, 0);
  Outcome text = Vigil(dir, fmt::format("stats --store '{}'", store));
  ASSERT_EQ(text.status, 0) << text.output;
  EXPECT_NE(text.output.find("SNOMED/44054006                       Diabetes mellitus type 2\n"),
            std::string::npos)
      << text.output;
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
  Outcome fhir_outcomes = Vigil(dir, fmt::format("ingest --store '{}' --format fhir '{}' "
                                                 "--outcomes '{}/p1.psv'",
                                                 store, in, in));
  EXPECT_EQ(fhir_outcomes.status, 2) << fhir_outcomes.output;
  Outcome no_outcomes = Vigil(dir, fmt::format("ingest --store '{}' --format physionet2012 '{}' "
                                               "--outcomes '{}/Outcomes-a.txt'",
                                               store, in, in));
  EXPECT_EQ(no_outcomes.status, 1) << no_outcomes.output;
  EXPECT_NE(no_outcomes.output.find("no such file"), std::string::npos) << no_outcomes.output;
  // None of these usage errors and missing paths left a new, empty store behind.
  EXPECT_FALSE(std::filesystem::exists(store));
}

}  // namespace
}  // namespace vigil::ingest
