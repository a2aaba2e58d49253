// The rows of the patient store, as C++ values. See docs/store.md for the schema and its meaning.
#ifndef VIGIL_STORE_RECORDS_H_
#define VIGIL_STORE_RECORDS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/base/time.h"

namespace vigil::store {

// A patient. `subject_id` is the source's own identifier (PhysioNet RecordID or file name, FHIR
// Patient id), so exports and predictions can be joined back to the source.
struct Subject {
  std::string subject_id;
  std::string source;                 // the input format: "physionet2012", "fhir", ...
  std::optional<std::string> sex;     // FHIR administrative gender: female, male, other, unknown
  std::optional<int32_t> birth_date;  // days since 1970-01-01
  std::optional<std::string> race;    // as the source codes it (e.g. US Core OMB category)
  std::optional<std::string> ethnicity;
};

// Every value of Stay::kind the readers write (docs/store.md); task specs name kinds from this
// list.
inline constexpr std::array<std::string_view, 5> kStayKinds = {"icu", "inpatient", "emergency",
                                                               "ambulatory", "other"};

// Every value of Subject::source and Stay::source: the input formats (`vigil ingest --format`) that
// write subjects and stays. Task specs name sources from this list.
inline constexpr std::array<std::string_view, 3> kSources = {"fhir", "physionet2012",
                                                             "physionet2019"};

// An encounter: an ICU stay, a hospital admission, an emergency visit.
struct Stay {
  std::string stay_id;
  std::string subject_id;
  std::string kind;  // one of kStayKinds
  std::optional<base::Instant> start;
  std::optional<base::Instant> end;
  std::optional<base::Instant> hospital_admit;  // when the hospital admission began (ICU stays)
  std::optional<double> age_years;  // at `start`, when the source gives age rather than birth date
  std::optional<double> height_cm;  // at admission
  std::optional<double> weight_kg;  // at admission
  std::optional<std::string> unit;  // care unit or ICU type
  std::optional<std::string> disposition;  // discharge disposition
  std::optional<std::string> type;         // encounter type as the source codes it
  std::optional<std::string> location;
  std::string source;
};

// Facts learnt about an already stored stay from a later input (PhysioNet 2012 outcomes): the
// fields that are set replace the stay's; the others are left as they are.
struct StayUpdate {
  std::string stay_id;
  std::optional<base::Instant> end;
  std::optional<std::string> disposition;
};

// A severity score the source ships with a stay (SAPS-I, SOFA): kept for comparison, never a
// feature.
struct ReferenceScore {
  std::string stay_id;
  std::string name;
  double value = 0;
};

// One measurement or occurrence, MEDS-style. `code` is VOCABULARY/CODE (LOINC/8867-4, VIGIL/DEATH).
struct Event {
  std::string subject_id;
  base::Instant time;
  std::string code;
  std::optional<double> numeric_value;
  std::optional<std::string> text_value;
  std::string unit;     // UCUM; empty when the event has no unit
  std::string stay_id;  // empty when the event belongs to no stay
  std::string source;   // where it came from: a file name or FHIR "Type/id"
};

// A record that could not be stored, with where it was and why. `raw` is the record's bytes.
struct Reject {
  std::string file;
  std::string location;  // "line 12", "byte 4096", "entry 3"
  std::string reason;    // a stable, short reason (docs/ingest.md lists them)
  std::string raw;
};

// The accounting of one input file or one run: records_in = stored + rejected + skipped, always.
struct Counts {
  int64_t records_in = 0;
  int64_t stored = 0;
  int64_t rejected = 0;
  int64_t skipped = 0;

  Counts& operator+=(const Counts& o) {
    records_in += o.records_in;
    stored += o.stored;
    rejected += o.rejected;
    skipped += o.skipped;
    return *this;
  }
  bool Balanced() const { return records_in == stored + rejected + skipped; }
};

// A skip reason and how many records it covered ("empty value (NaN)", "resource type Claim").
struct SkipCount {
  std::string reason;
  int64_t count = 0;
};

// An input file that was read whole. Its content hash and how it was read (`reading`: the format
// and what else decides what the content means, docs/ingest.md) make reading it the same way again
// a no-op, unless it was refused whole (Remembered() false), when a later run reads it again.
struct IngestedFile {
  std::string sha256;
  std::string reading;
  std::string path;
  Counts counts;

  // Whether a later run takes the file as ingested: something of it was stored, or nothing was
  // rejected (Store::IngestedFileKeys lists only these).
  static bool Remembered(const Counts& counts) { return counts.stored > 0 || counts.rejected == 0; }
  // The key Store::IngestedFileKeys lists a file by.
  static std::string Key(std::string_view sha256, std::string_view reading) {
    std::string key(sha256);
    key += ' ';
    key += reading;
    return key;
  }
};

// The version of a source record whose rows are in the store (its row of table sources). `source`
// is the events' source ("Observation/123"). A reader compares an incoming record with it: same
// version, nothing new; newer, its events replace the older ones (Batch::replace_sources).
struct RecordVersion {
  std::string source;
  std::string version_id;  // empty when the record has none
  std::optional<base::Instant> last_updated;
  std::string content_hash;  // empty when a version id or time identifies it
};

}  // namespace vigil::store

#endif  // VIGIL_STORE_RECORDS_H_
