// Internal to the synth evaluation: a generated data set as read back from its FHIR files and
// truth/hours.csv (evaluation_load.cc), for the metrics in evaluation.cc.
#ifndef VIGIL_SYNTH_EVALUATION_DATA_H_
#define VIGIL_SYNTH_EVALUATION_DATA_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "vigil/base/status.h"

namespace vigil::synth::eval {

// The observation codes the evaluation uses.
enum class Code : uint8_t {
  kOther,
  kHeartRate,
  kRespRate,
  kSpO2,
  kSystolic,
  kTemperature,
  kAcvpu,
  kFiO2,
  kO2Flow,
  kSaO2,
};

struct Obs {
  int32_t encounter;
  Code code;
  char text;      // ACVPU letter
  int64_t time;   // effective, seconds since 1970
  int64_t delay;  // issued - effective, seconds
  double value;
};

struct Encounter {
  int32_t patient = -1;
  int32_t parent = -1;  // ICU stays: the hospital encounter
  bool icu = false;
  bool emergency = false;
  bool died = false;  // dischargeDisposition "exp"
  bool sepsis = false;
  bool arrest = false;
  int64_t start = 0;
  int64_t end = 0;
  std::vector<int64_t> deteriorations;            // hospital encounters: ICU starts, arrests, death
  std::vector<std::pair<int64_t, double>> truth;  // ward hours: (time, risk24_deterioration)
};

struct Patient {
  std::string race;
  bool hypercapnic = false;  // has the chronic hypercapnic respiratory failure condition
};

struct DataSet {
  std::unordered_map<std::string, int32_t> encounter_index;
  std::unordered_map<std::string, int32_t> patient_index;
  std::vector<Encounter> encounters;
  std::vector<Patient> patients;
  std::vector<Obs> observations;
  int64_t unreadable_lines = 0;
};

// Reads dir/*.ndjson (Patient, Encounter, Condition, Observation) and dir/truth/hours.csv (when
// present). A line that cannot be parsed is counted in unreadable_lines and skipped.
base::Result<DataSet> LoadDataSet(const std::filesystem::path& dir);

}  // namespace vigil::synth::eval

#endif  // VIGIL_SYNTH_EVALUATION_DATA_H_
