// The PhysioNet formats end to end: files on disk -> `vigil ingest`'s format table -> the store.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "vigil/ingest/formats.h"
#include "vigil/ingest/physionet_fixtures.h"
#include "vigil/store/records.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::ingest {
namespace {

using fixtures::File2019;
using fixtures::Record2012;
using fixtures::Row2019;

constexpr std::string_view kOutcomesHeader =
    "RecordID,SAPS-I,SOFA,Length_of_stay,Survival,In-hospital_death\n";

std::unique_ptr<store::Store> OpenStore(const testing::TempDir& dir) {
  auto store = store::Store::Open(dir.path() / "s.duckdb", store::Store::Mode::kReadWrite);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return std::move(store).value();
}

base::Result<store::RunSummary> Ingest(store::Store& store, const std::string& format,
                                       std::vector<std::filesystem::path> inputs,
                                       std::vector<std::filesystem::path> outcomes = {}) {
  const Format* f = FindFormat(format);
  if (f == nullptr) return base::NotFoundError("no format " + format);
  IngestRequest request;
  request.inputs = std::move(inputs);
  request.outcomes = std::move(outcomes);
  request.arguments = "test";
  store::OpeningStore open(store);
  return f->run(open, request);
}

std::set<std::string> Column(store::Store& store, const std::string& sql) {
  auto rows = store.QueryText(sql);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  std::set<std::string> out;
  if (rows.ok()) {
    for (const auto& r : *rows) out.insert(r.at(0));
  }
  return out;
}

// Three stays: 1 dies in hospital on day 1, 2 survives, 3 survives and dies on day 400.
void WritePhysioNet2012(const testing::TempDir& dir) {
  dir.Write("physionet2012/set-a/1.txt", Record2012("1", "00:07,HR,73\n47:00,HR,70\n"));
  dir.Write("physionet2012/set-a/2.txt", Record2012("2", "00:07,HR,80\n01:00,Temp,-17.8\n"));
  dir.Write("physionet2012/set-a/3.txt", Record2012("3", "00:07,GCS,15\n"));
  dir.Write(
      "physionet2012/Outcomes-a.txt",
      std::string(kOutcomesHeader) + "1,20,9,3,1,1\n2,10,2,6,-1,0\n3,5,1,7,400,0\n4,1,1,1,-1,0\n");
}

// The mortality label as the downstream task defines it: a death between 48 h and the stay's end.
constexpr const char* kDiedInStay =
    "SELECT DISTINCT s.stay_id FROM stays s JOIN events e ON e.stay_id = s.stay_id "
    "WHERE e.code = 'VIGIL/DEATH' AND e.time >= s.start_time + INTERVAL 48 HOUR "
    "AND e.time <= s.end_time";

// Task specs check `cohort.sources` against store::kSources: every format is one of them.
TEST(FormatsTest, EveryFormatIsAKnownSource) {
  for (const Format& f : Formats()) {
    EXPECT_NE(std::find(store::kSources.begin(), store::kSources.end(), f.name),
              store::kSources.end())
        << f.name;
  }
  EXPECT_EQ(Formats().size(), store::kSources.size());
}

TEST(PhysioNetIngestTest, PhysioNet2012WithOutcomes) {
  testing::TempDir dir;
  WritePhysioNet2012(dir);
  auto store = OpenStore(dir);
  // The outcomes file also lies under the input folder: it is read once, as outcomes.
  auto run = Ingest(*store, "physionet2012", {dir.path() / "physionet2012"},
                    {dir.path() / "physionet2012" / "Outcomes-a.txt"});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->files_in, 4);
  EXPECT_EQ(run->files_ingested, 4);
  // 3 files x 6 descriptors + 5 measurement lines + 4 outcome lines.
  EXPECT_EQ(run->counts.records_in, 27);
  EXPECT_EQ(run->counts.stored, 27 - 3 - 2);
  EXPECT_EQ(run->counts.rejected, 2);  // Temp -17.8, RecordID 4
  EXPECT_EQ(run->counts.skipped, 3);   // Height -1
  EXPECT_EQ(Column(*store, kDiedInStay), std::set<std::string>{"1"});
  EXPECT_EQ(Column(*store,
                   "SELECT stay_id || ' ' || disposition || ' ' || "
                   "strftime(end_time, '%d %H') FROM stays"),
            (std::set<std::string>{"1 expired 04 00", "2 alive 07 00", "3 alive 08 00"}));
  EXPECT_EQ(Column(*store, "SELECT count(*) FROM reference_scores"), std::set<std::string>{"6"});
  EXPECT_EQ(Column(*store, "SELECT DISTINCT reason FROM rejects"),
            (std::set<std::string>{"value out of range: Temp outside [10, 47] Cel",
                                   "unknown RecordID (no such stay in the store: ingest the record "
                                   "files first or together)"}));

  auto again = Ingest(*store, "physionet2012", {dir.path() / "physionet2012"},
                      {dir.path() / "physionet2012" / "Outcomes-a.txt"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->files_unchanged, 4);
  EXPECT_EQ(again->counts.records_in, 0);
}

TEST(PhysioNetIngestTest, OutcomesInALaterRun) {
  testing::TempDir dir;
  WritePhysioNet2012(dir);
  auto store = OpenStore(dir);
  ASSERT_TRUE(Ingest(*store, "physionet2012", {dir.path() / "physionet2012" / "set-a"}).ok());
  EXPECT_TRUE(Column(*store, kDiedInStay).empty());
  auto run = Ingest(*store, "physionet2012", {dir.path() / "physionet2012" / "set-a"},
                    {dir.path() / "physionet2012" / "Outcomes-a.txt"});
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->files_unchanged, 3);
  EXPECT_EQ(run->counts.records_in, 4);
  EXPECT_EQ(Column(*store, kDiedInStay), std::set<std::string>{"1"});
  // A second outcomes file naming the same stays adds nothing (outcomes alone: no record files).
  dir.Write("Outcomes-b.txt", std::string(kOutcomesHeader) + "1,20,9,3,1,1\n");
  auto repeat = Ingest(*store, "physionet2012", {}, {dir.path() / "Outcomes-b.txt"});
  ASSERT_TRUE(repeat.ok());
  EXPECT_EQ(repeat->counts.rejected, 1);
  EXPECT_EQ(Column(*store, "SELECT count(*) FROM events WHERE code = 'VIGIL/DEATH'"),
            std::set<std::string>{"2"});
}

TEST(PhysioNetIngestTest, PhysioNet2012FileRepeatingAStayIsRejectedWhole) {
  testing::TempDir dir;
  dir.Write("set-a/1.txt", Record2012("1", "00:07,HR,73\n"));
  dir.Write("set-a/copy-of-1.txt", Record2012("1", "00:07,HR,74\n"));
  auto store = OpenStore(dir);
  auto run = Ingest(*store, "physionet2012", {dir.path() / "set-a"});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->counts.records_in, 7 + 8);  // the second file's 8 lines, header included
  EXPECT_EQ(run->counts.rejected, 8);
  EXPECT_EQ(Column(*store, "SELECT DISTINCT reason FROM rejects"),
            std::set<std::string>{"duplicate record: stay already stored from another file"});
  EXPECT_EQ(Column(*store, "SELECT numeric_value FROM events WHERE code = 'LOINC/8867-4'"),
            std::set<std::string>{"73"});
}

TEST(PhysioNetIngestTest, MissingOutcomesFileIsAnError) {
  testing::TempDir dir;
  WritePhysioNet2012(dir);
  auto store = OpenStore(dir);
  auto run = Ingest(*store, "physionet2012", {dir.path() / "physionet2012" / "set-a"},
                    {dir.path() / "nope.txt"});
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), base::StatusCode::kNotFound);
}

TEST(PhysioNetIngestTest, PhysioNet2019FileRepeatingAStayIsRejectedWhole) {
  testing::TempDir dir;
  dir.Write("a/p1.psv", File2019({Row2019(1, {{"HR", "80"}}, 1)}));
  dir.Write("b/p1.psv", File2019({Row2019(1, {{"HR", "81"}}), Row2019(2, {{"HR", "82"}})}));
  auto store = OpenStore(dir);
  auto run = Ingest(*store, "physionet2019", {dir.path() / "a", dir.path() / "b"});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->counts.rejected, 3);  // every line of b/p1.psv, header included
  EXPECT_EQ(run->counts.stored, 1 + 5);
  auto rejects = store->GetRejects(run->run_id);
  ASSERT_TRUE(rejects.ok());
  ASSERT_EQ(rejects->size(), 3u);
  EXPECT_EQ((*rejects)[2].reason, "duplicate record: stay already stored from another file");
  EXPECT_EQ((*rejects)[2].location, "line 3");
  EXPECT_EQ(Column(*store,
                   "SELECT strftime(time, '%Y-%m-%d %H:%M:%S') FROM events WHERE code = "
                   "'VIGIL/SEPSIS_ONSET'"),
            std::set<std::string>{"2000-01-01 07:00:00"});

  auto again = Ingest(*store, "physionet2019", {dir.path() / "a"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->files_unchanged, 1);
  EXPECT_EQ(Column(*store, "SELECT count(*) FROM events"), std::set<std::string>{"3"});
}

// A 2019 file's name is its patient: the same bytes under another name are another patient.
TEST(PhysioNetIngestTest, PhysioNet2019CopyUnderAnotherNameIsAnotherPatient) {
  testing::TempDir dir;
  const std::string content = File2019({Row2019(1, {{"HR", "80"}})});
  dir.Write("a/p1.psv", content);
  dir.Write("a/p2.psv", content);
  auto store = OpenStore(dir);
  auto run = Ingest(*store, "physionet2019", {dir.path() / "a"});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->files_ingested, 2);
  EXPECT_EQ(run->files_unchanged, 0);
  EXPECT_EQ(Column(*store, "SELECT stay_id FROM stays"), (std::set<std::string>{"p1", "p2"}));
  auto again = Ingest(*store, "physionet2019", {dir.path() / "a"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->files_unchanged, 2);
}

// A file refused whole (nothing stored) is not taken as ingested: equal copies in one run are each
// reported, and a later run reads it again, as what it is (an outcomes file first given as a record
// file, then with --outcomes).
TEST(PhysioNetIngestTest, AFileRefusedWholeIsReadAgain) {
  testing::TempDir dir;
  WritePhysioNet2012(dir);
  dir.Write("bad/x1.psv", "garbage\n");
  dir.Write("bad/x2.psv", "garbage\n");
  auto store = OpenStore(dir);
  auto bad = Ingest(*store, "physionet2019", {dir.path() / "bad"});
  ASSERT_TRUE(bad.ok()) << bad.status().ToString();
  EXPECT_EQ(bad->files_unchanged, 0);
  EXPECT_EQ(bad->counts.rejected, 2);
  auto bad_again = Ingest(*store, "physionet2019", {dir.path() / "bad"});
  ASSERT_TRUE(bad_again.ok());
  EXPECT_EQ(bad_again->counts.rejected, 2);

  const auto outcomes = dir.path() / "physionet2012" / "Outcomes-a.txt";
  auto wrong = Ingest(*store, "physionet2012", {dir.path() / "physionet2012" / "set-a", outcomes});
  ASSERT_TRUE(wrong.ok()) << wrong.status().ToString();
  EXPECT_EQ(wrong->counts.rejected, 5 + 1);  // the outcomes file's 5 lines; Temp -17.8
  EXPECT_EQ(Column(*store, "SELECT count(*) FROM reference_scores"), std::set<std::string>{"0"});
  auto right =
      Ingest(*store, "physionet2012", {dir.path() / "physionet2012" / "set-a"}, {outcomes});
  ASSERT_TRUE(right.ok()) << right.status().ToString();
  EXPECT_EQ(right->files_unchanged, 3);
  EXPECT_EQ(right->counts.stored, 3);
  EXPECT_EQ(Column(*store, "SELECT count(*) FROM reference_scores"), std::set<std::string>{"6"});
  EXPECT_EQ(Column(*store, kDiedInStay), std::set<std::string>{"1"});
}

// A file that cannot be read is one rejected record (location "file"), and the run goes on. Tests
// may run as root, whom file modes do not stop: /proc/self/mem fails every read at offset 0.
TEST(PhysioNetIngestTest, AnUnreadableFileIsARejectAndTheRunGoesOn) {
  testing::TempDir dir;
  dir.Write("a/p1.psv", File2019({Row2019(1, {{"HR", "80"}})}));
  std::filesystem::create_symlink("/proc/self/mem", dir.path() / "a" / "p2.psv");
  auto store = OpenStore(dir);
  auto run = Ingest(*store, "physionet2019", {dir.path() / "a"});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->counts.rejected, 1);
  EXPECT_TRUE(run->counts.Balanced());
  EXPECT_EQ(Column(*store, "SELECT stay_id FROM stays"), std::set<std::string>{"p1"});
  auto rejects = store->GetRejects(run->run_id);
  ASSERT_TRUE(rejects.ok());
  ASSERT_EQ(rejects->size(), 1u);
  EXPECT_EQ((*rejects)[0].location, "file");
  EXPECT_EQ((*rejects)[0].reason.rfind("cannot read the file (", 0), 0u) << (*rejects)[0].reason;
  // An outcomes file (read after the record files) too.
  WritePhysioNet2012(dir);
  std::filesystem::create_symlink("/proc/self/mem", dir.path() / "Outcomes-x.txt");
  auto outcomes = Ingest(*store, "physionet2012", {dir.path() / "physionet2012" / "set-a"},
                         {dir.path() / "Outcomes-x.txt"});
  ASSERT_TRUE(outcomes.ok()) << outcomes.status().ToString();
  EXPECT_EQ(outcomes->counts.rejected, 1 + 1);  // the outcomes file; Temp -17.8
  EXPECT_EQ(Column(*store, "SELECT count(*) FROM stays WHERE stay_id IN ('1', '2', '3')"),
            std::set<std::string>{"3"});
}

TEST(PhysioNetIngestTest, OutcomesAreOnlyFor2012) {
  testing::TempDir dir;
  dir.Write("a/p1.psv", File2019({Row2019(1)}));
  auto store = OpenStore(dir);
  auto run = Ingest(*store, "physionet2019", {dir.path() / "a"}, {dir.path() / "a" / "p1.psv"});
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), base::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::ingest
