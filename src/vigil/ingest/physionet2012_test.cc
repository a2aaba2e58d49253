// The PhysioNet 2012 record-file reader, one kind of input per test (LevelDB log_test style).
#include "vigil/ingest/physionet2012.h"

#include <gtest/gtest.h>

#include "vigil/ingest/physionet_fixtures.h"
#include "vigil/ingest/physionet_text.h"

namespace vigil::ingest {
namespace {

using fixtures::Record2012;
using physionet::kEpoch;

FileOutput Read(std::string content) {
  return fixtures::ReadContent(ReadPhysioNet2012, "set-a/132539.txt", std::move(content));
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

// The single reject's reason (and location / raw through the out-parameters).
std::string OnlyReject(const FileOutput& out, std::string* location = nullptr,
                       std::string* raw = nullptr) {
  if (out.batch.rejects.size() != 1) {
    ADD_FAILURE() << "expected one reject, got " << out.batch.rejects.size();
    return "";
  }
  if (location) *location = out.batch.rejects[0].location;
  if (raw) *raw = out.batch.rejects[0].raw;
  return out.batch.rejects[0].reason;
}

// Events with `code`, in order.
std::vector<store::Event> EventsWith(const FileOutput& out, std::string_view code) {
  std::vector<store::Event> events;
  for (size_t i = 0; i < out.batch.events.size(); ++i) {
    store::Event e = out.batch.events.Get(i);
    if (e.code == code) events.push_back(e);
  }
  return events;
}

TEST(PhysioNet2012Test, ReadsDescriptorsAndMeasurements) {
  FileOutput out = Read(Record2012("132539", "00:07,HR,73\n00:07,FiO2,0.5\n01:37,Temp,35.6\n"));
  ExpectCounts(out, 9, 8, 0, 1);  // Height -1 is skipped
  ASSERT_EQ(out.batch.subjects.size(), 1u);
  EXPECT_EQ(out.batch.subjects[0].subject_id, "132539");
  EXPECT_EQ(out.batch.subjects[0].sex, "female");
  ASSERT_EQ(out.batch.stays.size(), 1u);
  const store::Stay& stay = out.batch.stays[0];
  EXPECT_EQ(stay.stay_id, "132539");
  EXPECT_EQ(stay.kind, "icu");
  EXPECT_EQ(stay.start, kEpoch);
  EXPECT_EQ(stay.age_years, 54);
  EXPECT_EQ(stay.height_cm, std::nullopt);
  EXPECT_EQ(stay.weight_kg, 80);
  EXPECT_EQ(stay.unit, "SICU");
  ASSERT_EQ(out.batch.skips.size(), 1u);
  EXPECT_EQ(out.batch.skips[0].reason, "unknown value (-1)");

  auto hr = EventsWith(out, "LOINC/8867-4");
  ASSERT_EQ(hr.size(), 1u);
  EXPECT_EQ(hr[0].time, kEpoch + base::Minutes(7));
  EXPECT_EQ(hr[0].numeric_value, 73);
  EXPECT_EQ(hr[0].unit, "/min");
  EXPECT_EQ(hr[0].stay_id, "132539");
  EXPECT_EQ(hr[0].source, "132539.txt");
  auto fio2 = EventsWith(out, "LOINC/3150-0");
  ASSERT_EQ(fio2.size(), 1u);
  EXPECT_EQ(fio2[0].numeric_value, 50);  // fraction 0.5 -> 50 %
  EXPECT_EQ(fio2[0].unit, "%");
  EXPECT_EQ(EventsWith(out, "LOINC/8310-5")[0].time, kEpoch + base::Minutes(97));
  auto admission = EventsWith(out, "VIGIL/ICU_ADMISSION");
  ASSERT_EQ(admission.size(), 1u);
  EXPECT_EQ(admission[0].time, kEpoch);
}

TEST(PhysioNet2012Test, OnlyTheFirstWeightAtMidnightIsTheDescriptor) {
  FileOutput out = Read(Record2012("1", "00:00,Weight,81\n05:00,Weight,82\n", "80"));
  ExpectCounts(out, 8, 7, 0, 1);
  EXPECT_EQ(out.batch.stays[0].weight_kg, 80);
  auto weights = EventsWith(out, "LOINC/29463-7");
  ASSERT_EQ(weights.size(), 2u);
  EXPECT_EQ(weights[0].numeric_value, 81);
  EXPECT_EQ(weights[1].time, kEpoch + base::Hours(5));
}

TEST(PhysioNet2012Test, CrlfLineEndingsParseLikeLf) {
  const std::string lf = Record2012("7", "00:07,HR,73\n00:10,GCS,15\n");
  const std::string crlf = fixtures::WithCrlf(lf);
  FileOutput a = Read(lf), b = Read(crlf);
  ExpectCounts(b, 8, 7, 0, 1);
  ASSERT_EQ(a.batch.events.size(), b.batch.events.size());
  for (size_t i = 0; i < a.batch.events.size(); ++i) {
    EXPECT_EQ(a.batch.events.Get(i).numeric_value, b.batch.events.Get(i).numeric_value);
    EXPECT_EQ(a.batch.events.Get(i).time, b.batch.events.Get(i).time);
  }
}

TEST(PhysioNet2012Test, ByteOrderMarkIsIgnored) {
  ExpectCounts(Read("\xEF\xBB\xBF" + Record2012("7", "00:07,HR,73\n")), 7, 6, 0, 1);
}

TEST(PhysioNet2012Test, EmptyFile) {
  FileOutput out = Read("");
  ExpectCounts(out, 1, 0, 1, 0);
  std::string location;
  EXPECT_EQ(OnlyReject(out, &location), "empty file");
  EXPECT_EQ(location, "file");
  EXPECT_TRUE(out.batch.stays.empty());
  ExpectCounts(Read("\n\r\n"), 1, 0, 1, 0);
}

TEST(PhysioNet2012Test, WrongHeaderRejectsEveryLine) {
  FileOutput out = Read("Time;Parameter;Value\n00:00,RecordID,1\n00:07,HR,73\n");
  ExpectCounts(out, 3, 0, 3, 0);
  EXPECT_EQ(out.batch.rejects[0].reason, "wrong header (expected Time,Parameter,Value)");
  EXPECT_EQ(out.batch.rejects[2].location, "line 3");
  EXPECT_EQ(out.batch.rejects[2].raw, "00:07,HR,73");
  EXPECT_TRUE(out.batch.events.empty());
}

TEST(PhysioNet2012Test, AnOutcomesFileGivenAsRecordsSaysSo) {
  FileOutput out =
      Read("RecordID,SAPS-I,SOFA,Length_of_stay,Survival,In-hospital_death\n1,2,3,4,5,0\n");
  ExpectCounts(out, 2, 0, 2, 0);
  EXPECT_EQ(out.batch.rejects[0].reason,
            "wrong header: an outcomes file (pass it with --outcomes)");
}

TEST(PhysioNet2012Test, HeaderOnly) {
  FileOutput out = Read("Time,Parameter,Value\n");
  ExpectCounts(out, 1, 0, 1, 0);
  EXPECT_EQ(OnlyReject(out), "no records after the header");
}

TEST(PhysioNet2012Test, MissingRecordIdRejectsTheFile) {
  FileOutput out = Read("Time,Parameter,Value\n00:00,Age,54\n00:07,HR,73\n");
  ExpectCounts(out, 3, 0, 3, 0);
  EXPECT_EQ(out.batch.rejects[1].reason,
            "missing RecordID (the first line after the header must be 00:00,RecordID,<id>)");
  ExpectCounts(Read("Time,Parameter,Value\n00:00,RecordID,-4\n"), 2, 0, 2, 0);
}

TEST(PhysioNet2012Test, TruncatedLastLine) {
  FileOutput out = Read(Record2012("1", "00:07,HR,73\n00:09,Te"));
  ExpectCounts(out, 8, 6, 1, 1);
  std::string location, raw;
  EXPECT_EQ(OnlyReject(out, &location, &raw), "truncated line (no newline at end of file)");
  EXPECT_EQ(location, "line 9");
  EXPECT_EQ(raw, "00:09,Te");
  // A last line without its newline that parses is kept.
  ExpectCounts(Read(Record2012("1", "00:07,HR,73")), 7, 6, 0, 1);
}

TEST(PhysioNet2012Test, BinaryGarbage) {
  FileOutput out =
      Read(std::string("\x7f"
                       "ELF\x02\x01\x01\0\0\0\n\xff\xfe\n",
                       14));
  ExpectCounts(out, 2, 0, 2, 0);
  EXPECT_EQ(out.batch.rejects[0].reason, "binary content (NUL bytes: not a text file)");
}

TEST(PhysioNet2012Test, NonNumericValue) {
  FileOutput out = Read(Record2012("1", "00:07,HR,seventy\n00:08,HR,NaN\n00:09,HR,73\n"));
  ExpectCounts(out, 9, 6, 2, 1);
  EXPECT_EQ(out.batch.rejects[0].reason, "non-numeric value");
  EXPECT_EQ(out.batch.rejects[0].location, "line 8");
  EXPECT_EQ(out.batch.rejects[0].raw, "00:07,HR,seventy");
  EXPECT_EQ(out.batch.rejects[1].reason, "non-numeric value");
}

TEST(PhysioNet2012Test, UnknownParameter) {
  FileOutput out = Read(Record2012("1", "00:07,HeartRate,73\n00:07,hr,73\n"));
  ExpectCounts(out, 8, 5, 2, 1);
  EXPECT_EQ(out.batch.rejects[0].reason, "unknown parameter");
  EXPECT_EQ(out.batch.rejects[1].reason, "unknown parameter");
}

TEST(PhysioNet2012Test, MalformedLineAndTime) {
  FileOutput out =
      Read(Record2012("1", "00:07,HR\n00:07,HR,73,1\n0:7,HR,73\n00:60,HR,73\nab:00,HR,73\n"));
  ExpectCounts(out, 11, 5, 5, 1);
  EXPECT_EQ(out.batch.rejects[0].reason, "malformed line (expected Time,Parameter,Value)");
  EXPECT_EQ(out.batch.rejects[1].reason, "malformed line (expected Time,Parameter,Value)");
  for (size_t i = 2; i < 5; ++i) {
    EXPECT_EQ(out.batch.rejects[i].reason, "malformed time (expected HH:MM)");
  }
}

TEST(PhysioNet2012Test, TimeOutOfOrder) {
  FileOutput out = Read(Record2012("1", "02:00,HR,73\n01:00,HR,74\n02:00,HR,75\n"));
  ExpectCounts(out, 9, 7, 1, 1);
  std::string location;
  EXPECT_EQ(OnlyReject(out, &location), "time out of order (earlier than the line before)");
  EXPECT_EQ(location, "line 9");
}

TEST(PhysioNet2012Test, TimeOutOfRange) {
  FileOutput out = Read(Record2012("1", "48:00,HR,73\n48:01,HR,74\n"));
  ExpectCounts(out, 8, 6, 1, 1);
  EXPECT_EQ(OnlyReject(out), "time out of range (after 48:00)");
}

TEST(PhysioNet2012Test, ImpossibleValuesAreRejectedWithTheirRange) {
  FileOutput out = Read(
      Record2012("1",
                 "00:07,Temp,-17.8\n00:08,pH,735\n00:09,HR,0\n00:09,DiasABP,0\n00:10,Weight,0\n"
                 "00:11,GCS,2\n00:12,FiO2,1.5\n"));
  ExpectCounts(out, 13, 7, 5, 1);
  ASSERT_EQ(out.batch.rejects.size(), 5u);
  EXPECT_EQ(out.batch.rejects[0].reason, "value out of range: Temp outside [10, 47] Cel");
  EXPECT_EQ(out.batch.rejects[1].reason, "value out of range: pH outside [6, 8] [pH]");
  EXPECT_EQ(out.batch.rejects[2].reason, "value out of range: Weight outside [0.2, 650] kg");
  EXPECT_EQ(out.batch.rejects[3].reason, "value out of range: GCS outside [3, 15] {score}");
  EXPECT_EQ(out.batch.rejects[4].reason, "value out of range: FiO2 outside [20, 100] %");
  EXPECT_EQ(EventsWith(out, "LOINC/8867-4").size(), 1u);  // HR 0 (asystole) is possible
  EXPECT_EQ(EventsWith(out, "LOINC/8462-4").size(), 1u);
}

TEST(PhysioNet2012Test, ImpossibleDescriptors) {
  FileOutput out = Read(
      "Time,Parameter,Value\n00:00,RecordID,1\n00:00,Age,130\n00:00,Gender,2\n"
      "00:00,Height,431.8\n00:00,ICUType,5\n00:00,Weight,0\n");
  ExpectCounts(out, 6, 1, 5, 0);
  EXPECT_EQ(out.batch.rejects[0].reason, "value out of range: Age outside [0, 125] a");
  EXPECT_EQ(out.batch.rejects[1].reason, "invalid Gender (expected 0, 1 or -1)");
  EXPECT_EQ(out.batch.rejects[2].reason, "value out of range: Height outside [20, 275] cm");
  EXPECT_EQ(out.batch.rejects[3].reason, "invalid ICUType (expected 1, 2, 3, 4 or -1)");
  EXPECT_EQ(out.batch.rejects[4].reason, "value out of range: Weight outside [0.2, 650] kg");
  const store::Stay& stay = out.batch.stays.at(0);
  EXPECT_FALSE(stay.age_years || stay.height_cm || stay.weight_kg || stay.unit);
  EXPECT_FALSE(out.batch.subjects.at(0).sex);
}

TEST(PhysioNet2012Test, DuplicateLineIsRejectedButARepeatedHourIsNot) {
  FileOutput out = Read(Record2012("1", "03:00,Urine,100\n03:00,Urine,100\n03:00,Urine,250\n"));
  ExpectCounts(out, 9, 7, 1, 1);
  std::string location;
  EXPECT_EQ(OnlyReject(out, &location),
            "duplicate line (same time, parameter and value as an earlier line)");
  EXPECT_EQ(location, "line 9");
  EXPECT_EQ(EventsWith(out, "LOINC/9187-6").size(), 2u);
}

TEST(PhysioNet2012Test, DuplicateAndMisplacedDescriptors) {
  FileOutput out = Read(Record2012("1", "00:00,Age,55\n00:00,RecordID,2\n01:00,Gender,1\n"));
  ExpectCounts(out, 9, 5, 3, 1);
  EXPECT_EQ(out.batch.rejects[0].reason, "duplicate descriptor (Age given twice)");
  EXPECT_EQ(out.batch.rejects[1].reason, "duplicate descriptor (RecordID given twice)");
  EXPECT_EQ(out.batch.rejects[2].reason, "descriptor not at time 00:00");
  EXPECT_EQ(out.batch.stays[0].age_years, 54);
}

}  // namespace
}  // namespace vigil::ingest
