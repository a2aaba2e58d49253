#include "vigil/store/scan.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "vigil/base/file.h"
#include "vigil/store/duck.h"
#include "vigil/store/store.h"
#include "vigil/store/table_file.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::store {
namespace {

using base::Hours;
using base::MakeInstant;

const base::Instant kT0 = MakeInstant(2000, 1, 1);

Batch Subjects(const std::vector<std::string>& ids) {
  Batch b;
  for (const std::string& id : ids) {
    b.subjects.push_back({id, "test", "female", 11000, std::nullopt, std::nullopt});
    Stay s;
    s.stay_id = id + "-stay";
    s.subject_id = id;
    s.kind = "icu";
    s.start = kT0;
    s.end = kT0 + Hours(10);
    s.age_years = 60;
    s.source = "test";
    b.stays.push_back(s);
  }
  return b;
}

void AddEvent(Batch& b, const std::string& subject, int hour, const std::string& code,
              std::optional<double> value, std::optional<std::string> text = std::nullopt,
              bool in_stay = true) {
  Event e;
  e.subject_id = subject;
  e.time = kT0 + Hours(hour);
  e.code = code;
  e.unit = value ? "/min" : "";
  e.numeric_value = value;
  e.text_value = std::move(text);
  e.stay_id = in_stay ? subject + "-stay" : "";
  b.events.Add(e);
}

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Open(dir_.path() / "s.duckdb", Store::Mode::kReadWrite);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    auto run = store_->StartRun("test", "", 1);
    ASSERT_TRUE(run.ok());
    run_ = *run;
  }
  void Write(const Batch& b) { ASSERT_TRUE(store_->WriteBatch(run_, b).ok()); }

  std::vector<EventBlock> Scan(const EventScanOptions& options) {
    std::vector<EventBlock> blocks;
    base::Status s = store_->ScanEvents(options, [&](EventBlock& b) {
      blocks.push_back(std::move(b));
      return base::Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return blocks;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  int64_t run_ = 0;
};

// Several reading threads fill the same block as one: same subjects, events, order and texts.
TEST_F(ScanTest, ThreadsReadTheSameBlockAsOne) {
  std::vector<std::string> ids;
  for (int i = 0; i < 37; ++i) ids.push_back(fmt::format("s{:02}", i));
  Batch b = Subjects(ids);
  for (int i = 0; i < 37; ++i) {
    for (int k = 0; k < (i * 7) % 23 + 1; ++k) {  // uneven counts, hours out of order
      const int hour = (k * 5 + i) % 17;
      if (k % 4 == 0) {
        AddEvent(b, ids[i], hour, "LOINC/67775-7", std::nullopt, fmt::format("t{}-{}", i, k));
      } else {
        AddEvent(b, ids[i], hour, "LOINC/8867-4", 60 + k);
      }
    }
  }
  Write(b);
  EventScanOptions one;
  one.text_values = true;
  one.threads = 1;
  const auto expected = Scan(one);
  ASSERT_EQ(expected.size(), 1u);
  EXPECT_EQ(expected[0].num_subjects(), 37u);
  EXPECT_FALSE(expected[0].texts.empty());
  for (int threads : {2, 3, 8}) {
    EventScanOptions many = one;
    many.threads = threads;
    many.min_events_per_thread = 1;
    const auto got = Scan(many);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].subject_keys, expected[0].subject_keys) << threads;
    EXPECT_EQ(got[0].offsets, expected[0].offsets) << threads;
    EXPECT_EQ(got[0].time, expected[0].time) << threads;
    EXPECT_EQ(got[0].code_key, expected[0].code_key) << threads;
    EXPECT_EQ(got[0].stay_key, expected[0].stay_key) << threads;
    ASSERT_EQ(got[0].value.size(), expected[0].value.size());
    for (size_t i = 0; i < got[0].value.size(); ++i) {
      EXPECT_TRUE(got[0].value[i] == expected[0].value[i] ||
                  (std::isnan(got[0].value[i]) && std::isnan(expected[0].value[i])));
    }
    EXPECT_EQ(got[0].texts, expected[0].texts) << threads;
  }
}

// The concurrent read gives the same lists as ListSubjects and ListStays, inside a transaction too.
TEST_F(ScanTest, SubjectsAndStaysTogetherEqualTheSeparateLists) {
  Write(Subjects({"c", "a", "b"}));
  for (bool in_transaction : {false, true}) {
    if (in_transaction) {
      ASSERT_TRUE(store_->BeginTransaction().ok());
    }
    auto both = store_->ListSubjectsAndStays();
    ASSERT_TRUE(both.ok()) << both.status().ToString();
    auto subjects = store_->ListSubjects();
    auto stays = store_->ListStays();
    ASSERT_TRUE(subjects.ok() && stays.ok());
    ASSERT_EQ(both->subjects.size(), 3u);
    ASSERT_EQ(both->stays.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(both->subjects[i].subject_key, (*subjects)[i].subject_key);
      EXPECT_EQ(both->subjects[i].subject.subject_id, (*subjects)[i].subject.subject_id);
      EXPECT_EQ(both->stays[i].stay_key, (*stays)[i].stay_key);
      EXPECT_EQ(both->stays[i].stay.stay_id, (*stays)[i].stay.stay_id);
    }
    if (in_transaction) {
      ASSERT_TRUE(store_->CommitTransaction().ok());
    }
  }
}

TEST_F(ScanTest, EmptyStoreGivesOneEmptyBlockCoveringEveryKey) {
  auto blocks = Scan({});
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].size(), 0u);
  EXPECT_EQ(blocks[0].first_key, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(blocks[0].last_key, std::numeric_limits<int32_t>::max());
}

TEST_F(ScanTest, GroupsBySubjectAndSortsByTimeAcrossBatches) {
  Batch first = Subjects({"a", "b"});
  AddEvent(first, "b", 5, "LOINC/8867-4", 90);
  AddEvent(first, "a", 3, "LOINC/8867-4", 80);
  AddEvent(first, "a", 1, "LOINC/8867-4", 70);
  Write(first);
  Batch second;
  AddEvent(second, "a", 2, "LOINC/9279-1", 20);
  AddEvent(second, "b", 1, "VIGIL/DEATH", std::nullopt, std::nullopt, /*in_stay=*/false);
  AddEvent(second, "a", 2, "LOINC/8867-4", 75);
  Write(second);

  auto codes = store_->ListCodes();
  ASSERT_TRUE(codes.ok());
  ASSERT_EQ(codes->size(), 3u);
  int32_t hr = 0;
  for (const CodeEntry& c : *codes) {
    if (c.code == "LOINC/8867-4") hr = c.code_key;
  }
  auto blocks = Scan({});
  ASSERT_EQ(blocks.size(), 1u);
  const EventBlock& b = blocks[0];
  ASSERT_EQ(b.num_subjects(), 2u);
  ASSERT_EQ(b.size(), 6u);
  auto subjects = store_->ListSubjects();
  ASSERT_TRUE(subjects.ok());
  ASSERT_EQ(subjects->size(), 2u);
  EXPECT_EQ((*subjects)[0].subject.subject_id, "a");
  EXPECT_EQ((*subjects)[0].subject.birth_date, 11000);
  EXPECT_EQ(b.subject_keys[0], (*subjects)[0].subject_key);
  // Subject a: hours 1, 2 (two codes, ordered by code key), 3.
  ASSERT_EQ(b.offsets, (std::vector<size_t>{0, 4, 6}));
  const int64_t h = base::ToMicros(kT0 + Hours(1)) - base::ToMicros(kT0);
  EXPECT_EQ(b.time[0], base::ToMicros(kT0) + h);
  EXPECT_EQ(b.value[0], 70);
  EXPECT_EQ(b.time[1], b.time[2]);
  EXPECT_LT(b.code_key[1], b.code_key[2]);
  EXPECT_EQ(b.value[3], 80);
  EXPECT_EQ(b.code_key[3], hr);
  // Subject b: the death (no value, no stay) comes first.
  EXPECT_TRUE(std::isnan(b.value[4]));
  EXPECT_EQ(b.stay_key[4], EventBlock::kNoStay);
  EXPECT_NE(b.stay_key[5], EventBlock::kNoStay);

  auto stays = store_->ListStays();
  ASSERT_TRUE(stays.ok());
  ASSERT_EQ(stays->size(), 2u);
  EXPECT_EQ((*stays)[0].stay.stay_id, "a-stay");
  EXPECT_EQ((*stays)[0].subject_key, b.subject_keys[0]);
  EXPECT_EQ((*stays)[0].stay.end, kT0 + Hours(10));
  EXPECT_EQ(b.stay_key[5], (*stays)[1].stay_key);

  // A code filter keeps only those codes.
  EventScanOptions only_hr;
  only_hr.code_keys = std::vector<int32_t>{hr};
  auto filtered = Scan(only_hr);
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0].size(), 4u);
  for (int32_t c : filtered[0].code_key) EXPECT_EQ(c, hr);
}

TEST_F(ScanTest, SplitsIntoBlocksOfWholeSubjectsWithoutGaps) {
  Batch b = Subjects({"a", "b", "c"});
  for (int i = 0; i < 3; ++i) AddEvent(b, "a", i, "LOINC/8867-4", i);
  for (int i = 0; i < 2; ++i) AddEvent(b, "b", i, "LOINC/8867-4", i);
  AddEvent(b, "c", 0, "LOINC/8867-4", 1);
  Write(b);
  EventScanOptions options;
  options.max_block_events = 2;
  auto blocks = Scan(options);
  ASSERT_EQ(blocks.size(), 3u);  // a alone (3 > 2 events, never split), b, c
  EXPECT_EQ(blocks[0].size(), 3u);
  EXPECT_EQ(blocks[1].size(), 2u);
  EXPECT_EQ(blocks[2].size(), 1u);
  EXPECT_EQ(blocks[0].first_key, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(blocks[1].first_key, blocks[0].last_key + 1);
  EXPECT_EQ(blocks[2].first_key, blocks[1].last_key + 1);
  EXPECT_EQ(blocks[2].last_key, std::numeric_limits<int32_t>::max());
}

TEST_F(ScanTest, ReadsTextValuesWhenAsked) {
  Batch b = Subjects({"a"});
  AddEvent(b, "a", 2, "LOINC/67775-7", std::nullopt, "V");
  AddEvent(b, "a", 1, "LOINC/67775-7", std::nullopt, "A");
  AddEvent(b, "a", 1, "LOINC/8867-4", 80);
  Write(b);
  EventScanOptions options;
  options.text_values = true;
  auto blocks = Scan(options);
  ASSERT_EQ(blocks.size(), 1u);
  ASSERT_EQ(blocks[0].texts.size(), 2u);
  EXPECT_EQ(blocks[0].texts[1].second, "V");
  EXPECT_EQ(blocks[0].time[blocks[0].texts[1].first], base::ToMicros(kT0 + Hours(2)));
  EXPECT_EQ(blocks[0].texts[0].second, "A");
  EXPECT_TRUE(Scan({})[0].texts.empty());
}

TEST(TableFileTest, WritesCsvAndParquet) {
  testing::TempDir dir;
  std::vector<std::string> ids = {"p1", "p,2"};
  std::vector<int64_t> times = {base::ToMicros(kT0 + Hours(1)), base::ToMicros(kT0) + 5};
  std::vector<float> matrix = {1.5f, std::nanf(""), 0.25f, 3.0f};  // 2 rows x 2 columns
  std::vector<TableColumn> columns = {{"subject_id", &ids},
                                      {"time", nullptr, &times},
                                      {"LOINC/8867-4.max.6h", nullptr, nullptr, matrix.data(), 2},
                                      {"x", nullptr, nullptr, matrix.data() + 1, 2}};
  const auto csv = dir.path() / "out.csv";
  ASSERT_TRUE(TableFileFormatFor(csv).ok());
  base::Status s = WriteTableFile(columns, 2, csv, TableFileFormat::kCsv);
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto text = base::ReadFile(csv);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "subject_id,time,LOINC/8867-4.max.6h,x\n"
            "p1,2000-01-01T01:00:00Z,1.5,\n"
            "\"p,2\",2000-01-01T00:00:00.000005Z,0.25,3\n");

  const auto parquet = dir.path() / "out.parquet";
  ASSERT_TRUE(WriteTableFile(columns, 2, parquet, TableFileFormat::kParquet).ok());
  auto db = duck::Database::Open(":memory:", false);
  ASSERT_TRUE(db.ok());
  auto conn = (*db)->Connect();
  ASSERT_TRUE(conn.ok());
  auto r = conn->Query(fmt::format(
      "SELECT count(*), sum(\"LOINC/8867-4.max.6h\"), count(x), max(time)::VARCHAR FROM {}",
      duck::SqlLiteral(parquet.string())));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto rows = r->Rows();
  EXPECT_EQ(duck::AsInt(rows[0][0]), 2);
  EXPECT_EQ(duck::AsDouble(rows[0][1]), 1.75);
  EXPECT_EQ(duck::AsInt(rows[0][2]), 1);
  EXPECT_EQ(duck::AsString(rows[0][3]), "2000-01-01 01:00:00");

  EXPECT_FALSE(TableFileFormatFor(dir.path() / "out.xlsx").ok());
  std::vector<TableColumn> twice = {columns[0], columns[0]};
  EXPECT_EQ(WriteTableFile(twice, 2, csv, TableFileFormat::kCsv).code(),
            base::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::store
