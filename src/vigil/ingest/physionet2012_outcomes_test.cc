// The PhysioNet 2012 outcomes reader: times of death and discharge, contradictions, bad input.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <unordered_set>

#include "vigil/ingest/physionet2012.h"
#include "vigil/ingest/physionet_text.h"

namespace vigil::ingest {
namespace {

using base::Days;
using base::Hours;
using physionet::kEpoch;

constexpr std::string_view kHeader =
    "RecordID,SAPS-I,SOFA,Length_of_stay,Survival,In-hospital_death\n";

struct Outcomes {
  FileOutput out;
  std::unordered_set<std::string> with_outcome;
};

// Reads an outcomes file in which stays 1 to 99 exist.
Outcomes Read(const std::string& body, std::unordered_set<std::string> with_outcome = {}) {
  Outcomes o;
  o.with_outcome = std::move(with_outcome);
  o.out.path = "Outcomes-a.txt";
  o.out.content = std::string(kHeader) + body;
  OutcomeStays stays;
  stays.known = [](const std::string& id) { return id.size() <= 2; };
  stays.with_outcome = &o.with_outcome;
  ReadPhysioNet2012Outcomes(o.out, stays);
  EXPECT_TRUE(o.out.batch.counts.Balanced());
  return o;
}

std::optional<base::Instant> EventTime(const FileOutput& out, std::string_view code) {
  for (size_t i = 0; i < out.batch.events.size(); ++i) {
    store::Event e = out.batch.events.Get(i);
    if (e.code == code) return e.time;
  }
  return std::nullopt;
}

std::string OnlyReason(const FileOutput& out) {
  EXPECT_EQ(out.batch.rejects.size(), 1u);
  EXPECT_EQ(out.batch.counts.rejected, 1);
  return out.batch.rejects.empty() ? "" : out.batch.rejects[0].reason;
}

TEST(PhysioNet2012OutcomesTest, InHospitalDeathOnDayOneIsPlacedAtFortyEightHours) {
  Outcomes o = Read("7,12,5,8,1,1\n");
  EXPECT_EQ(o.out.batch.counts.stored, 1);
  EXPECT_EQ(EventTime(o.out, "VIGIL/DEATH"), kEpoch + Hours(48));
  EXPECT_EQ(EventTime(o.out, "VIGIL/HOSPITAL_DISCHARGE"), kEpoch + Days(8));
  ASSERT_EQ(o.out.batch.stay_updates.size(), 1u);
  EXPECT_EQ(o.out.batch.stay_updates[0].stay_id, "7");
  EXPECT_EQ(o.out.batch.stay_updates[0].end, kEpoch + Days(8));
  EXPECT_EQ(o.out.batch.stay_updates[0].disposition, "expired");
  ASSERT_EQ(o.out.batch.reference_scores.size(), 2u);
  EXPECT_EQ(o.out.batch.reference_scores[0].name, "SAPS-I");
  EXPECT_EQ(o.out.batch.reference_scores[0].value, 12);
  EXPECT_EQ(o.out.batch.reference_scores[1].name, "SOFA");
  EXPECT_EQ(o.out.batch.reference_scores[1].value, 5);
}

TEST(PhysioNet2012OutcomesTest, DeathOnTheDayOfDischargeEndsTheStay) {
  Outcomes o = Read("7,12,5,13,13,1\n");
  EXPECT_EQ(EventTime(o.out, "VIGIL/DEATH"), kEpoch + Days(13));
  EXPECT_EQ(o.out.batch.stay_updates[0].end, kEpoch + Days(13));
}

TEST(PhysioNet2012OutcomesTest, SurvivorDyingLaterDiesAfterDischarge) {
  Outcomes o = Read("7,7,1,9,575,0\n");
  EXPECT_EQ(EventTime(o.out, "VIGIL/HOSPITAL_DISCHARGE"), kEpoch + Days(9));
  EXPECT_EQ(EventTime(o.out, "VIGIL/DEATH"), kEpoch + Days(575));
  EXPECT_EQ(o.out.batch.stay_updates[0].disposition, "alive");
  // A one-day stay ends at 48 h; the death keeps its one-day distance after it.
  Outcomes short_stay = Read("8,7,1,1,2,0\n");
  EXPECT_EQ(EventTime(short_stay.out, "VIGIL/HOSPITAL_DISCHARGE"), kEpoch + Hours(48));
  EXPECT_EQ(EventTime(short_stay.out, "VIGIL/DEATH"), kEpoch + Hours(72));
}

TEST(PhysioNet2012OutcomesTest, UnknownValuesStoreWhatIsKnown) {
  Outcomes o = Read("7,-1,-1,-1,-1,0\n");
  EXPECT_EQ(o.out.batch.counts.stored, 1);
  EXPECT_TRUE(o.out.batch.reference_scores.empty());
  EXPECT_TRUE(o.out.batch.events.empty());
  EXPECT_EQ(o.out.batch.stay_updates[0].end, std::nullopt);
  EXPECT_EQ(o.out.batch.stay_updates[0].disposition, "alive");
  // Died after a discharge of unknown date, on day 65.
  Outcomes late = Read("8,-1,-1,-1,65,0\n");
  EXPECT_EQ(EventTime(late.out, "VIGIL/DEATH"), kEpoch + Days(65));
  EXPECT_EQ(late.out.batch.stay_updates[0].end, std::nullopt);
}

TEST(PhysioNet2012OutcomesTest, ContradictionsAreRejected) {
  EXPECT_EQ(OnlyReason(Read("7,-1,-1,10,0,0\n").out),
            "contradictory outcome: Survival <= Length_of_stay but In-hospital_death = 0");
  EXPECT_EQ(OnlyReason(Read("7,-1,-1,-1,2,0\n").out),
            "contradictory outcome: Survival within the first 48 hours but In-hospital_death = 0");
}

TEST(PhysioNet2012OutcomesTest, UnknownRecordIdIsRejected) {
  Outcomes o = Read("7,1,1,5,-1,0\n132539,1,1,5,-1,0\n");
  EXPECT_EQ(o.out.batch.counts.records_in, 2);
  EXPECT_EQ(o.out.batch.counts.stored, 1);
  EXPECT_EQ(OnlyReason(o.out),
            "unknown RecordID (no such stay in the store: ingest the record files first or "
            "together)");
  EXPECT_EQ(o.out.batch.rejects[0].location, "line 3");
}

TEST(PhysioNet2012OutcomesTest, DuplicateRecordIdIsRejected) {
  Outcomes o = Read("7,1,1,5,-1,0\n7,2,2,6,-1,0\n");
  EXPECT_EQ(OnlyReason(o.out), "duplicate record: outcome already given for this RecordID");
  EXPECT_EQ(o.out.batch.rejects[0].location, "line 3");
  Outcomes earlier = Read("7,1,1,5,-1,0\n", {"7"});
  EXPECT_EQ(OnlyReason(earlier.out), "duplicate record: outcome already given for this RecordID");
}

TEST(PhysioNet2012OutcomesTest, MalformedLines) {
  Outcomes o = Read(
      "7,1,1,5,-1\n8,1,x,5,-1,0\n9,1,1,5,-1,2\n10,57,1,5,-1,0\n11,1,1,-3,-1,0\n0,1,1,5,-1,0\n");
  EXPECT_EQ(o.out.batch.counts.records_in, 6);
  EXPECT_EQ(o.out.batch.counts.rejected, 6);
  ASSERT_EQ(o.out.batch.rejects.size(), 6u);
  EXPECT_EQ(o.out.batch.rejects[0].reason, "malformed line (expected 6 comma-separated fields)");
  EXPECT_EQ(o.out.batch.rejects[1].reason, "malformed value (expected a whole number)");
  EXPECT_EQ(o.out.batch.rejects[2].reason, "invalid In-hospital_death (expected 0 or 1)");
  EXPECT_EQ(o.out.batch.rejects[3].reason, "value out of range: SAPS-I outside [0, 56] {score}");
  EXPECT_EQ(o.out.batch.rejects[4].reason,
            "invalid Length_of_stay or Survival (expected 0 to 36500 days, or -1)");
  EXPECT_EQ(o.out.batch.rejects[5].reason, "invalid RecordID (expected a positive number)");
}

TEST(PhysioNet2012OutcomesTest, WrongHeaderEmptyAndTruncated) {
  FileOutput out;
  out.path = "Outcomes-a.txt";
  out.content = "RecordID,SAPS,SOFA\n7,1,1\n";
  ReadPhysioNet2012Outcomes(out, {});
  EXPECT_EQ(out.batch.counts.rejected, 2);
  EXPECT_EQ(
      out.batch.rejects[0].reason,
      "wrong header (expected RecordID,SAPS-I,SOFA,Length_of_stay,Survival,In-hospital_death)");
  EXPECT_EQ(OnlyReason(Read("").out), "no records after the header");
  EXPECT_EQ(OnlyReason(Read("7,1,1,5,-").out), "truncated line (no newline at end of file)");
}

// The downstream mortality task labels "VIGIL/DEATH in [48 h, stay end]". Over every combination
// of length of stay, survival and in-hospital death that the reader accepts, the in-hospital
// deaths and only they have a death in that window.
TEST(PhysioNet2012OutcomesTest, DeathInsideTheStayExactlyForInHospitalDeaths) {
  int accepted = 0;
  for (int death : {0, 1}) {
    for (int los : {-1, 0, 1, 2, 3, 5, 30}) {
      for (int survival : {-1, 0, 1, 2, 3, 4, 5, 29, 30, 31, 400}) {
        SCOPED_TRACE(::testing::Message() << los << "," << survival << "," << death);
        Outcomes o = Read(fmt::format("7,1,1,{},{},{}\n", los, survival, death));
        if (o.out.batch.counts.stored == 0) continue;
        ++accepted;
        const auto end = o.out.batch.stay_updates.at(0).end;
        const auto died = EventTime(o.out, "VIGIL/DEATH");
        const bool in_window = died && end && *died >= kEpoch + Hours(48) && *died <= *end;
        EXPECT_EQ(in_window, death == 1);
        if (death == 1) {
          EXPECT_EQ(EventTime(o.out, "VIGIL/HOSPITAL_DISCHARGE"), end);
        } else if (died) {
          EXPECT_TRUE(!end || *died > *end);
          EXPECT_GT(*died, kEpoch + Hours(48));
        }
      }
    }
  }
  EXPECT_GT(accepted, 100);
}

}  // namespace
}  // namespace vigil::ingest
