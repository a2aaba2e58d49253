#include "vigil/ingest/session.h"

#include <fmt/format.h>
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

// More files than the read-ahead window (256) holds, of growing and shrinking sizes (content
// buffers go back to the parser that read them and are reused), parsed while the store is still
// opening.
TEST(IngestFilesTest, ManyFilesArriveWholeAndInOrderWhileTheStoreOpens) {
  testing::TempDir dir;
  constexpr int kFiles = 700;
  int64_t events = 0;
  double value_sum = 0;
  for (int i = 0; i < kFiles; ++i) {
    std::string content;
    const int lines = 1 + (i * 37) % 23;
    for (int h = 0; h < lines; ++h) {
      content += std::to_string(h) + "," + std::to_string(i) + "\n";
      value_sum += i;
    }
    events += lines;
    dir.Write(fmt::format("in/f{:04}.txt", i), content);
  }
  FilesOptions options = Options();
  options.session.commit_events = 5'000;
  std::vector<int64_t> done;  // files done, as the progress saw them
  options.session.progress = [&done](const Progress& p) { done.push_back(p.files_done); };
  {
    store::OpeningStore opening(dir.path() / "s.duckdb", store::Store::Mode::kReadWrite);
    auto run = IngestFiles(opening, {dir.path() / "in"}, ReadToy, options);
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    EXPECT_EQ(run->files_ingested, kFiles);
    EXPECT_EQ(run->counts.records_in, events);
    EXPECT_EQ(run->counts.stored, events);
    ASSERT_EQ(done.size(), static_cast<size_t>(kFiles));
    for (size_t i = 0; i < done.size(); ++i) EXPECT_EQ(done[i], static_cast<int64_t>(i) + 1);
    auto store = opening.Get();
    ASSERT_TRUE(store.ok());
    // Every file's rows carry its own values: no output was handed to the wrong file.
    auto rows = (*store)->QueryText(
        "SELECT count(*), sum(numeric_value), "
        "count(*) FILTER (WHERE numeric_value <> CAST(substr(stay_id, 2) AS DOUBLE)) "
        "FROM events");
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ((*rows)[0][0], std::to_string(events));
    EXPECT_DOUBLE_EQ(std::stod((*rows)[0][1]), value_sum);
    EXPECT_EQ((*rows)[0][2], "0");
  }
  store::OpeningStore again(dir.path() / "s.duckdb", store::Store::Mode::kReadWrite);
  auto rerun = IngestFiles(again, {dir.path() / "in"}, ReadToy, Options());
  ASSERT_TRUE(rerun.ok()) << rerun.status().ToString();
  EXPECT_EQ(rerun->files_unchanged, kFiles);
  EXPECT_EQ(rerun->counts.records_in, 0);
}

TEST(IngestFilesTest, AStoreThatCannotBeOpenedIsTheRunsError) {
  testing::TempDir dir;
  dir.Write("in/a.txt", "1,80\n");
  dir.Write("not-a-store.duckdb", "this is not a DuckDB file");
  store::OpeningStore opening(dir.path() / "not-a-store.duckdb", store::Store::Mode::kReadWrite);
  auto run = IngestFiles(opening, {dir.path() / "in"}, ReadToy, Options());
  ASSERT_FALSE(run.ok());
  EXPECT_FALSE(opening.Get().ok());
  EXPECT_EQ(run.status().code(), opening.Get().status().code());
}

// One toy file's rows (stay `id`, `n` events) as a part of a streamed file.
store::Batch ToyPart(const std::string& id, int first_hour, int n) {
  FileOutput out;
  out.path = id + ".txt";
  for (int h = first_hour; h < first_hour + n; ++h) out.content += fmt::format("{},{}\n", h, h);
  ReadToy(out);
  return std::move(out.batch);
}

// A new store in `dir` and a run whose every file is written on a writer thread when it ends.
void StartBackgroundRun(const std::filesystem::path& dir, int64_t files, size_t commit_events,
                        std::unique_ptr<store::Store>& store,
                        std::unique_ptr<IngestSession>& session) {
  auto opened = store::Store::Open(dir / "s.duckdb", store::Store::Mode::kReadWrite);
  ASSERT_TRUE(opened.ok());
  store = std::move(*opened);
  SessionOptions options;
  options.background_writes = true;
  options.background_flush_records = 1;  // every file is flushed when it ends
  options.commit_events = commit_events;
  auto started = IngestSession::Start(*store, "toy", "", files, options);
  ASSERT_TRUE(started.ok());
  session = std::move(*started);
}

// SessionOptions::background_writes: files and parts are written on the session's writer thread
// while the caller goes on; Sync hands the store back; a file in parts is still one transaction;
// every row arrives once and the run's counts are the sum of its files'.
TEST(IngestSessionTest, BackgroundWritesStoreEverythingOnceInOrder) {
  testing::TempDir dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<IngestSession> session;
  // A part of 4 events opens the file's transaction.
  StartBackgroundRun(dir.path(), 3, /*commit_events=*/3, store, session);
  ASSERT_NE(session, nullptr);
  IngestSession& ses = *session;

  ASSERT_TRUE(ses.AddPart(ToyPart("a", 0, 2), 10).ok());
  ASSERT_TRUE(ses.EndFile(dir.path() / "a.txt", "hash-a", "test").ok());
  // File b in three parts: the first two are written inside its transaction.
  ASSERT_TRUE(ses.AddPart(ToyPart("b", 0, 4), 10).ok());
  ASSERT_TRUE(ses.AddPart(ToyPart("b", 4, 4), 10).ok());
  ASSERT_TRUE(ses.Sync().ok());
  EXPECT_TRUE(store->in_transaction());
  ASSERT_TRUE(ses.AddPart(ToyPart("b", 8, 1), 10).ok());
  ASSERT_TRUE(ses.EndFile(dir.path() / "b.txt", "hash-b", "test").ok());
  EXPECT_FALSE(store->in_transaction());
  ASSERT_TRUE(ses.AddPart(ToyPart("c", 0, 5), 10).ok());
  ASSERT_TRUE(ses.EndFile(dir.path() / "c.txt", "hash-c", "test").ok());
  // The store is the caller's after Sync: a and b are committed; c may still be in flight.
  ASSERT_TRUE(ses.Sync().ok());
  auto rows = store->QueryText(
      "SELECT stay_id, count(*), sum(numeric_value)::BIGINT FROM events GROUP BY 1 ORDER BY 1");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::vector<std::string>>{
                       {"a", "2", "1"}, {"b", "9", "36"}, {"c", "5", "10"}}));
  auto run = ses.Finish();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->status, "complete");
  EXPECT_EQ(run->files_ingested, 3);
  EXPECT_EQ(run->counts.records_in, 16);
  EXPECT_EQ(run->counts.stored, 16);
  auto files = store->QueryText("SELECT count(*) FROM ingest_files");
  ASSERT_TRUE(files.ok());
  EXPECT_EQ((*files)[0][0], "3");
}

// Background writes queue up behind each other (the caller does not wait for the one before) and
// still reach the store in the order they were flushed: each file replaces the one record of the
// file before it, so only the last file's row may remain.
TEST(IngestSessionTest, QueuedBackgroundWritesKeepTheirOrder) {
  testing::TempDir dir;
  constexpr int kFiles = 12;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<IngestSession> session;
  StartBackgroundRun(dir.path(), kFiles, SessionOptions().commit_events, store, session);
  ASSERT_NE(session, nullptr);
  IngestSession& ses = *session;
  for (int k = 0; k < kFiles; ++k) {
    store::Batch part = ToyPart("x", k, 1);  // one event, hour k, value k, source "x.txt"
    part.replace_sources = {"x.txt"};
    ASSERT_TRUE(ses.AddPart(std::move(part), 10).ok());
    ASSERT_TRUE(
        ses.EndFile(dir.path() / fmt::format("x{}.txt", k), fmt::format("h{}", k), "test").ok());
  }
  auto run = ses.Finish();
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->files_ingested, kFiles);
  EXPECT_EQ(run->counts.stored, kFiles);
  auto rows = store->QueryText("SELECT count(*), max(numeric_value)::BIGINT FROM events");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::vector<std::string>>{{"1", std::to_string(kFiles - 1)}}));
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
