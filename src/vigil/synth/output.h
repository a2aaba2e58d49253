// Where one patient's generated records go: an NDJSON buffer per FHIR resource type and a CSV
// buffer per truth file, plus counters. The generator concatenates patients' buffers in patient
// order into the output files. Single-owner value type.
#ifndef VIGIL_SYNTH_OUTPUT_H_
#define VIGIL_SYNTH_OUTPUT_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::synth {

// The files of a generated data set, in this order. FHIR files are in the output folder, truth
// files in its truth/ subfolder.
enum class OutFile {
  kPatient,
  kEncounter,
  kObservation,
  kCondition,
  kMedicationAdministration,
  kTruthPatients,
  kTruthAdmissions,
  kTruthEvents,
  kTruthHours,
};
inline constexpr int kOutFileCount = 9;
inline constexpr int kFhirFileCount = 5;
// "Patient.ndjson", ..., "truth/hours.csv".
std::string_view OutFileName(OutFile f);
// The CSV header line of a truth file (with its newline); empty for FHIR files.
std::string_view OutFileHeader(OutFile f);

// Counts of what was generated (summed over patients by the generator).
struct Tally {
  int64_t patients = 0;
  int64_t admissions = 0;
  int64_t emergency_admissions = 0;
  int64_t icu_stays = 0;
  int64_t cardiac_arrests = 0;
  int64_t deaths = 0;
  int64_t sepsis = 0;
  int64_t readmissions_30d = 0;
  int64_t charting_errors = 0;
  int64_t hours = 0;
  std::array<int64_t, kOutFileCount> records{};  // lines per file

  void Add(const Tally& other);
};

struct PatientOutput {
  std::array<std::string, kOutFileCount> text;
  Tally tally;

  std::string& operator[](OutFile f) { return text[static_cast<int>(f)]; }
  // Empties the buffers (keeping their capacity) and the counters.
  void Clear();
};

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_OUTPUT_H_
