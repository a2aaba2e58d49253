#include "vigil/ingest/physionet2019.h"

#include <array>
#include <cmath>
#include <cstring>
#include <string>

#include "vigil/base/text.h"
#include "vigil/ingest/physionet_text.h"
#include "vigil/terminology/code.h"
#include "vigil/terminology/physionet.h"

namespace vigil::ingest {
namespace {

using physionet::kEpoch;
using physionet::Line;

constexpr size_t kMeasurements = 34;
constexpr size_t kColumns = 41;
// Columns after the measurements.
constexpr size_t kAge = 34, kGender = 35, kUnit1 = 36, kUnit2 = 37, kHospAdmTime = 38, kIculos = 39,
                 kSepsisLabel = 40;
constexpr std::string_view kStayColumns = "Age|Gender|Unit1|Unit2|HospAdmTime|ICULOS|SepsisLabel";
// ICULOS and HospAdmTime beyond ten years are not hours of an ICU stay (and would overflow).
constexpr double kMaxHours = 87600;
// SepsisLabel is 1 from six hours before onset on (Reyna et al., Crit Care Med 2020).
constexpr int64_t kLabelLeadHours = 6;
constexpr double kMicrosPerHour = 3600e6;
constexpr std::string_view kSource = "physionet2019";
// About one event per 25 bytes in the challenge files (61.7 MB, 2.46 million values): room for a
// file's events ahead saves growing the columns cell by cell.
constexpr size_t kBytesPerEvent = 25;

constexpr std::string_view kWrongHeader = "wrong header (expected the 41 PhysioNet 2019 columns)";
constexpr std::string_view kNoRows = "no rows after the header";
constexpr std::string_view kWrongFieldCount = "wrong number of fields (expected 41)";
constexpr std::string_view kMalformedIculos = "malformed ICULOS (expected whole hours)";
constexpr std::string_view kIculosOutOfRange = "ICULOS out of range (0 to 87600 hours)";
constexpr std::string_view kDuplicateHour = "duplicate hour (ICULOS repeats the row before)";
constexpr std::string_view kIculosOutOfOrder = "ICULOS out of order (earlier than the row before)";
constexpr std::string_view kDescriptorsDiffer =
    "stay columns differ from the first row (Age, Gender, Unit1, Unit2, HospAdmTime)";
constexpr std::string_view kMalformedValue = "malformed value (not a number)";
constexpr std::string_view kUnrepresentable =
    "value too large (not a finite number in the canonical unit)";
constexpr std::string_view kInvalidGender = "invalid Gender (expected 0, 1 or NaN)";
constexpr std::string_view kInvalidUnit = "invalid Unit1/Unit2 (expected exactly one of them 1)";
constexpr std::string_view kHospAdmOutOfRange =
    "HospAdmTime out of range (more than 87600 hours from ICU admission)";
constexpr std::string_view kInvalidLabel = "invalid SepsisLabel (expected 0 or 1)";
constexpr std::string_view kLabelDecreases = "SepsisLabel returns to 0 after 1";

const std::string& Header() {
  static const std::string header = [] {
    std::string h;
    for (const auto& c : terminology::PhysioNet2019Columns()) h.append(c.name).push_back('|');
    return h.append(kStayColumns);
  }();
  return header;
}

std::string_view ColumnName(size_t i) {
  if (i < kMeasurements) return terminology::PhysioNet2019Columns()[i].name;
  static constexpr std::array<std::string_view, 7> kNames = {
      "Age", "Gender", "Unit1", "Unit2", "HospAdmTime", "ICULOS", "SepsisLabel"};
  return kNames[i - kMeasurements];
}

bool IsNaN(std::string_view cell) { return cell == "NaN"; }

using Fields = std::array<std::string_view, kColumns + 1>;

// Splits `line` on '|' into `fields`; returns the number of fields (kColumns + 1 means "more").
// A byte loop: fields are a few bytes long, where a memchr call per field costs more than it saves.
size_t SplitFields(std::string_view line, Fields& fields) {
  size_t n = 0;
  const char* p = line.data();
  const char* field = p;
  const char* end = p + line.size();
  for (; p < end; ++p) {
    if (*p != '|') continue;
    fields[n++] = std::string_view(field, static_cast<size_t>(p - field));
    field = p + 1;
    if (n == kColumns) return kColumns + 1;  // a separator after the last column: too many
  }
  fields[n++] = std::string_view(field, static_cast<size_t>(end - field));
  return n;
}

// A 0/1 flag column: 0, 1, NaN (-1 here), or malformed (nullopt).
std::optional<int> ParseFlag(std::string_view cell) {
  if (IsNaN(cell)) return -1;
  auto v = base::ParseDouble(cell);
  if (!v || (*v != 0 && *v != 1)) return std::nullopt;
  return static_cast<int>(*v);
}

class Reader {
 public:
  explicit Reader(FileOutput& out) : out_(out), b_(out.batch) {}

  void Read() {
    const std::string_view content = base::StripByteOrderMark(out_.content);
    if (auto problem = physionet::WholeFileProblem(content)) {
      return physionet::RejectWholeFile(out_, *problem);
    }
    physionet::LineReader lines(content);
    std::optional<Line> header;
    while ((header = lines.Next()) && header->text.empty()) {
    }
    if (!header || header->text != Header()) return physionet::RejectWholeFile(out_, kWrongHeader);
    Start();
    bool any = false;
    while (auto line = lines.Next()) {
      if (line->text.empty()) continue;
      any = true;
      ReadRow(*line);
    }
    if (!any) return physionet::RejectWholeFile(out_, kNoRows);
    if (nan_cells_ > 0) AddSkip(b_, physionet::kSkipNaN, nan_cells_);
    Finish();
  }

 private:
  void Start() {
    const std::string id = out_.path.stem().string();
    subject_.subject_id = id;
    subject_.source = kSource;
    stay_.stay_id = id;
    stay_.subject_id = id;
    stay_.kind = "icu";
    stay_.start = kEpoch;
    stay_.source = kSource;
    subject_index_ = b_.events.InternSubject(id);
    stay_index_ = b_.events.InternStay(id);
    source_index_ = b_.events.InternSource(physionet::SourceName(out_));
    codes_.fill(store::EventColumns::kNone);    // interned on first use: most stays use few columns
    b_.events.ReserveCodes(kMeasurements + 2);  // and ICU admission, sepsis onset
    b_.events.Reserve(out_.content.size() / kBytesPerEvent);
  }

  void RejectCell(const Line& line, size_t column, std::string_view reason) {
    AddReject(b_, out_.path,
              physionet::LineLocation(line.number) + ", column " + std::string(ColumnName(column)),
              reason, line.text);
  }

  // Why the row as a whole cannot be placed in time, or empty.
  std::string_view RowProblem(const Fields& f, size_t n, int64_t& hour) {
    if (n != kColumns) return kWrongFieldCount;
    auto h = base::ParseInt64(f[kIculos]);
    if (!h) return kMalformedIculos;
    if (*h < 0 || *h > static_cast<int64_t>(kMaxHours)) return kIculosOutOfRange;
    if (last_hour_ && *h == *last_hour_) return kDuplicateHour;
    if (last_hour_ && *h < *last_hour_) return kIculosOutOfOrder;
    if (first_row_) {
      for (size_t i = kAge; i <= kHospAdmTime; ++i) {
        if (f[i] != first_fields_[i]) return kDescriptorsDiffer;
      }
    }
    hour = *h;
    return {};
  }

  void ReadRow(const Line& line) {
    Fields f;
    const size_t n = SplitFields(line.text, f);
    const size_t cells = std::min(n, kMeasurements);
    int64_t hour = 0;
    std::string_view problem = RowProblem(f, n, hour);
    if (!problem.empty()) {
      if (!line.terminated) problem = physionet::kTruncatedLine;
      for (size_t i = 0; i < cells; ++i) {
        if (IsNaN(f[i])) {
          ++nan_cells_;
        } else {
          RejectCell(line, i, problem);
        }
      }
      return;
    }
    if (!first_row_) {
      first_row_ = line;
      first_fields_ = f;
    }
    last_hour_ = hour;
    ReadLabel(line, f[kSepsisLabel], hour);
    const base::Instant time = kEpoch + base::Hours(hour);
    const auto columns = terminology::PhysioNet2019Columns();
    for (size_t i = 0; i < kMeasurements; ++i) {
      if (IsNaN(f[i])) {
        ++nan_cells_;
        continue;
      }
      auto v = base::ParseDouble(f[i]);
      if (v) *v *= columns[i].scale;
      if (!v || !std::isfinite(*v)) {
        const std::string_view reason = !line.terminated ? physionet::kTruncatedLine
                                        : v              ? kUnrepresentable
                                                         : kMalformedValue;
        RejectCell(line, i, reason);
        continue;
      }
      if (codes_[i] == store::EventColumns::kNone) {
        codes_[i] = b_.events.InternCode(columns[i].code, columns[i].unit);
      }
      b_.events.AddNumeric(subject_index_, time, codes_[i], *v, stay_index_, source_index_);
      ++stored_cells_;
    }
  }

  void ReadLabel(const Line& line, std::string_view cell, int64_t hour) {
    if (label_problem_) return;
    auto flag = ParseFlag(cell);
    if (!flag || *flag < 0) {
      label_problem_ = {line, kInvalidLabel};
    } else if (*flag == 1 && !first_label_hour_) {
      first_label_hour_ = hour;
    } else if (*flag == 0 && first_label_hour_) {
      label_problem_ = {line, kLabelDecreases};
    }
  }

  void Stored(int64_t n = 1) {
    b_.counts.records_in += n;
    b_.counts.stored += n;
  }

  // The stay records, from the first well-formed row.
  void Finish() {
    Stored(stored_cells_);
    const uint32_t admission = b_.events.InternCode(terminology::kIcuAdmission, "");
    b_.events.AddPresence(subject_index_, kEpoch, admission, stay_index_, source_index_);
    if (first_row_) {
      const Line& line = *first_row_;
      const Fields& f = first_fields_;
      ReadAge(line, f[kAge]);
      ReadGender(line, f[kGender]);
      ReadUnit(line, f[kUnit1], f[kUnit2]);
      ReadHospitalAdmission(line, f[kHospAdmTime]);
      FinishLabel();
      stay_.end = kEpoch + base::Hours(*last_hour_);
    }
    b_.subjects.push_back(subject_);
    b_.stays.push_back(stay_);
  }

  void ReadAge(const Line& line, std::string_view cell) {
    if (IsNaN(cell)) return AddSkip(b_, physionet::kSkipNaN);
    auto v = base::ParseDouble(cell);
    if (!v) return RejectCell(line, kAge, kMalformedValue);
    const auto* r = terminology::FindPhysiologicalRange(terminology::kAgeCode);
    if (!terminology::InRange(*r, *v)) {
      return RejectCell(line, kAge, terminology::RangeReason("Age", *r, "a"));
    }
    stay_.age_years = *v;
    Stored();
  }

  void ReadGender(const Line& line, std::string_view cell) {
    auto flag = ParseFlag(cell);
    if (!flag) return RejectCell(line, kGender, kInvalidGender);
    if (*flag < 0) return AddSkip(b_, physionet::kSkipNaN);
    subject_.sex = *flag == 0 ? "female" : "male";
    Stored();
  }

  void ReadUnit(const Line& line, std::string_view unit1, std::string_view unit2) {
    auto micu = ParseFlag(unit1), sicu = ParseFlag(unit2);
    if (!micu) return RejectCell(line, kUnit1, kInvalidUnit);
    if (!sicu) return RejectCell(line, kUnit2, kInvalidUnit);
    if (*micu < 0 && *sicu < 0) return AddSkip(b_, physionet::kSkipNaN);
    if ((*micu == 1) == (*sicu == 1) && *micu >= 0 && *sicu >= 0) {
      return RejectCell(line, kUnit1, kInvalidUnit);
    }
    if (*micu != 1 && *sicu != 1) return AddSkip(b_, physionet::kSkipNaN);  // 0 and NaN
    stay_.unit = std::string(*micu == 1 ? terminology::kMedicalIcu : terminology::kSurgicalIcu);
    Stored();
  }

  void ReadHospitalAdmission(const Line& line, std::string_view cell) {
    if (IsNaN(cell)) return AddSkip(b_, physionet::kSkipNaN);
    auto v = base::ParseDouble(cell);
    if (!v) return RejectCell(line, kHospAdmTime, kMalformedValue);
    if (std::abs(*v) > kMaxHours) return RejectCell(line, kHospAdmTime, kHospAdmOutOfRange);
    stay_.hospital_admit =
        kEpoch + base::Duration(static_cast<int64_t>(std::llround(*v * kMicrosPerHour)));
    Stored();
  }

  void FinishLabel() {
    if (label_problem_) {
      return RejectCell(label_problem_->first, kSepsisLabel, label_problem_->second);
    }
    Stored();
    if (first_label_hour_) {
      b_.events.AddPresence(
          subject_index_, kEpoch + base::Hours(*first_label_hour_ + kLabelLeadHours),
          b_.events.InternCode(terminology::kSepsisOnset, ""), stay_index_, source_index_);
    }
  }

  FileOutput& out_;
  store::Batch& b_;
  store::Subject subject_;
  store::Stay stay_;
  uint32_t subject_index_ = 0, stay_index_ = 0, source_index_ = 0;
  std::array<uint32_t, kMeasurements> codes_{};
  int64_t nan_cells_ = 0;
  int64_t stored_cells_ = 0;
  std::optional<int64_t> last_hour_;
  std::optional<Line> first_row_;
  Fields first_fields_;
  std::optional<int64_t> first_label_hour_;
  std::optional<std::pair<Line, std::string_view>> label_problem_;
};

}  // namespace

void ReadPhysioNet2019(FileOutput& out) { Reader(out).Read(); }

base::Result<store::RunSummary> IngestPhysioNet2019(store::OpeningStore& store,
                                                    const IngestRequest& request) {
  if (!request.outcomes.empty()) {
    return base::InvalidArgumentError("--outcomes is only for --format physionet2012");
  }
  FilesOptions options;
  options.format = "physionet2019";
  // A 2019 file's name is its patient's id: a copy under another name is another patient.
  options.reading = [](const std::filesystem::path& path) {
    return "physionet2019/" + path.filename().string();
  };
  options.arguments = request.arguments;
  options.suffixes = {".psv"};
  options.session.reject_whole_file = physionet::RejectWholeFile;
  options.session.progress = request.progress;
  if (request.commit_events > 0) options.session.commit_events = request.commit_events;
  return IngestFiles(store, request.inputs, ReadPhysioNet2019, std::move(options));
}

}  // namespace vigil::ingest
