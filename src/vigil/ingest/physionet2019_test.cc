// The PhysioNet 2019 reader, one kind of input per test (LevelDB log_test style).
#include "vigil/ingest/physionet2019.h"

#include <gtest/gtest.h>

#include "vigil/ingest/physionet_fixtures.h"
#include "vigil/ingest/physionet_text.h"

namespace vigil::ingest {
namespace {

using base::Hours;
using fixtures::File2019;
using fixtures::Row2019;
using fixtures::Stay2019;
using physionet::kEpoch;

// Records per file besides the measurement cells: Age, Gender, unit, HospAdmTime, SepsisLabel.
constexpr int64_t kStayRecords = 5;
constexpr int64_t kCellsPerRow = 34;

FileOutput Read(std::string content) {
  return fixtures::ReadContent(ReadPhysioNet2019, "training/p100001.psv", std::move(content));
}

void ExpectCounts(const FileOutput& out, int64_t in, int64_t stored, int64_t rejected,
                  int64_t skipped) {
  const store::Counts& c = out.batch.counts;
  EXPECT_EQ(c.records_in, in);
  EXPECT_EQ(c.stored, stored);
  EXPECT_EQ(c.rejected, rejected);
  EXPECT_EQ(c.skipped, skipped);
  EXPECT_TRUE(c.Balanced());
  EXPECT_EQ(static_cast<int64_t>(out.batch.rejects.size()), c.rejected);
}

std::vector<store::Event> EventsWith(const FileOutput& out, std::string_view code) {
  std::vector<store::Event> events;
  for (size_t i = 0; i < out.batch.events.size(); ++i) {
    store::Event e = out.batch.events.Get(i);
    if (e.code == code) events.push_back(e);
  }
  return events;
}

TEST(PhysioNet2019Test, EveryCellIsOneEventAtItsHour) {
  FileOutput out = Read(File2019({Row2019(1), Row2019(2, {{"HR", "93"}, {"O2Sat", "92.5"}}),
                                  Row2019(3, {{"HR", "90"}, {"FiO2", "0.4"}, {"SaO2", "97"}})}));
  ExpectCounts(out, 3 * kCellsPerRow + kStayRecords, 5 + kStayRecords, 0, 3 * kCellsPerRow - 5);
  auto hr = EventsWith(out, "LOINC/8867-4");
  ASSERT_EQ(hr.size(), 2u);
  EXPECT_EQ(hr[0].time, kEpoch + Hours(2));
  EXPECT_EQ(hr[0].numeric_value, 93);
  EXPECT_EQ(hr[0].subject_id, "p100001");
  EXPECT_EQ(hr[0].stay_id, "p100001");
  EXPECT_EQ(hr[0].source, "p100001.psv");
  EXPECT_EQ(EventsWith(out, "LOINC/59408-5").at(0).numeric_value, 92.5);  // pulse oximetry
  EXPECT_EQ(EventsWith(out, "LOINC/2708-6").at(0).numeric_value, 97);     // arterial
  EXPECT_EQ(EventsWith(out, "LOINC/3150-0").at(0).numeric_value, 40);     // 0.4 -> 40 %
  EXPECT_EQ(EventsWith(out, "VIGIL/ICU_ADMISSION").at(0).time, kEpoch);
  EXPECT_TRUE(EventsWith(out, "VIGIL/SEPSIS_ONSET").empty());

  const store::Subject& subject = out.batch.subjects.at(0);
  EXPECT_EQ(subject.subject_id, "p100001");
  EXPECT_EQ(subject.sex, "male");
  const store::Stay& stay = out.batch.stays.at(0);
  EXPECT_EQ(stay.kind, "icu");
  EXPECT_EQ(stay.start, kEpoch);
  EXPECT_EQ(stay.end, kEpoch + Hours(3));
  EXPECT_EQ(stay.age_years, 73);
  EXPECT_EQ(stay.unit, "MICU");
  EXPECT_EQ(stay.hospital_admit, kEpoch - base::Duration(static_cast<int64_t>(214.64 * 3600e6)));
  ASSERT_EQ(out.batch.skips.size(), 1u);
  EXPECT_EQ(out.batch.skips[0].reason, "empty value (NaN)");
}

TEST(PhysioNet2019Test, SepsisOnsetIsSixHoursAfterTheFirstLabel) {
  FileOutput out =
      Read(File2019({Row2019(1), Row2019(2, {}, 0), Row2019(3, {}, 1), Row2019(4, {}, 1)}));
  auto onset = EventsWith(out, "VIGIL/SEPSIS_ONSET");
  ASSERT_EQ(onset.size(), 1u);
  EXPECT_EQ(onset[0].time, kEpoch + Hours(9));
}

TEST(PhysioNet2019Test, DecreasingSepsisLabelIsRejected) {
  FileOutput out = Read(File2019({Row2019(1, {}, 1), Row2019(2, {}, 0)}));
  ExpectCounts(out, 2 * kCellsPerRow + kStayRecords, kStayRecords - 1, 1, 2 * kCellsPerRow);
  EXPECT_EQ(out.batch.rejects[0].reason, "SepsisLabel returns to 0 after 1");
  EXPECT_EQ(out.batch.rejects[0].location, "line 3, column SepsisLabel");
  EXPECT_TRUE(EventsWith(out, "VIGIL/SEPSIS_ONSET").empty());
  FileOutput bad = Read(File2019({Row2019(1, {}, 2)}));
  EXPECT_EQ(bad.batch.rejects.at(0).reason, "invalid SepsisLabel (expected 0 or 1)");
}

TEST(PhysioNet2019Test, CrlfLineEndingsParseLikeLf) {
  const std::string lf = File2019({Row2019(1, {{"HR", "80"}}), Row2019(2, {{"Temp", "37.2"}})});
  const std::string crlf = fixtures::WithCrlf(lf);
  FileOutput a = Read(lf), b = Read(crlf);
  ExpectCounts(b, 2 * kCellsPerRow + kStayRecords, 2 + kStayRecords, 0, 2 * kCellsPerRow - 2);
  ASSERT_EQ(a.batch.events.size(), b.batch.events.size());
  EXPECT_EQ(EventsWith(b, "LOINC/8310-5").at(0).numeric_value, 37.2);
}

TEST(PhysioNet2019Test, EmptyFile) {
  FileOutput out = Read("");
  ExpectCounts(out, 1, 0, 1, 0);
  EXPECT_EQ(out.batch.rejects[0].reason, "empty file");
  EXPECT_EQ(out.batch.rejects[0].location, "file");
}

TEST(PhysioNet2019Test, WrongHeaderRejectsEveryLine) {
  std::string content = File2019({Row2019(1, {{"HR", "80"}})});
  content.replace(0, 2, "hr");
  FileOutput out = Read(content);
  ExpectCounts(out, 2, 0, 2, 0);
  EXPECT_EQ(out.batch.rejects[1].reason, "wrong header (expected the 41 PhysioNet 2019 columns)");
  EXPECT_EQ(out.batch.rejects[1].location, "line 2");
  EXPECT_TRUE(out.batch.stays.empty());
}

TEST(PhysioNet2019Test, HeaderOnly) {
  FileOutput out = Read(File2019({}));
  ExpectCounts(out, 1, 0, 1, 0);
  EXPECT_EQ(out.batch.rejects[0].reason, "no rows after the header");
}

TEST(PhysioNet2019Test, BinaryGarbage) {
  FileOutput out = Read(std::string("PK\x03\x04\0\0\x08\0", 8));
  ExpectCounts(out, 1, 0, 1, 0);
  EXPECT_EQ(out.batch.rejects[0].reason, "binary content (NUL bytes: not a text file)");
}

TEST(PhysioNet2019Test, TruncatedLastRow) {
  std::string content = File2019({Row2019(1, {{"HR", "80"}}), Row2019(2, {{"HR", "81"}})});
  content.resize(content.size() - 150);  // cut inside the last row
  FileOutput out = Read(content);
  // The cut row keeps its HR cell (rejected: the row cannot be trusted) and some NaN cells.
  const int64_t cut_cells =
      std::min<int64_t>(kCellsPerRow, out.batch.counts.records_in - kCellsPerRow - kStayRecords);
  ExpectCounts(out, kCellsPerRow + cut_cells + kStayRecords, 1 + kStayRecords, 1,
               kCellsPerRow - 1 + cut_cells - 1);
  EXPECT_EQ(out.batch.rejects[0].reason, "truncated line (no newline at end of file)");
  EXPECT_EQ(out.batch.rejects[0].location, "line 3, column HR");
}

TEST(PhysioNet2019Test, MalformedCellIsTheOnlyReject) {
  FileOutput out = Read(File2019({Row2019(1, {{"HR", "8O"}, {"Resp", "18"}})}));
  ExpectCounts(out, kCellsPerRow + kStayRecords, 1 + kStayRecords, 1, kCellsPerRow - 2);
  EXPECT_EQ(out.batch.rejects[0].reason, "malformed value (not a number)");
  EXPECT_EQ(out.batch.rejects[0].location, "line 2, column HR");
  EXPECT_EQ(out.batch.rejects[0].raw, Row2019(1, {{"HR", "8O"}, {"Resp", "18"}}));
}

TEST(PhysioNet2019Test, ValueOverflowingItsUnitIsRejected) {
  FileOutput out = Read(File2019({Row2019(1, {{"FiO2", "1e307"}})}));
  ExpectCounts(out, kCellsPerRow + kStayRecords, kStayRecords, 1, kCellsPerRow - 1);
  EXPECT_EQ(out.batch.rejects[0].reason,
            "value too large (not a finite number in the canonical unit)");
}

TEST(PhysioNet2019Test, OutOfRangeCellsAreStoredAsTheyAre) {
  FileOutput out = Read(File2019({Row2019(1, {{"FiO2", "4000"}, {"Temp", "50"}, {"HR", "0"}})}));
  ExpectCounts(out, kCellsPerRow + kStayRecords, 3 + kStayRecords, 0, kCellsPerRow - 3);
  EXPECT_EQ(EventsWith(out, "LOINC/3150-0").at(0).numeric_value, 400000);
}

TEST(PhysioNet2019Test, BadHoursRejectTheirRow) {
  std::string fractional_hour = Row2019(3, {{"HR", "84"}});
  fractional_hour.replace(fractional_hour.size() - 4, 4, "|3.5|0");
  FileOutput out =
      Read(File2019({Row2019(2, {{"HR", "80"}}), Row2019(2, {{"HR", "81"}}),
                     Row2019(1, {{"HR", "82"}}), Row2019(-1, {{"HR", "83"}}), fractional_hour}));
  ExpectCounts(out, 5 * kCellsPerRow + kStayRecords, 1 + kStayRecords, 4, 5 * (kCellsPerRow - 1));
  EXPECT_EQ(out.batch.rejects[0].reason, "duplicate hour (ICULOS repeats the row before)");
  EXPECT_EQ(out.batch.rejects[0].location, "line 3, column HR");
  EXPECT_EQ(out.batch.rejects[1].reason, "ICULOS out of order (earlier than the row before)");
  EXPECT_EQ(out.batch.rejects[2].reason, "ICULOS out of range (0 to 87600 hours)");
  EXPECT_EQ(out.batch.rejects[3].reason, "malformed ICULOS (expected whole hours)");
}

TEST(PhysioNet2019Test, WrongFieldCount) {
  FileOutput out = Read(File2019({Row2019(1, {{"HR", "80"}}), "93|92|37"}));
  ExpectCounts(out, kCellsPerRow + 3 + kStayRecords, 1 + kStayRecords, 3, kCellsPerRow - 1);
  EXPECT_EQ(out.batch.rejects[0].reason, "wrong number of fields (expected 41)");
}

TEST(PhysioNet2019Test, RowsMustRepeatTheStayColumns) {
  Stay2019 other;
  other.age = "74";
  FileOutput out =
      Read(File2019({Row2019(1, {{"HR", "80"}}), Row2019(2, {{"HR", "81"}}, 0, other)}));
  ExpectCounts(out, 2 * kCellsPerRow + kStayRecords, 1 + kStayRecords, 1, 2 * kCellsPerRow - 2);
  EXPECT_EQ(out.batch.rejects[0].reason,
            "stay columns differ from the first row (Age, Gender, Unit1, Unit2, HospAdmTime)");
}

TEST(PhysioNet2019Test, StayColumns) {
  Stay2019 unknown{"NaN", "NaN", "NaN", "NaN", "NaN"};
  FileOutput out = Read(File2019({Row2019(1, {}, 0, unknown)}));
  ExpectCounts(out, kCellsPerRow + kStayRecords, 1, 0, kCellsPerRow + 4);
  EXPECT_FALSE(out.batch.stays[0].unit || out.batch.stays[0].age_years);

  Stay2019 bad{"x", "2", "1", "1", "soon"};
  FileOutput rejected = Read(File2019({Row2019(1, {}, 0, bad)}));
  ExpectCounts(rejected, kCellsPerRow + kStayRecords, 1, 4, kCellsPerRow);
  EXPECT_EQ(rejected.batch.rejects[0].reason, "malformed value (not a number)");
  EXPECT_EQ(rejected.batch.rejects[0].location, "line 2, column Age");
  EXPECT_EQ(rejected.batch.rejects[1].reason, "invalid Gender (expected 0, 1 or NaN)");
  EXPECT_EQ(rejected.batch.rejects[2].reason,
            "invalid Unit1/Unit2 (expected exactly one of them 1)");
  EXPECT_EQ(rejected.batch.rejects[3].location, "line 2, column HospAdmTime");

  Stay2019 surgical;
  surgical.unit1 = "0";
  surgical.unit2 = "1";
  surgical.gender = "0";
  FileOutput sicu = Read(File2019({Row2019(1, {}, 0, surgical)}));
  EXPECT_EQ(sicu.batch.stays[0].unit, "SICU");
  EXPECT_EQ(sicu.batch.subjects[0].sex, "female");
}

}  // namespace
}  // namespace vigil::ingest
