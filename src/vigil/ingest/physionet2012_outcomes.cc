// The PhysioNet 2012 outcomes reader (Outcomes-a.txt): one line per stay,
// RecordID,SAPS-I,SOFA,Length_of_stay,Survival,In-hospital_death.
//
// Times (docs/ingest.md, "Outcome times"): Length_of_stay and Survival are whole days from ICU
// admission. The challenge cohort holds only ICU stays of at least 48 hours (Silva et al., CinC
// 2012), and the data show deaths on day 1 with measurements up to 47 h, so an in-hospital death is
// placed at max(Survival days, 48 h) and the hospital discharge (the stay's end) at max(LOS days,
// 48 h, death). A survivor's later death stays after the discharge by as many days as the file
// says. Lines whose facts contradict each other are rejected rather than guessed at.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "vigil/base/text.h"
#include "vigil/ingest/physionet2012.h"
#include "vigil/ingest/physionet_text.h"
#include "vigil/terminology/code.h"
#include "vigil/terminology/physionet.h"

namespace vigil::ingest {
namespace {

using base::Duration;
using physionet::kEpoch;
using physionet::Line;

constexpr std::string_view kHeader =
    "RecordID,SAPS-I,SOFA,Length_of_stay,Survival,In-hospital_death";
constexpr size_t kFields = 6;
constexpr int64_t kUnknown = -1;
// Length_of_stay and Survival above a century are not days of a human life.
constexpr int64_t kMaxDays = 36500;
// The cohort's minimum ICU stay (Silva et al., CinC 2012).
constexpr Duration kMinimumStay = base::Hours(48);

constexpr std::string_view kWrongHeader =
    "wrong header (expected RecordID,SAPS-I,SOFA,Length_of_stay,Survival,In-hospital_death)";
constexpr std::string_view kNoRecords = "no records after the header";
constexpr std::string_view kMalformedLine = "malformed line (expected 6 comma-separated fields)";
constexpr std::string_view kMalformedValue = "malformed value (expected a whole number)";
constexpr std::string_view kInvalidRecordId = "invalid RecordID (expected a positive number)";
constexpr std::string_view kInvalidDays =
    "invalid Length_of_stay or Survival (expected 0 to 36500 days, or -1)";
constexpr std::string_view kInvalidDeath = "invalid In-hospital_death (expected 0 or 1)";
constexpr std::string_view kUnknownStay =
    "unknown RecordID (no such stay in the store: ingest the record files first or together)";
constexpr std::string_view kDuplicate = "duplicate record: outcome already given for this RecordID";
constexpr std::string_view kDiedBeforeDischarge =
    "contradictory outcome: Survival <= Length_of_stay but In-hospital_death = 0";
constexpr std::string_view kDiedEarlyAtHome =
    "contradictory outcome: Survival within the first 48 hours but In-hospital_death = 0";

constexpr std::string_view kExpired = "expired";
constexpr std::string_view kAlive = "alive";

struct Outcome {
  int64_t record_id = 0, saps = kUnknown, sofa = kUnknown, los = kUnknown, survival = kUnknown,
          death = 0;
};

// Where a well-formed, consistent outcome puts the stay's end and the death.
struct OutcomeTimes {
  std::optional<Duration> discharge;  // from ICU admission
  std::optional<Duration> death;
};

std::optional<std::string_view> Validate(const Outcome& o) {
  if (o.record_id <= 0) return kInvalidRecordId;
  for (int64_t days : {o.los, o.survival}) {
    if (days != kUnknown && (days < 0 || days > kMaxDays)) return kInvalidDays;
  }
  if (o.death != 0 && o.death != 1) return kInvalidDeath;
  if (o.death == 0 && o.survival != kUnknown) {
    if (o.los != kUnknown && o.survival <= o.los) return kDiedBeforeDischarge;
    if (o.los == kUnknown && base::Days(o.survival) <= kMinimumStay) return kDiedEarlyAtHome;
  }
  return std::nullopt;
}

OutcomeTimes Place(const Outcome& o) {
  OutcomeTimes t;
  const std::optional<Duration> los =
      o.los == kUnknown ? std::nullopt : std::optional(base::Days(o.los));
  const std::optional<Duration> survival =
      o.survival == kUnknown ? std::nullopt : std::optional(base::Days(o.survival));
  if (o.death == 1) {
    // Died in hospital: the stay ends with the death (or with a later discharge day).
    t.death = std::max(survival.value_or(los.value_or(Duration(0))), kMinimumStay);
    t.discharge = std::max({los.value_or(Duration(0)), kMinimumStay, *t.death});
    return t;
  }
  if (los) t.discharge = std::max(*los, kMinimumStay);
  // Died after discharge: keep the file's distance between discharge and death.
  if (survival) t.death = los ? *survival + (*t.discharge - *los) : *survival;
  return t;
}

class OutcomeReader {
 public:
  OutcomeReader(FileOutput& out, const OutcomeStays& stays)
      : out_(out), b_(out.batch), stays_(stays) {}

  void Read() {
    const std::string_view content = base::StripByteOrderMark(out_.content);
    if (auto problem = physionet::WholeFileProblem(content)) {
      return physionet::RejectWholeFile(out_, *problem);
    }
    physionet::LineReader lines(content);
    std::optional<Line> header;
    while ((header = lines.Next()) && header->text.empty()) {
    }
    if (!header || header->text != kHeader) return physionet::RejectWholeFile(out_, kWrongHeader);
    source_ = physionet::SourceName(out_);
    bool any = false;
    while (auto line = lines.Next()) {
      if (line->text.empty()) continue;
      any = true;
      ReadLine(*line);
    }
    if (!any) physionet::RejectWholeFile(out_, kNoRecords);
  }

 private:
  void Reject(const Line& line, std::string_view reason) {
    AddReject(b_, out_.path, physionet::LineLocation(line.number),
              line.terminated ? reason : physionet::kTruncatedLine, line.text);
  }

  void ReadLine(const Line& line) {
    auto fields = base::Split(line.text, ',');
    if (fields.size() != kFields) return Reject(line, kMalformedLine);
    std::array<int64_t, kFields> v{};
    for (size_t i = 0; i < kFields; ++i) {
      auto n = base::ParseInt64(fields[i]);
      if (!n) return Reject(line, kMalformedValue);
      v[i] = *n;
    }
    const Outcome o{v[0], v[1], v[2], v[3], v[4], v[5]};
    if (auto problem = Validate(o)) return Reject(line, *problem);
    for (auto [name, code, value] : {std::tuple{"SAPS-I", terminology::kSapsICode, o.saps},
                                     std::tuple{"SOFA", terminology::kSofaCode, o.sofa}}) {
      const auto* r = terminology::FindPhysiologicalRange(code);
      if (value != kUnknown && !terminology::InRange(*r, static_cast<double>(value))) {
        return Reject(line, terminology::RangeReason(name, *r, "{score}"));
      }
    }
    const std::string id = std::to_string(o.record_id);
    if (!stays_.known || !stays_.known(id)) return Reject(line, kUnknownStay);
    if (stays_.with_outcome && !stays_.with_outcome->insert(id).second) {
      return Reject(line, kDuplicate);
    }
    Store(id, o);
  }

  void Store(const std::string& id, const Outcome& o) {
    if (o.saps != kUnknown)
      b_.reference_scores.push_back({id, "SAPS-I", static_cast<double>(o.saps)});
    if (o.sofa != kUnknown)
      b_.reference_scores.push_back({id, "SOFA", static_cast<double>(o.sofa)});
    const OutcomeTimes t = Place(o);
    store::StayUpdate update;
    update.stay_id = id;
    update.disposition = std::string(o.death == 1 ? kExpired : kAlive);
    const uint32_t subject = b_.events.InternSubject(id);
    const uint32_t stay = b_.events.InternStay(id);
    const uint32_t source = b_.events.InternSource(source_);
    if (t.discharge) {
      update.end = kEpoch + *t.discharge;
      b_.events.AddPresence(subject, kEpoch + *t.discharge,
                            b_.events.InternCode(terminology::kHospitalDischarge, ""), stay,
                            source);
    }
    if (t.death) {
      b_.events.AddPresence(subject, kEpoch + *t.death,
                            b_.events.InternCode(terminology::kDeath, ""), stay, source);
    }
    b_.stay_updates.push_back(std::move(update));
    ++b_.counts.records_in;
    ++b_.counts.stored;
  }

  FileOutput& out_;
  store::Batch& b_;
  const OutcomeStays& stays_;
  std::string source_;
};

}  // namespace

void ReadPhysioNet2012Outcomes(FileOutput& out, const OutcomeStays& stays) {
  OutcomeReader(out, stays).Read();
}

}  // namespace vigil::ingest
