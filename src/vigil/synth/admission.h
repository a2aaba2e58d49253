// Simulates one hospital admission hour by hour (docs/synth.md): the latent physiology, the
// events (ICU referral and transfer, cardiac arrest, death, discharge), infections and sepsis,
// treatment, and the measurement process (ward observation sets at intervals set by the charted
// NEWS2 and the nurse's worry, hourly ICU charting, laboratory tests). Writes FHIR resources and
// truth rows as it goes. Deterministic in the Rng; one call per admission, not thread-safe.
#ifndef VIGIL_SYNTH_ADMISSION_H_
#define VIGIL_SYNTH_ADMISSION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/synth/catalog.h"
#include "vigil/synth/charting.h"
#include "vigil/synth/fhir_writer.h"
#include "vigil/synth/model.h"
#include "vigil/synth/population.h"
#include "vigil/synth/random.h"
#include "vigil/synth/truth_writer.h"

namespace vigil::synth {

struct SimulationContext {
  ModelParameters model;
  ChartingRates charting;
};

struct AdmissionPlan {
  int number = 1;  // 1-based within the patient: the encounter id is "<patient>-e<number>"
  int64_t start = 0;
  bool emergency = true;
  const Diagnosis* dx = nullptr;
};

struct AdmissionOutcome {
  std::string encounter_id;
  int64_t end = 0;
  bool died = false;
  std::string_view disposition;  // FHIR discharge-disposition code ("home", "snf", "exp", ...)
  double severity = 0;           // latent severity at discharge
  InfectionSite infection_site = InfectionSite::kNone;  // at admission
  int icu_stays = 0;
  std::optional<int64_t> sepsis_onset;  // true onset
};

AdmissionOutcome SimulateAdmission(const SimulationContext& ctx, const PatientProfile& patient,
                                   const AdmissionPlan& plan, Rng& rng, FhirWriter& fhir,
                                   TruthWriter& truth, Tally& tally);

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_ADMISSION_H_
