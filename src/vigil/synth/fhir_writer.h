// Writes one patient's FHIR R4 resources as NDJSON lines (docs/synth.md, "FHIR conventions").
//
// Every line is one resource with resourceType and id. Ids are the patient id plus a per-patient
// sequence: Patient "p17", Encounter "p17-e1" (ICU: "p17-e1-icu1"), Observation "p17-o123",
// Condition "p17-c4", MedicationAdministration "p17-m9". Times are UTC instants
// ("2024-03-05T08:17:00Z"), given as seconds since 1970-01-01. Text comes only from vigil's own
// constant tables (no quoting needed). One FhirWriter per patient, not thread-safe.
#ifndef VIGIL_SYNTH_FHIR_WRITER_H_
#define VIGIL_SYNTH_FHIR_WRITER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/synth/catalog.h"
#include "vigil/synth/output.h"
#include "vigil/synth/population.h"

namespace vigil::synth {

// Appends "YYYY-MM-DDThh:mm:ssZ".
void AppendInstant(std::string& out, int64_t seconds);

// AppendInstant that remembers the last day it formatted (times come in runs of the same day).
class InstantFormatter {
 public:
  void Append(std::string& out, int64_t seconds);

 private:
  int64_t day_ = -1000000000;
  char date_[10] = {};
};
// Appends "YYYY-MM-DD" for a day number (days since 1970-01-01).
void AppendDate(std::string& out, int64_t day);
// Appends `v` rounded half away from zero to `decimals` (0-9) places: 36.8 -> "36.8", 88 -> "88".
void AppendFixed(std::string& out, double v, int decimals);

struct ObsTimes {
  int64_t effective;  // when measured or collected
  int64_t issued;     // when charted or reported (>= effective)
};

struct EncounterRecord {
  std::string id;
  bool icu = false;
  std::string part_of;  // the hospital encounter (ICU stays)
  bool emergency = false;
  int64_t start = 0;
  int64_t end = 0;
  const Diagnosis* reason = nullptr;       // hospital encounters
  std::string_view discharge_disposition;  // hospital encounters: a discharge-disposition code
};

struct ConditionRecord {
  std::string_view system;
  std::string_view code;
  std::string_view display;
  bool problem_list = false;  // chronic: problem-list-item; else encounter-diagnosis
  std::string_view encounter_id;
  std::optional<int64_t> onset;
  int64_t recorded = 0;
};

class FhirWriter {
 public:
  FhirWriter(std::string patient_id, PatientOutput& out);

  const std::string& patient_id() const { return patient_id_; }
  // The id the next Observation will get.
  std::string NextObservationId() const;

  // An Observation with valueQuantity in code.unit (a charting error may put a value measured in
  // another unit under it: the label is what the chart says).
  void Quantity(const ObservationCode& code, std::string_view encounter_id, ObsTimes t,
                double value, int decimals);
  // The blood pressure panel (85354-9) with systolic and diastolic components.
  void BloodPressure(std::string_view encounter_id, ObsTimes t, double systolic, double diastolic);
  // An Observation with valueString (ACVPU letters).
  void Text(const ObservationCode& code, std::string_view encounter_id, ObsTimes t,
            std::string_view text);

  void Condition(const ConditionRecord& c);
  // A MedicationAdministration: a dose at `start`, or for an infusion (a rate unit) the period
  // start-end.
  void Medication(const Medication& med, std::string_view encounter_id, int64_t start,
                  std::optional<int64_t> end);
  void Encounter(const EncounterRecord& e);
  void Patient(const PatientProfile& p, std::optional<int64_t> deceased);

 private:
  void BeginObservation(const ObservationCode& code, std::string_view encounter_id, ObsTimes t);
  void AppendReference(std::string& s, std::string_view type, std::string_view id);
  // Cached JSON fragments: from "status" to the end of "code" for a code; subject and encounter
  // references up to the opening quote of effectiveDateTime for the current encounter.
  const std::string& CodeFragment(const ObservationCode& code);
  const std::string& EncounterFragment(std::string_view encounter_id);

  std::string patient_id_;
  PatientOutput& out_;
  int64_t observations_ = 0;
  int64_t conditions_ = 0;
  int64_t medications_ = 0;
  InstantFormatter time_;
  std::string observation_prefix_;  // {"resourceType":"Observation","id":"<patient>-o
  std::vector<std::pair<const ObservationCode*, std::string>> code_fragments_;
  std::string fragment_encounter_;
  std::string encounter_fragment_;
};

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_FHIR_WRITER_H_
