// Writes the ground truth of one patient as CSV rows of the truth/ files (docs/synth.md, "Truth"):
// patients.csv (hidden traits), admissions.csv (one row per hospital admission), events.csv (true
// event times, including those the FHIR files record late or never) and hours.csv (the latent
// state and projected risks of every patient-hour). Nothing here is ever written to the FHIR
// files. One TruthWriter per patient, not thread-safe.
#ifndef VIGIL_SYNTH_TRUTH_WRITER_H_
#define VIGIL_SYNTH_TRUTH_WRITER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/synth/output.h"
#include "vigil/synth/physiology.h"
#include "vigil/synth/population.h"

namespace vigil::synth {

struct AdmissionTruth {
  std::string_view encounter_id;
  int64_t start = 0;
  int64_t end = 0;
  bool emergency = false;
  std::string_view diagnosis;  // SNOMED code
  InfectionSite infection_site = InfectionSite::kNone;
  std::string_view outcome;  // "home", "facility", "died"
  int icu_stays = 0;
  std::optional<int64_t> sepsis_onset;
  bool readmitted_30d = false;
};

struct HourTruth {
  std::string_view encounter_id;
  int64_t time = 0;
  bool icu = false;
  double severity = 0;
  double infection = 0;
  double hazard_referral = 0;
  double hazard_arrest = 0;
  double hazard_death = 0;
  Risk24 risk;
  double true_sao2 = 0;
};

class TruthWriter {
 public:
  TruthWriter(std::string_view patient_id, PatientOutput& out, bool enabled);

  void Patient(const PatientProfile& p);
  void Admission(const AdmissionTruth& a);
  void Event(std::string_view encounter_id, int64_t time, std::string_view event,
             std::string_view detail = {});
  void Hour(const HourTruth& h);
  bool enabled() const { return enabled_; }

 private:
  void Begin(OutFile f);

  std::string_view patient_id_;
  PatientOutput& out_;
  bool enabled_;
};

std::string_view InfectionSiteName(InfectionSite s);  // "none", "chest", "urine", ...

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_TRUTH_WRITER_H_
