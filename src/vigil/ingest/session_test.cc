#include "vigil/ingest/session.h"

#include <gtest/gtest.h>

#include "vigil/base/text.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::ingest {
namespace {

// A toy format: the file name (without .txt) is the stay; each line "hour,value"; "NaN" is empty.
void ReadToy(FileOutput& out) {
  store::Batch& b = out.batch;
  const std::string id = out.path.stem().string();
  b.subjects.push_back({id, "toy", std::nullopt, std::nullopt, std::nullopt, std::nullopt});
  store::Stay stay;
  stay.stay_id = id;
  stay.subject_id = id;
  stay.kind = "icu";
  stay.source = "toy";
  b.stays.push_back(stay);
  const uint32_t subject = b.events.InternSubject(id);
  const uint32_t stay_index = b.events.InternStay(id);
  const uint32_t code = b.events.InternCode("TOY/X", "1");
  const uint32_t source = b.events.InternSource(out.path.filename().string());
  int line_no = 0;
  for (std::string_view line : base::Split(out.content, '\n')) {
    ++line_no;
    if (line.empty()) continue;
    auto parts = base::Split(line, ',');
    auto hour = parts.size() == 2 ? base::ParseInt64(parts[0]) : std::nullopt;
    if (parts.size() == 2 && parts[1] == "NaN") {
      AddSkip(b, "empty value (NaN)");
      continue;
    }
    auto value = parts.size() == 2 ? base::ParseDouble(parts[1]) : std::nullopt;
    if (!hour || !value) {
      AddReject(b, out.path, "line " + std::to_string(line_no), "malformed line", line);
      continue;
    }
    b.events.AddNumeric(subject, base::MakeInstant(2000, 1, 1) + base::Hours(*hour), code, *value,
                        stay_index, source);
    b.counts.records_in += 1;
    b.counts.stored += 1;
  }
}

void RejectWhole(FileOutput& out, std::string_view reason) {
  store::Batch rejected;
  int line_no = 0;
  for (std::string_view line : base::Split(out.content, '\n')) {
    ++line_no;
    if (!line.empty())
      AddReject(rejected, out.path, "line " + std::to_string(line_no), reason, line);
  }
  out.batch = std::move(rejected);
}

FilesOptions Options() {
  FilesOptions o;
  o.format = "toy";
  o.suffixes = {".txt"};
  o.session.reject_whole_file = RejectWhole;
  o.session.commit_events = 2;  // several transactions even for tiny inputs
  return o;
}

TEST(IngestFilesTest, CountsBalanceAndRerunsStoreNothingNew) {
  testing::TempDir dir;
  dir.Write("in/a.txt", "1,80\n2,NaN\n3,x\n");
  dir.Write("in/b.txt", "1,90\n2,91\n");
  auto store = store::Store::Open(dir.path() / "s.duckdb", store::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto run = IngestFiles(**store, {dir.path() / "in"}, ReadToy, Options());
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->status, "complete");
  EXPECT_EQ(run->files_ingested, 2);
  EXPECT_EQ(run->counts.records_in, 5);
  EXPECT_EQ(run->counts.stored, 3);
  EXPECT_EQ(run->counts.rejected, 1);
  EXPECT_EQ(run->counts.skipped, 1);
  ASSERT_EQ(run->skips.size(), 1u);
  EXPECT_EQ(run->skips[0].reason, "empty value (NaN)");

  auto again = IngestFiles(**store, {dir.path() / "in"}, ReadToy, Options());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->files_unchanged, 2);
  EXPECT_EQ(again->counts.records_in, 0);
  auto stats = (*store)->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->events, 3);
  EXPECT_EQ(stats->rejects, 1);
}

TEST(IngestFilesTest, AFileRepeatingAStayIsRejectedWhole) {
  testing::TempDir dir;
  dir.Write("one/a.txt", "1,80\n");
  dir.Write("two/a.txt", "1,81\n2,82\n");
  auto store = store::Store::Open(dir.path() / "s.duckdb", store::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto run = IngestFiles(**store, {dir.path() / "one", dir.path() / "two"}, ReadToy, Options());
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->counts.records_in, 3);
  EXPECT_EQ(run->counts.stored, 1);
  EXPECT_EQ(run->counts.rejected, 2);
  auto rejects = (*store)->GetRejects(run->run_id);
  ASSERT_TRUE(rejects.ok());
  ASSERT_EQ(rejects->size(), 2u);
  EXPECT_EQ((*rejects)[1].location, "line 2");
  EXPECT_EQ((*rejects)[1].raw, "2,82");
  EXPECT_NE((*rejects)[1].reason.find("duplicate record"), std::string::npos);
}

TEST(IngestFilesTest, UnbalancedReaderIsABugNotData) {
  testing::TempDir dir;
  dir.Write("in/a.txt", "1,80\n");
  auto store = store::Store::Open(dir.path() / "s.duckdb", store::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto bad = [](FileOutput& out) { out.batch.counts.records_in = 1; };
  auto run = IngestFiles(**store, {dir.path() / "in"}, bad, Options());
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), base::StatusCode::kInternal);
  auto stats = (*store)->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->runs.back().status, "failed");
}

TEST(IngestFilesTest, MissingInputIsNotFound) {
  testing::TempDir dir;
  auto store = store::Store::Open(dir.path() / "s.duckdb", store::Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto run = IngestFiles(**store, {dir.path() / "nope"}, ReadToy, Options());
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), base::StatusCode::kNotFound);
}

}  // namespace
}  // namespace vigil::ingest
