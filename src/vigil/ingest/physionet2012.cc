// The PhysioNet 2012 record-file reader. The outcomes reader is in physionet2012_outcomes.cc.
#include "vigil/ingest/physionet2012.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "vigil/base/text.h"
#include "vigil/ingest/physionet_text.h"
#include "vigil/terminology/code.h"
#include "vigil/terminology/physionet.h"

namespace vigil::ingest {
namespace {

using physionet::kEpoch;
using physionet::Line;
using terminology::PhysiologicalRange;
using terminology::PhysioNetVariable;

constexpr std::string_view kHeader = "Time,Parameter,Value";
constexpr std::string_view kOutcomesHeaderStart = "RecordID,SAPS-I,";
// The challenge gives the first 48 hours of each stay (Silva et al., CinC 2012).
constexpr int64_t kRecordMinutes = 48 * 60;
constexpr double kUnknown = -1;  // the format's "missing or unknown" for descriptors
constexpr std::string_view kSource = "physionet2012";
// Lines of the challenge files average 16 bytes (26.5 MB, 1.68 million lines): room for a file's
// events ahead saves growing the columns line by line.
constexpr size_t kBytesPerLine = 16;

constexpr std::string_view kWrongHeader = "wrong header (expected Time,Parameter,Value)";
constexpr std::string_view kOutcomesAsRecords =
    "wrong header: an outcomes file (pass it with --outcomes)";
constexpr std::string_view kNoRecords = "no records after the header";
constexpr std::string_view kMissingRecordId =
    "missing RecordID (the first line after the header must be 00:00,RecordID,<id>)";
constexpr std::string_view kMalformedLine = "malformed line (expected Time,Parameter,Value)";
constexpr std::string_view kMalformedTime = "malformed time (expected HH:MM)";
constexpr std::string_view kTimeOutOfRange = "time out of range (after 48:00)";
constexpr std::string_view kTimeOutOfOrder = "time out of order (earlier than the line before)";
constexpr std::string_view kDuplicateLine =
    "duplicate line (same time, parameter and value as an earlier line)";
constexpr std::string_view kUnknownParameter = "unknown parameter";
constexpr std::string_view kNonNumeric = "non-numeric value";
constexpr std::string_view kDescriptorNotAtStart = "descriptor not at time 00:00";
constexpr std::string_view kInvalidGender = "invalid Gender (expected 0, 1 or -1)";
constexpr std::string_view kInvalidIcuType = "invalid ICUType (expected 1, 2, 3, 4 or -1)";

enum class Descriptor { kNone, kRecordId, kAge, kGender, kHeight, kIcuType, kWeight };

Descriptor DescriptorOf(std::string_view name) {
  if (name == "RecordID") return Descriptor::kRecordId;
  if (name == "Age") return Descriptor::kAge;
  if (name == "Gender") return Descriptor::kGender;
  if (name == "Height") return Descriptor::kHeight;
  if (name == "ICUType") return Descriptor::kIcuType;
  if (name == "Weight") return Descriptor::kWeight;
  return Descriptor::kNone;
}

// Splits a line into exactly three comma-separated fields; false when it has another count.
bool SplitLine(std::string_view line, std::array<std::string_view, 3>& fields) {
  const size_t first = line.find(',');
  if (first == std::string_view::npos) return false;
  const size_t second = line.find(',', first + 1);
  if (second == std::string_view::npos || line.find(',', second + 1) != std::string_view::npos) {
    return false;
  }
  fields = {line.substr(0, first), line.substr(first + 1, second - first - 1),
            line.substr(second + 1)};
  return true;
}

// "HH:MM" (1-3 digit hours, minutes below 60) -> minutes since ICU admission.
std::optional<int64_t> ParseMinutes(std::string_view t) {
  const size_t colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 3 || t.size() != colon + 3) {
    return std::nullopt;
  }
  int64_t hours = 0;
  for (size_t i = 0; i < colon; ++i) {
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
    hours = hours * 10 + (t[i] - '0');
  }
  const char m1 = t[colon + 1], m2 = t[colon + 2];
  if (m1 < '0' || m1 > '5' || m2 < '0' || m2 > '9') return std::nullopt;
  return hours * 60 + (m1 - '0') * 10 + (m2 - '0');
}

// The 2012 parameters with their ranges and reject reasons, resolved once.
struct ParameterTable {
  std::unordered_map<std::string_view, size_t> index;
  std::vector<const PhysioNetVariable*> variables;
  std::vector<const PhysiologicalRange*> ranges;
  std::vector<std::string> range_reasons;

  static const ParameterTable& Get() {
    static const ParameterTable table = [] {
      ParameterTable t;
      for (const PhysioNetVariable& v : terminology::PhysioNet2012Parameters()) {
        t.index.emplace(v.name, t.variables.size());
        t.variables.push_back(&v);
        const PhysiologicalRange* r = terminology::FindPhysiologicalRange(v.code);
        t.ranges.push_back(r);
        t.range_reasons.push_back(r ? terminology::RangeReason(v.name, *r, v.unit) : "");
      }
      return t;
    }();
    return table;
  }
};

class RecordReader {
 public:
  explicit RecordReader(FileOutput& out)
      : out_(out), b_(out.batch), table_(ParameterTable::Get()) {}

  void Read() {
    const std::string_view content = base::StripByteOrderMark(out_.content);
    if (auto problem = physionet::WholeFileProblem(content)) {
      return physionet::RejectWholeFile(out_, *problem);
    }
    physionet::LineReader lines(content);
    std::optional<Line> header;
    while ((header = lines.Next()) && header->text.empty()) {
    }
    if (!header || header->text != kHeader) {
      return physionet::RejectWholeFile(
          out_, header && header->text.starts_with(kOutcomesHeaderStart) ? kOutcomesAsRecords
                                                                         : kWrongHeader);
    }
    std::vector<Line> data;
    while (auto line = lines.Next()) {
      if (!line->text.empty()) data.push_back(*line);
    }
    if (data.empty()) return physionet::RejectWholeFile(out_, kNoRecords);
    if (!StartStay(data.front())) return physionet::RejectWholeFile(out_, kMissingRecordId);
    for (const Line& line : data) ReadLine(line);
    b_.subjects.push_back(subject_);
    b_.stays.push_back(stay_);
    b_.events.AddPresence(subject_index_, kEpoch,
                          b_.events.InternCode(terminology::kIcuAdmission, ""), stay_index_,
                          source_index_);
  }

 private:
  // The first data line names the stay: "00:00,RecordID,<positive integer>".
  bool StartStay(const Line& first) {
    std::array<std::string_view, 3> fields;
    if (!SplitLine(first.text, fields) || fields[0] != "00:00" || fields[1] != "RecordID") {
      return false;
    }
    auto id = base::ParseInt64(fields[2]);
    if (!id || *id <= 0) return false;
    const std::string stay_id = std::to_string(*id);
    subject_.subject_id = stay_id;
    subject_.source = kSource;
    stay_.stay_id = stay_id;
    stay_.subject_id = stay_id;
    stay_.kind = "icu";
    stay_.start = kEpoch;
    stay_.source = kSource;
    subject_index_ = b_.events.InternSubject(stay_id);
    stay_index_ = b_.events.InternStay(stay_id);
    source_index_ = b_.events.InternSource(physionet::SourceName(out_));
    codes_.assign(table_.variables.size(), store::EventColumns::kNone);
    b_.events.Reserve(out_.content.size() / kBytesPerLine);
    return true;
  }

  void Stored() {
    ++b_.counts.records_in;
    ++b_.counts.stored;
  }

  void Reject(const Line& line, std::string_view reason) {
    AddReject(b_, out_.path, physionet::LineLocation(line.number),
              line.terminated ? reason : physionet::kTruncatedLine, line.text);
  }

  void ReadLine(const Line& line) {
    std::array<std::string_view, 3> fields;
    if (!SplitLine(line.text, fields)) return Reject(line, kMalformedLine);
    auto minutes = ParseMinutes(fields[0]);
    if (!minutes) return Reject(line, kMalformedTime);
    if (*minutes > kRecordMinutes) return Reject(line, kTimeOutOfRange);
    if (*minutes < last_minutes_) return Reject(line, kTimeOutOfOrder);
    if (*minutes != last_minutes_) same_minute_.clear();
    last_minutes_ = *minutes;
    // Lines are in time order, so a repeated line lies among the lines of the same minute.
    if (std::find(same_minute_.begin(), same_minute_.end(), line.text) != same_minute_.end()) {
      return Reject(line, kDuplicateLine);
    }
    same_minute_.push_back(line.text);
    const std::string_view name = fields[1];
    Descriptor d = DescriptorOf(name);
    if (d == Descriptor::kWeight && (*minutes != 0 || weight_seen_)) d = Descriptor::kNone;
    auto it = d == Descriptor::kNone ? table_.index.find(name) : table_.index.end();
    if (d == Descriptor::kNone && it == table_.index.end()) return Reject(line, kUnknownParameter);
    auto value = base::ParseDouble(fields[2]);
    if (!value) return Reject(line, kNonNumeric);
    if (d != Descriptor::kNone) return ReadDescriptor(line, d, name, *minutes, *value);
    ReadMeasurement(line, it->second, *minutes, *value);
  }

  void ReadMeasurement(const Line& line, size_t i, int64_t minutes, double raw) {
    const PhysioNetVariable& v = *table_.variables[i];
    const double value = raw * v.scale;
    if (table_.ranges[i] && !terminology::InRange(*table_.ranges[i], value)) {
      return Reject(line, table_.range_reasons[i]);
    }
    if (codes_[i] == store::EventColumns::kNone) codes_[i] = b_.events.InternCode(v.code, v.unit);
    b_.events.AddNumeric(subject_index_, kEpoch + base::Minutes(minutes), codes_[i], value,
                         stay_index_, source_index_);
    Stored();
  }

  void ReadDescriptor(const Line& line, Descriptor d, std::string_view name, int64_t minutes,
                      double value) {
    if (minutes != 0) return Reject(line, kDescriptorNotAtStart);
    const uint32_t bit = 1u << static_cast<int>(d);
    if (seen_descriptors_ & bit) {
      return Reject(line, "duplicate descriptor (" + std::string(name) + " given twice)");
    }
    seen_descriptors_ |= bit;
    if (d == Descriptor::kWeight) weight_seen_ = true;
    if (d == Descriptor::kRecordId) return Stored();  // StartStay checked it
    if (value == kUnknown) return AddSkip(b_, physionet::kSkipMinusOne);
    switch (d) {
      case Descriptor::kAge:
        return SetMeasured(line, name, terminology::kAgeCode, "a", value, stay_.age_years);
      case Descriptor::kHeight:
        return SetMeasured(line, name, terminology::kBodyHeightCode, "cm", value, stay_.height_cm);
      case Descriptor::kWeight:
        return SetMeasured(line, name, terminology::kBodyWeightCode, "kg", value, stay_.weight_kg);
      case Descriptor::kGender:
        if (value != 0 && value != 1) return Reject(line, kInvalidGender);
        subject_.sex = value == 0 ? "female" : "male";
        return Stored();
      case Descriptor::kIcuType: {
        auto unit = std::trunc(value) == value && std::abs(value) < 100
                        ? terminology::PhysioNet2012IcuType(static_cast<int>(value))
                        : std::nullopt;
        if (!unit) return Reject(line, kInvalidIcuType);
        stay_.unit = std::string(*unit);
        return Stored();
      }
      case Descriptor::kRecordId:
      case Descriptor::kNone:
        break;
    }
  }

  void SetMeasured(const Line& line, std::string_view name, std::string_view code,
                   std::string_view unit, double value, std::optional<double>& field) {
    const PhysiologicalRange* r = terminology::FindPhysiologicalRange(code);
    if (r && !terminology::InRange(*r, value)) {
      return Reject(line, terminology::RangeReason(name, *r, unit));
    }
    field = value;
    Stored();
  }

  FileOutput& out_;
  store::Batch& b_;
  const ParameterTable& table_;
  store::Subject subject_;
  store::Stay stay_;
  uint32_t subject_index_ = 0, stay_index_ = 0, source_index_ = 0;
  std::vector<uint32_t> codes_;  // batch code index per parameter, interned on first use
  int64_t last_minutes_ = 0;
  bool weight_seen_ = false;
  std::vector<std::string_view> same_minute_;  // the lines seen at last_minutes_
  uint32_t seen_descriptors_ = 0;              // bit per Descriptor
};

}  // namespace

void ReadPhysioNet2012(FileOutput& out) { RecordReader(out).Read(); }

base::Result<store::RunSummary> IngestPhysioNet2012(store::OpeningStore& store,
                                                    const IngestRequest& request) {
  FilesOptions options;
  options.format = "physionet2012";
  options.arguments = request.arguments;
  options.suffixes = {".txt"};
  options.session.reject_whole_file = physionet::RejectWholeFile;
  options.session.progress = request.progress;
  if (request.commit_events > 0) options.session.commit_events = request.commit_events;
  auto outcome_stays = std::make_shared<std::unordered_set<std::string>>();
  options.store_ready = [outcome_stays](store::Store& s) -> base::Status {
    VIGIL_ASSIGN_OR_RETURN(*outcome_stays, s.StayIdsWithDisposition());
    return base::Status::Ok();
  };
  options.trailing_files = request.outcomes;
  options.read_trailing = [outcome_stays](FileOutput& out, const IngestSession& session) {
    OutcomeStays stays;
    stays.known = [&session](const std::string& id) { return session.KnownStay(id); };
    stays.with_outcome = outcome_stays.get();
    ReadPhysioNet2012Outcomes(out, stays);
  };
  return IngestFiles(store, request.inputs, ReadPhysioNet2012, std::move(options));
}

}  // namespace vigil::ingest
