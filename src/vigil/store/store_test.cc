#include "vigil/store/store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "vigil/base/file.h"
#include "vigil/store/duck.h"
#include "vigil/store/schema.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::store {
namespace {

using base::Hours;
using base::MakeInstant;

// Every stored record version, by source (a source twice would show as fewer entries than rows).
std::map<std::string, RecordVersion> Versions(Store& s) {
  std::map<std::string, RecordVersion> out;
  int rows = 0;
  EXPECT_TRUE(s.ForEachRecordVersion([&](RecordVersion& v) {
                 ++rows;
                 std::string source = v.source;
                 out.emplace(std::move(source), std::move(v));
               }).ok());
  EXPECT_EQ(static_cast<size_t>(rows), out.size()) << "a source has two rows";
  return out;
}

Batch OneStayBatch(const std::string& id, const std::string& file_hash) {
  Batch b;
  b.subjects.push_back({id, "test", "female", std::nullopt, std::nullopt, std::nullopt});
  Stay s;
  s.stay_id = id;
  s.subject_id = id;
  s.kind = "icu";
  s.start = MakeInstant(2000, 1, 1);
  s.age_years = 54;
  s.source = "test";
  b.stays.push_back(s);
  b.reference_scores.push_back({id, "SAPS-I", 6});
  const uint32_t subject = b.events.InternSubject(id);
  const uint32_t stay = b.events.InternStay(id);
  const uint32_t hr = b.events.InternCode("LOINC/8867-4", "/min");
  const uint32_t source = b.events.InternSource(id + ".txt");
  for (int h = 1; h <= 3; ++h) {
    b.events.AddNumeric(subject, MakeInstant(2000, 1, 1) + Hours(h), hr, 70 + h, stay, source);
  }
  b.rejects.push_back({id + ".txt", "line 9", "value out of range", "09:00,HR,900"});
  b.files.push_back({file_hash, "test", id + ".txt", {5, 3, 1, 1}});
  b.skips.push_back({"empty value (NaN)", 1});
  b.counts = {5, 3, 1, 1};
  return b;
}

TEST(StoreTest, CreatesSchemaAndWritesABatch) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto run = (*store)->StartRun("test", "args", 1);
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE((*store)->WriteBatch(*run, OneStayBatch("s1", "h1")).ok());
  ASSERT_TRUE((*store)->FinishRun(*run, "complete", 0).ok());

  auto stats = (*store)->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->subjects, 1);
  EXPECT_EQ(stats->stays, 1);
  EXPECT_EQ(stats->events, 3);
  EXPECT_EQ(stats->rejects, 1);
  ASSERT_EQ(stats->events_by_code.size(), 1u);
  EXPECT_EQ(stats->events_by_code[0].code, "LOINC/8867-4");
  ASSERT_EQ(stats->runs.size(), 1u);
  EXPECT_EQ(stats->runs[0].status, "complete");
  EXPECT_EQ(stats->runs[0].counts.records_in, 5);
  EXPECT_EQ(stats->runs[0].counts.stored, 3);
  EXPECT_TRUE(stats->runs[0].counts.Balanced());
  ASSERT_EQ(stats->runs[0].skips.size(), 1u);
  EXPECT_EQ(stats->runs[0].skips[0].count, 1);

  auto tl = (*store)->GetTimeline("s1");
  ASSERT_TRUE(tl.ok());
  ASSERT_TRUE(tl->subject.has_value());
  ASSERT_EQ(tl->events.size(), 3u);
  EXPECT_EQ(tl->events[0].numeric_value, 71);
  EXPECT_EQ(tl->events[0].unit, "/min");
  ASSERT_EQ(tl->reference_scores.size(), 1u);
  EXPECT_FALSE((*store)->GetTimeline("nobody")->subject.has_value());

  auto keys = (*store)->IngestedFileKeys();
  ASSERT_TRUE(keys.ok());
  EXPECT_TRUE(keys->count(IngestedFile::Key("h1", "test")));
}

TEST(StoreTest, FailedBatchWritesNothing) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto run = (*store)->StartRun("test", "", 1);
  ASSERT_TRUE(run.ok());
  // Sabotage the last table the batch writes, so the failure comes after subjects, stays and events
  // were appended inside the transaction.
  ASSERT_TRUE((*store)->QueryText("DROP TABLE ingest_skips").ok());
  Batch bad = OneStayBatch("s1", "h1");
  base::Status s = (*store)->WriteBatch(*run, bad);
  ASSERT_FALSE(s.ok());
  auto counts = (*store)->QueryText(
      "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM subjects), (SELECT count(*) "
      "FROM "
      "stays), (SELECT count(*) FROM rejects), (SELECT records_in FROM ingest_runs)");
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ((*counts)[0], (std::vector<std::string>{"0", "0", "0", "0", "0"}));
}

TEST(StoreTest, EventsViewJoinsKeysBackToIdentifiers) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto run = (*store)->StartRun("test", "", 2);
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE((*store)->WriteBatch(*run, OneStayBatch("s1", "h1")).ok());
  Batch second = OneStayBatch("s2", "h2");
  Event text;
  text.subject_id = "s2";
  text.time = MakeInstant(2000, 1, 2);
  text.code = "SNOMED/91302008";
  text.text_value = "finding";
  text.stay_id = "s2";
  second.events.Add(text);
  ASSERT_TRUE((*store)->WriteBatch(*run, second).ok());
  auto rows = (*store)->QueryText(
      "SELECT subject_id, code, coalesce(unit, '-'), coalesce(text_value, '-'), stay_id, "
      "coalesce(source, '-'), count(*) FROM events GROUP BY ALL ORDER BY ALL");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0],
            (std::vector<std::string>{"s1", "LOINC/8867-4", "/min", "-", "s1", "s1.txt", "3"}));
  EXPECT_EQ((*rows)[2],
            (std::vector<std::string>{"s2", "SNOMED/91302008", "-", "finding", "s2", "-", "1"}));
  // The code dictionary holds each (code, unit) once, across batches.
  auto codes = (*store)->QueryText("SELECT count(*) FROM codes");
  ASSERT_TRUE(codes.ok());
  EXPECT_EQ((*codes)[0][0], "2");
}

// Schema version 3 keeps events with text in event_text: vigil_event_batch() leaves them out of
// event_data, whether they are single rows inside a 2,048-row vector, runs across vector borders,
// or fill whole vectors (a vector with no row left is skipped, not ended on), and every other row
// still reaches event_data once, with its keys.
TEST(StoreTest, TextEventsGoToEventTextAndEveryOtherRowToEventData) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto run = (*store)->StartRun("test", "", 1);
  ASSERT_TRUE(run.ok());
  Batch b = OneStayBatch("s1", "h1");  // 3 numeric events in `events`
  int64_t numeric_sum = 71 + 72 + 73, text_sum = 0;
  size_t numeric = 3, text = 0;
  for (size_t p = 0; p < 3; ++p) {
    EventColumns& part = b.event_parts.emplace_back();
    const uint32_t code = part.InternCode("LOINC/8867-4", "/min");
    const uint32_t note = part.InternCode("VIGIL/NOTE", "");
    const uint32_t subject = part.InternSubject("s1");
    const uint32_t source = part.InternSource("part" + std::to_string(p));
    const size_t n = p == 1 ? 10 : 7000;
    for (size_t i = 0; i < n; ++i) {
      const int value = static_cast<int>(p * 10000 + i);
      // Part 0: every 7th row, a run of 4,200 rows covering whole vectors, and its last row are
      // text; part 1 is text only; part 2 has none.
      const bool is_text =
          p == 1 || (p == 0 && (i % 7 == 0 || (i >= 1000 && i < 5200) || i == n - 1));
      const base::Instant t = MakeInstant(2000, 1, 1) + Hours(static_cast<int>(i));
      if (is_text) {
        part.AddText(subject, t, note, std::to_string(value), EventColumns::kNone, source);
        text_sum += value;
        ++text;
      } else {
        part.AddNumeric(subject, t, code, value, EventColumns::kNone, source);
        numeric_sum += value;
        ++numeric;
      }
    }
  }
  // An event with both a number and text (Event allows it) keeps both, in event_text.
  Event both;
  both.subject_id = "s1";
  both.time = MakeInstant(2000, 1, 5);
  both.code = "VIGIL/NOTE";
  both.numeric_value = 5;
  both.text_value = "5";
  both.source = "notes";
  b.events.Add(both);
  ++text;
  text_sum += 5;
  // One DuckDB thread: with more, a thread that ended its scan early would leave the rest to
  // the others and lose nothing.
  ASSERT_TRUE((*store)->QueryText("SET threads = 1").ok());
  ASSERT_TRUE((*store)->WriteBatch(*run, b).ok());
  auto rows = (*store)->QueryText(
      "SELECT (SELECT count(*) FROM event_data), (SELECT sum(numeric_value)::BIGINT FROM "
      "event_data), (SELECT count(*) FROM event_text), (SELECT sum(text_value::BIGINT)::BIGINT "
      "FROM "
      "event_text), (SELECT count(*) FROM events WHERE (text_value IS NULL) = (code = "
      "'VIGIL/NOTE')), (SELECT count(DISTINCT source) FROM events WHERE text_value IS NOT "
      "NULL), (SELECT sum(numeric_value)::BIGINT FROM event_text)");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{std::to_string(numeric),
                                                  std::to_string(numeric_sum), std::to_string(text),
                                                  std::to_string(text_sum), "0", "3", "5"}));
  auto stats = (*store)->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->events, static_cast<int64_t>(numeric + text));
}

// Events in Batch::event_parts are written like those in `events`: every row once, its keys from
// the part's own dictionaries, text values kept, DuckDB's 2,048-row vectors filled across part
// borders, a source named by two parts stored once, and empty parts skipped.
TEST(StoreTest, EventPartsAreWrittenLikeEvents) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto run = (*store)->StartRun("test", "", 1);
  ASSERT_TRUE(run.ok());
  Batch b = OneStayBatch("s1", "h1");  // 3 events in `events`
  b.subjects.push_back({"s2", "test", "male", std::nullopt, std::nullopt, std::nullopt});
  const std::vector<size_t> sizes = {1500, 0, 3000, 700, 2048};
  int64_t expected_sum = 0;
  for (size_t p = 0; p < sizes.size(); ++p) {
    EventColumns& part = b.event_parts.emplace_back();
    // Interned in a different order in each part, so local indices differ from part to part.
    const uint32_t code =
        p % 2 ? part.InternCode("LOINC/8310-5", "Cel") : part.InternCode("LOINC/8867-4", "/min");
    const uint32_t subject = part.InternSubject(p % 2 ? "s2" : "s1");
    const uint32_t other = part.InternSubject(p % 2 ? "s1" : "s2");
    const uint32_t source =
        part.InternSource(p == 2 ? "shared.ndjson" : "part" + std::to_string(p));
    const uint32_t shared = part.InternSource("shared.ndjson");
    for (size_t i = 0; i < sizes[p]; ++i) {
      const int value = static_cast<int>(p * 10000 + i);
      expected_sum += value;
      part.AddNumeric(i % 3 ? subject : other, MakeInstant(2000, 1, 1) + Hours(static_cast<int>(i)),
                      code, value, EventColumns::kNone, i % 5 ? source : shared);
    }
    if (p == 3)
      part.AddText(subject, MakeInstant(2000, 1, 3), code, "note", EventColumns::kNone, source);
  }
  ASSERT_TRUE((*store)->WriteBatch(*run, b).ok());
  auto rows = (*store)->QueryText(
      "SELECT count(*), sum(numeric_value)::BIGINT, count(text_value), count(DISTINCT subject_id), "
      "count(DISTINCT code) FROM events");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  const size_t all = 3 + 1500 + 3000 + 700 + 2048 + 1;
  EXPECT_EQ((*rows)[0],
            (std::vector<std::string>{std::to_string(all),
                                      std::to_string(expected_sum + 71 + 72 + 73), "1", "2", "2"}));
  // Per part and subject: the counts each part's dictionary implies.
  auto part3 = (*store)->QueryText(
      "SELECT subject_id, code, count(*) FROM events WHERE numeric_value >= 30000 AND "
      "numeric_value < 40000 OR text_value IS NOT NULL GROUP BY ALL ORDER BY ALL");
  ASSERT_TRUE(part3.ok());
  ASSERT_EQ(part3->size(), 2u);
  EXPECT_EQ((*part3)[0], (std::vector<std::string>{"s1", "LOINC/8310-5", "234"}));  // i % 3 == 0
  EXPECT_EQ((*part3)[1], (std::vector<std::string>{"s2", "LOINC/8310-5", "467"}));  // + the text
  auto sources = (*store)->QueryText(
      "SELECT count(*), count(DISTINCT source), count(*) FILTER (source = 'shared.ndjson') FROM "
      "sources");
  ASSERT_TRUE(sources.ok());
  EXPECT_EQ((*sources)[0], (std::vector<std::string>{"6", "6", "1"}));
  auto shared = (*store)->QueryText("SELECT count(*) FROM events WHERE source = 'shared.ndjson'");
  ASSERT_TRUE(shared.ok());
  // Every fifth event of each part, and all of part 2's.
  EXPECT_EQ((*shared)[0][0], std::to_string(300 + 3000 + 140 + 410));
}

TEST(StoreTest, ReplacingASourceDeletesItsEvents) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto run = (*store)->StartRun("test", "", 2);
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE((*store)->WriteBatch(*run, OneStayBatch("s1", "h1")).ok());
  Batch update;
  update.replace_sources.push_back("s1.txt");
  Event e;
  e.subject_id = "s1";
  e.time = MakeInstant(2000, 1, 1);
  e.code = "LOINC/8867-4";
  e.unit = "/min";
  e.numeric_value = 99;
  e.source = "s1.txt";
  update.events.Add(e);
  ASSERT_TRUE((*store)->WriteBatch(*run, update).ok());
  auto rows = (*store)->QueryText("SELECT count(*), max(numeric_value) FROM events");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"1", "99"}));
}

TEST(StoreTest, RowsWithAStoredKeyReplaceTheStoredRow) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto run = (*store)->StartRun("test", "args", 2);
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE((*store)->WriteBatch(*run, OneStayBatch("s1", "h1")).ok());
  Batch again = OneStayBatch("s1", "h2");
  again.subjects[0].sex = "male";
  again.stays[0].age_years = 60;
  // The same subject twice in one batch: the last row wins.
  again.subjects.push_back(again.subjects[0]);
  again.subjects.back().sex = "other";
  ASSERT_TRUE((*store)->WriteBatch(*run, again).ok());
  auto rows = (*store)->QueryText(
      "SELECT (SELECT count(*) FROM subjects), (SELECT sex FROM subjects), (SELECT count(*) FROM "
      "stays), (SELECT age_years FROM stays)");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"1", "other", "1", "60"}));

  Batch fresh;  // a new subject twice in one batch
  fresh.subjects.push_back({"s2", "test", "female", std::nullopt, std::nullopt, std::nullopt});
  fresh.subjects.push_back({"s2", "test", "male", std::nullopt, std::nullopt, std::nullopt});
  ASSERT_TRUE((*store)->WriteBatch(*run, fresh).ok());
  rows = (*store)->QueryText("SELECT count(*), max(sex) FROM subjects WHERE subject_id = 's2'");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"1", "male"}));
}

TEST(StoreTest, StayUpdatesSetOnlyTheGivenFields) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto run = (*store)->StartRun("test", "args", 2);
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE((*store)->WriteBatch(*run, OneStayBatch("s1", "h1")).ok());
  Batch later;
  later.stay_updates.push_back({"s1", MakeInstant(2000, 1, 9), "expired"});
  later.stay_updates.push_back({"nobody", MakeInstant(2000, 1, 9), "alive"});  // ignored
  ASSERT_TRUE((*store)->WriteBatch(*run, later).ok());
  auto tl = (*store)->GetTimeline("s1");
  ASSERT_TRUE(tl.ok());
  ASSERT_EQ(tl->stays.size(), 1u);
  EXPECT_EQ(tl->stays[0].end, MakeInstant(2000, 1, 9));
  EXPECT_EQ(tl->stays[0].disposition, "expired");
  EXPECT_EQ(tl->stays[0].age_years, 54);  // untouched
  Batch end_only;
  end_only.stay_updates.push_back({"s1", MakeInstant(2000, 1, 10), std::nullopt});
  ASSERT_TRUE((*store)->WriteBatch(*run, end_only).ok());
  tl = (*store)->GetTimeline("s1");
  EXPECT_EQ(tl->stays[0].end, MakeInstant(2000, 1, 10));
  EXPECT_EQ(tl->stays[0].disposition, "expired");
  auto with = (*store)->StayIdsWithDisposition();
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(*with, std::unordered_set<std::string>{"s1"});
}

TEST(StoreTest, EventForAnUnknownSubjectIsRefusedAndKeysStayConsistent) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto run = (*store)->StartRun("test", "", 1);
  ASSERT_TRUE(run.ok());
  Batch b = OneStayBatch("s1", "h1");
  Event stray;
  stray.subject_id = "ghost";
  stray.time = MakeInstant(2000, 1, 1);
  stray.code = "LOINC/8867-4";
  b.events.Add(stray);
  EXPECT_FALSE((*store)->WriteBatch(*run, b).ok());
  // The failed batch assigned keys in a pending copy only: the same subject written again gets a
  // consistent key and its events join back.
  ASSERT_TRUE((*store)->WriteBatch(*run, OneStayBatch("s1", "h1")).ok());
  auto rows = (*store)->QueryText("SELECT count(*) FROM events WHERE subject_id = 's1'");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0][0], "3");
}

TEST(StoreTest, ReopensAndMarksInterruptedRuns) {
  testing::TempDir dir;
  auto path = dir.path() / "s.duckdb";
  {
    auto store = Store::Open(path, Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->StartRun("test", "", 3).ok());
  }
  auto store = Store::Open(path, Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto stats = (*store)->GetStats();
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->runs.size(), 1u);
  EXPECT_EQ(stats->runs[0].status, "interrupted");
}

TEST(StoreTest, RefusesAStoreFromANewerVigil) {
  testing::TempDir dir;
  auto path = dir.path() / "s.duckdb";
  {
    auto store = Store::Open(path, Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)
                    ->QueryText("UPDATE vigil_meta SET value = '99' WHERE key = 'schema_version'")
                    .ok());
  }
  for (auto mode : {Store::Mode::kReadWrite, Store::Mode::kReadOnly}) {
    auto store = Store::Open(path, mode);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), base::StatusCode::kFailedPrecondition);
    EXPECT_NE(store.status().message().find("newer vigil"), std::string::npos);
  }
}

TEST(StoreTest, RefusesAForeignDatabase) {
  testing::TempDir dir;
  auto path = dir.path() / "other.duckdb";
  {
    auto db = duck::Database::Open(path.string(), false);
    ASSERT_TRUE(db.ok());
    auto conn = (*db)->Connect();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(conn->Exec("CREATE TABLE t (x INTEGER)").ok());
  }
  auto store = Store::Open(path, Store::Mode::kReadWrite);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("not a vigil store"), std::string::npos);
}

TEST(StoreTest, ReadOnlyOpenOfAMissingStoreIsNotFound) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "none.duckdb", Store::Mode::kReadOnly);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), base::StatusCode::kNotFound);
}

TEST(StoreTest, RejectFileHoldsRawRecords) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto run = (*store)->StartRun("test", "", 1);
  ASSERT_TRUE(run.ok());
  Batch b = OneStayBatch("s1", "h1");
  b.rejects.push_back({"s1.txt", "line 10", "binary garbage", std::string("\xff\x00\x01", 3)});
  b.counts.records_in += 1;
  b.counts.rejected += 1;
  ASSERT_TRUE((*store)->WriteBatch(*run, b).ok());
  ASSERT_TRUE((*store)->WriteRejectFile().ok());
  auto text = base::ReadFile((*store)->RejectFilePath());
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("\"location\":\"line 9\""), std::string::npos);
  EXPECT_NE(text->find("\"raw\":\"09:00,HR,900\""), std::string::npos);
  EXPECT_NE(text->find("\"raw_base64\":\"/wAB\""), std::string::npos);
}

// Writes a store of an older schema version at `path` the way that version's vigil made it (the
// version 1 DDL and the migrations up to `version`), then runs `rows` (its data).
::testing::AssertionResult WriteOldStore(const std::filesystem::path& path, int version,
                                         std::string_view rows) {
  auto db = duck::Database::Open(path.string(), false);
  if (!db.ok()) return ::testing::AssertionFailure() << db.status().ToString();
  auto conn = (*db)->Connect();
  if (!conn.ok()) return ::testing::AssertionFailure() << conn.status().ToString();
  std::vector<std::string> sql = {std::string(kSchemaVersion1Sql)};
  for (int v = 1; v < version; ++v) sql.emplace_back(kMigrations[static_cast<size_t>(v - 1)]);
  sql.push_back(fmt::format("INSERT INTO vigil_meta VALUES ('schema_version', '{}')", version));
  sql.emplace_back(rows);
  for (const std::string& statement : sql) {
    base::Status s = conn->Exec(statement);
    if (!s.ok()) return ::testing::AssertionFailure() << s.ToString();
  }
  return ::testing::AssertionSuccess();
}

TEST(StoreTest, MigratesAVersion1StoreAndKeepsItsData) {
  testing::TempDir dir;
  auto path = dir.path() / "v1.duckdb";
  ASSERT_TRUE(WriteOldStore(path, 1,
                            "INSERT INTO subjects VALUES (1, 'old', 'test', 'male', NULL, NULL, "
                            "NULL); INSERT INTO codes VALUES (1, 'LOINC/8867-4', '/min'); "
                            "INSERT INTO codes VALUES (2, 'SNOMED/1', NULL); "
                            "INSERT INTO event_data VALUES (1, TIMESTAMP '2000-01-01', 1, 80, "
                            "NULL, NULL, NULL), (1, TIMESTAMP '2000-01-02', 2, 3, 'seen', "
                            "NULL, NULL)"));
  auto store = Store::Open(path, Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->schema_version(), kSchemaVersion);
  auto version = (*store)->QueryText("SELECT value FROM vigil_meta WHERE key = 'schema_version'");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ((*version)[0][0], std::to_string(kSchemaVersion));
  auto events = (*store)->QueryText(
      "SELECT subject_id, code, coalesce(numeric_value::VARCHAR, '-'), coalesce(text_value, '-') "
      "FROM events ORDER BY time");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0], (std::vector<std::string>{"old", "LOINC/8867-4", "80.0", "-"}));
  EXPECT_EQ((*events)[1], (std::vector<std::string>{"old", "SNOMED/1", "3.0", "seen"}));
  // Version 3: the text event moved to event_text; event_data has no text column.
  auto split = (*store)->QueryText(
      "SELECT (SELECT count(*) FROM event_data), (SELECT count(*) FROM event_text), (SELECT "
      "count(*) FROM duckdb_columns() WHERE table_name = 'event_data' AND column_name = "
      "'text_value')");
  ASSERT_TRUE(split.ok());
  EXPECT_EQ((*split)[0], (std::vector<std::string>{"1", "1", "0"}));
  EXPECT_TRUE(Versions(**store).empty());
}

// Version 4: record_versions joins sources. A source with a version keeps its key (its events
// still point at it), one without keeps its row, and a version without a source row (a record with
// no events) gets a new key.
TEST(StoreTest, MigratesRecordVersionsIntoSources) {
  testing::TempDir dir;
  auto path = dir.path() / "v3.duckdb";
  ASSERT_TRUE(
      WriteOldStore(path, 3,
                    "INSERT INTO subjects VALUES (1, 'p', 'test', NULL, NULL, NULL, NULL); "
                    "INSERT INTO codes VALUES (1, 'LOINC/8867-4', '/min'); "
                    "INSERT INTO sources VALUES (4, 'Observation/o'), (7, 'file.psv'); "
                    "INSERT INTO event_data VALUES (1, TIMESTAMP '2000-01-01', 1, 80, "
                    "NULL, 4), (1, TIMESTAMP '2000-01-02', 1, 81, NULL, 7); "
                    "INSERT INTO record_versions VALUES ('Observation/o', '3', NULL, NULL), "
                    "('Patient/p', NULL, TIMESTAMP '2020-01-02', NULL), "
                    "('Encounter/e', NULL, NULL, 'abc')"));
  auto store = Store::Open(path, Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->schema_version(), kSchemaVersion);
  auto rows = (*store)->QueryText(
      "SELECT source_key, source, coalesce(version_id, '-'), coalesce(last_updated::VARCHAR, '-'), "
      "coalesce(content_hash, '-') FROM sources ORDER BY source_key");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::vector<std::string>>{
                       {"4", "Observation/o", "3", "-", "-"},
                       {"7", "file.psv", "-", "-", "-"},
                       {"8", "Encounter/e", "-", "-", "abc"},
                       {"9", "Patient/p", "-", "2020-01-02 00:00:00", "-"}}));
  auto events = (*store)->QueryText("SELECT source, numeric_value FROM events ORDER BY time");
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(*events,
            (std::vector<std::vector<std::string>>{{"Observation/o", "80"}, {"file.psv", "81"}}));
  auto tables = (*store)->QueryText(
      "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'record_versions'");
  ASSERT_TRUE(tables.ok());
  EXPECT_EQ((*tables)[0][0], "0");
  const auto versions = Versions(**store);
  ASSERT_EQ(versions.size(), 3u);  // file.psv has no version
  EXPECT_EQ(versions.at("Observation/o").version_id, "3");
  EXPECT_EQ(versions.at("Encounter/e").content_hash, "abc");
  // New sources continue after the migrated keys.
  auto run = (*store)->StartRun("test", "", 1);
  ASSERT_TRUE(run.ok());
  Batch b;
  b.record_versions.push_back({"Patient/q", "1", std::nullopt, ""});
  ASSERT_TRUE((*store)->WriteBatch(*run, b).ok());
  auto key = (*store)->QueryText("SELECT source_key FROM sources WHERE source = 'Patient/q'");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ((*key)[0][0], "10");
}

// Version 5: codes get the name the data gave them. A code stored before (a migrated store) or
// first written without a name gets the first name a later batch gives it; a name given once is
// kept; a failed batch's names are not remembered as stored.
TEST(StoreTest, CodesKeepTheFirstNameTheDataGaveThem) {
  testing::TempDir dir;
  auto path = dir.path() / "v4.duckdb";
  ASSERT_TRUE(WriteOldStore(path, 4,
                            "INSERT INTO subjects VALUES (1, 's1', 'test', NULL, NULL, NULL, "
                            "NULL); INSERT INTO codes VALUES (1, 'SNOMED/1', NULL), "
                            "(2, 'SNOMED/2', NULL)"));
  auto store = Store::Open(path, Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_EQ((*store)->schema_version(), kSchemaVersion);
  auto names = (*store)->CodeDisplays();
  ASSERT_TRUE(names.ok());
  EXPECT_TRUE(names->empty());
  auto run = (*store)->StartRun("test", "", 1);
  ASSERT_TRUE(run.ok());
  const auto batch = [](std::vector<std::pair<std::string, std::string>> codes, bool stray) {
    Batch b;
    EventColumns& ev = b.events;
    const uint32_t subject = ev.InternSubject("s1");
    for (const auto& [code, name] : codes) {
      const uint32_t c = ev.InternCode(code, "");
      if (!name.empty()) ev.NameCode(c, name);
      ev.AddPresence(subject, MakeInstant(2000, 1, 1), c, EventColumns::kNone, EventColumns::kNone);
    }
    if (stray) {  // a second part whose event names an unknown subject, read after the codes
      EventColumns& part = b.event_parts.emplace_back();
      part.AddPresence(part.InternSubject("ghost"), MakeInstant(2000, 1, 1),
                       part.InternCode("SNOMED/9", ""), EventColumns::kNone, EventColumns::kNone);
    }
    return b;
  };
  // Refused (an unknown subject, after the names were read): nothing it named counts as named.
  EXPECT_FALSE((*store)->WriteBatch(*run, batch({{"SNOMED/1", "Failed name"}}, true)).ok());
  // SNOMED/1 (stored, unnamed) is named; SNOMED/3 is new and named; SNOMED/4 is new, unnamed.
  ASSERT_TRUE(
      (*store)
          ->WriteBatch(
              *run, batch({{"SNOMED/1", "First"}, {"SNOMED/3", "Third"}, {"SNOMED/4", ""}}, false))
          .ok());
  // A second name is not taken; SNOMED/4, stored without one in the last batch, gets its first.
  ASSERT_TRUE((*store)
                  ->WriteBatch(*run, batch({{"SNOMED/1", "Second"}, {"SNOMED/4", "Fourth"}}, false))
                  .ok());
  names = (*store)->CodeDisplays();
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::map<std::string, std::string, std::less<>>{
                        {"SNOMED/1", "First"}, {"SNOMED/3", "Third"}, {"SNOMED/4", "Fourth"}}));
  auto stats = (*store)->GetStats();
  ASSERT_TRUE(stats.ok());
  std::map<std::string, std::string> by_code;
  for (const CodeCount& c : stats->events_by_code) by_code[c.code] = c.display;
  EXPECT_EQ(by_code, (std::map<std::string, std::string>{
                         {"SNOMED/1", "First"}, {"SNOMED/3", "Third"}, {"SNOMED/4", "Fourth"}}));
  // Reopened, the store knows which codes are named and keeps their first names.
  store->reset();
  store = Store::Open(path, Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  run = (*store)->StartRun("test", "", 1);
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(
      (*store)->WriteBatch(*run, batch({{"SNOMED/3", "Other"}, {"SNOMED/2", "Two"}}, false)).ok());
  auto rows =
      (*store)->QueryText("SELECT code, coalesce(display, '-') FROM codes ORDER BY code_key");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (std::vector<std::vector<std::string>>{{"SNOMED/1", "First"},
                                                          {"SNOMED/2", "Two"},
                                                          {"SNOMED/3", "Third"},
                                                          {"SNOMED/4", "Fourth"}}));
  // Version 6: the events view shows each event's code name in its last column.
  auto events = (*store)->QueryText(
      "SELECT code, coalesce(display, '-') FROM events WHERE code IN ('SNOMED/2', 'SNOMED/3') "
      "ORDER BY code LIMIT 2");
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ(*events,
            (std::vector<std::vector<std::string>>{{"SNOMED/2", "Two"}, {"SNOMED/3", "Third"}}));
  auto last = (*store)->QueryText(
      "SELECT column_name FROM duckdb_columns() WHERE table_name = 'events' ORDER BY "
      "column_index DESC LIMIT 1");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ((*last)[0][0], "display");
}

// `vigil query`: every type as DuckDB writes it; one statement at a time; statements that cannot
// be a subquery still run.
TEST(StoreTest, QueryAsTextWritesEveryTypeAndTakesOneStatement) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  std::vector<std::string> names;
  auto rows = (*store)->QueryAsText(
      "SELECT TIMESTAMP '2020-01-02 03:04:05' AS t, DATE '2020-01-02' AS d, 1.5::DECIMAL(4, 2) AS "
      "x, [1, 2] AS l, 2::HUGEINT AS h, NULL AS n, 'a' AS s;  ",
      &names);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(names, (std::vector<std::string>{"t", "d", "x", "l", "h", "n", "s"}));
  EXPECT_EQ(*rows, (std::vector<std::vector<std::string>>{
                       {"2020-01-02 03:04:05", "2020-01-02", "1.50", "[1, 2]", "2", "", "a"}}));
  auto two = (*store)->QueryAsText("SELECT 1; SELECT 2");
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("one SQL statement"), std::string::npos);
  EXPECT_FALSE((*store)->QueryAsText("SELEC 1").ok());
  auto pragma = (*store)->QueryAsText("SET threads = 1");
  EXPECT_TRUE(pragma.ok()) << pragma.status().ToString();
}

// Version 6: a file is known by its content and how it was read; files recorded before get the
// reading of their run's format, and a file refused whole is not taken as ingested.
TEST(StoreTest, MigratedFilesAreKnownByHowTheirRunReadThem) {
  testing::TempDir dir;
  auto path = dir.path() / "v5.duckdb";
  ASSERT_TRUE(WriteOldStore(
      path, 5,
      "INSERT INTO ingest_runs (run_id, format, started, status) VALUES "
      "(1, 'physionet2019', TIMESTAMP '2020-01-01', 'complete'), "
      "(2, 'fhir', TIMESTAMP '2020-01-01', 'complete'), "
      "(3, 'physionet2012', TIMESTAMP '2020-01-01', 'complete'); "
      "INSERT INTO ingest_files VALUES ('h1', 'in/p1.psv', 1, 3, 3, 0, 0), "
      "('h2', 'in/Observation.ndjson.gz', 2, 1, 1, 0, 0), ('h3', 'b.json', 2, 1, 1, 0, 0), "
      "('h4', '1.txt', 3, 1, 1, 0, 0), ('h5', 'bad.txt', 3, 2, 0, 2, 0)"));
  auto store = Store::Open(path, Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto keys = (*store)->IngestedFileKeys();
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_EQ(std::set<std::string>(keys->begin(), keys->end()),
            (std::set<std::string>{"h1 physionet2019/p1.psv", "h2 fhir/ndjson", "h3 fhir/json",
                                   "h4 physionet2012"}));
}

// A record's version is kept in the sources row of its events; a record without events gets a row
// of its own. Versions listed in another order than the events' sources find their rows too.
TEST(StoreTest, AVersionSharesItsEventsSourceRow) {
  for (bool reversed : {false, true}) {
    testing::TempDir dir;
    auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
    ASSERT_TRUE(store.ok());
    auto run = (*store)->StartRun("test", "", 1);
    ASSERT_TRUE(run.ok());
    Batch b;
    b.subjects.push_back({"p", "test", "", std::nullopt, std::nullopt, std::nullopt});
    const uint32_t subject = b.events.InternSubject("p");
    const uint32_t hr = b.events.InternCode("LOINC/8867-4", "/min");
    for (int i = 1; i <= 3; ++i) {
      const uint32_t source = b.events.AddNewSource("Observation/" + std::to_string(i));
      b.events.AddNumeric(subject, MakeInstant(2000, 1, i), hr, 70 + i, EventColumns::kNone,
                          source);
    }
    std::vector<RecordVersion> versions = {{"Patient/p", "", std::nullopt, "h0"},
                                           {"Observation/1", "1", std::nullopt, ""},
                                           {"Observation/2", "2", std::nullopt, ""},
                                           {"Encounter/e", "", MakeInstant(2020, 1, 1), ""},
                                           {"Observation/3", "", std::nullopt, "h3"}};
    if (reversed) std::reverse(versions.begin(), versions.end());
    b.record_versions = versions;
    ASSERT_TRUE((*store)->WriteBatch(*run, b).ok());
    auto rows = (*store)->QueryText(
        "SELECT s.source, coalesce(s.version_id, '-'), coalesce(s.content_hash, '-'), "
        "count(e.time) FROM sources s LEFT JOIN event_data e ON e.source_key = s.source_key "
        "GROUP BY ALL ORDER BY 1");
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(*rows, (std::vector<std::vector<std::string>>{{"Encounter/e", "-", "-", "0"},
                                                            {"Observation/1", "1", "-", "1"},
                                                            {"Observation/2", "2", "-", "1"},
                                                            {"Observation/3", "-", "h3", "1"},
                                                            {"Patient/p", "-", "h0", "0"}}))
        << (reversed ? "reversed" : "in order");
    EXPECT_EQ(Versions(**store).size(), 5u);
  }
}

TEST(StoreTest, RecordVersionsRoundTrip) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  auto run = (*store)->StartRun("test", "", 1);
  ASSERT_TRUE(run.ok());
  Batch b;
  b.record_versions.push_back({"Observation/1", "3", MakeInstant(2020, 1, 2), ""});
  b.record_versions.push_back({"Observation/2", "", std::nullopt, "abc"});
  ASSERT_TRUE((*store)->WriteBatch(*run, b).ok());
  Batch update;
  update.record_versions.push_back({"Observation/1", "4", std::nullopt, ""});
  update.replace_sources.push_back("Observation/1");
  ASSERT_TRUE((*store)->WriteBatch(*run, update).ok());
  const auto versions = Versions(**store);
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions.at("Observation/1").version_id, "4");
  EXPECT_FALSE(versions.at("Observation/1").last_updated.has_value());
  EXPECT_EQ(versions.at("Observation/2").content_hash, "abc");
}

TEST(StoreTest, RecordVersionsOfReturnsOnlyTheAskedSourcesAndSeesAnOpenTransaction) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  Store& s = **store;
  auto run = s.StartRun("test", "", 1);
  ASSERT_TRUE(run.ok());
  Batch b;
  b.record_versions.push_back({"Observation/1", "3", MakeInstant(2020, 1, 2), ""});
  b.record_versions.push_back({"Observation/2", "", std::nullopt, "abc"});
  ASSERT_TRUE(s.WriteBatch(*run, b).ok());
  auto none = s.RecordVersionsOf({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto some = s.RecordVersionsOf({"Observation/2", "Observation/9", "Observation/2"});
  ASSERT_TRUE(some.ok()) << some.status().ToString();
  ASSERT_EQ(some->size(), 1u);
  EXPECT_EQ((*some)[0].source, "Observation/2");
  EXPECT_EQ((*some)[0].content_hash, "abc");
  ASSERT_TRUE(s.BeginTransaction().ok());
  Batch more;
  more.record_versions.push_back({"Observation/9", "1", std::nullopt, ""});
  ASSERT_TRUE(s.WriteBatch(*run, more).ok());
  auto seen = s.RecordVersionsOf({"Observation/9", "Observation/1"});
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->size(), 2u);
  ASSERT_TRUE(s.RollbackTransaction().ok());
  auto gone = s.RecordVersionsOf({"Observation/9"});
  ASSERT_TRUE(gone.ok()) << gone.status().ToString();
  EXPECT_TRUE(gone->empty());
  int rows = 0;
  ASSERT_TRUE(s.ForEachRecordVersion([&rows](RecordVersion&) { ++rows; }).ok());
  EXPECT_EQ(rows, 2);
}

TEST(StoreTest, AMultiBatchTransactionCommitsOrRollsBackAsOne) {
  testing::TempDir dir;
  auto store = Store::Open(dir.path() / "s.duckdb", Store::Mode::kReadWrite);
  ASSERT_TRUE(store.ok());
  Store& s = **store;
  auto run = s.StartRun("test", "", 2);
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(s.BeginTransaction().ok());
  EXPECT_FALSE(s.BeginTransaction().ok());
  ASSERT_TRUE(s.WriteBatch(*run, OneStayBatch("a", "ha")).ok());
  ASSERT_TRUE(s.WriteBatch(*run, OneStayBatch("b", "hb")).ok());
  auto inside = s.QueryText("SELECT count(*) FROM events");
  ASSERT_TRUE(inside.ok());
  EXPECT_EQ((*inside)[0][0], "6");  // visible inside the transaction
  ASSERT_TRUE(s.RollbackTransaction().ok());
  auto after = s.QueryText("SELECT count(*) FROM events");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*after)[0][0], "0");
  // Keys assigned inside the rolled-back transaction are forgotten: writing again works.
  ASSERT_TRUE(s.BeginTransaction().ok());
  ASSERT_TRUE(s.WriteBatch(*run, OneStayBatch("a", "ha")).ok());
  ASSERT_TRUE(s.WriteBatch(*run, OneStayBatch("c", "hc")).ok());
  ASSERT_TRUE(s.CommitTransaction().ok());
  EXPECT_FALSE(s.in_transaction());
  auto rows = s.QueryText("SELECT count(*), count(DISTINCT subject_id) FROM events");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"6", "2"}));
}

}  // namespace
}  // namespace vigil::store
