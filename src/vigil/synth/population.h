// The synthetic hospital's population: who the patients are (age, sex, race, ethnicity, chronic
// conditions, frailty, treatment limits) and their own baseline physiology.
//
// Race and ethnicity follow the OMB categories of the US Core race and ethnicity extensions, in
// proportions like those of a large urban US hospital (docs/synth.md). The pulse-oximetry bias of
// Sjoding et al. (NEJM 2020;383:2477-2478) is a property of the patient: `spo2_bias` is the mean
// amount (percentage points) by which this patient's pulse oximetry reads above the true arterial
// saturation. Plain values; MakePatient is deterministic in its Rng.
#ifndef VIGIL_SYNTH_POPULATION_H_
#define VIGIL_SYNTH_POPULATION_H_

#include <array>
#include <cstdint>
#include <string_view>

#include "vigil/synth/catalog.h"
#include "vigil/synth/random.h"

namespace vigil::synth {

enum class Sex { kFemale, kMale };
enum class Race {
  kWhite,
  kBlack,
  kAsian,
  kAmericanIndian,
  kPacificIslander,
  kBlackAndWhite,
  kUnknown
};
enum class Ethnicity { kHispanic, kNotHispanic, kUnknown };

std::string_view RaceName(Race r);            // "white", "black", ... (truth files)
std::string_view EthnicityName(Ethnicity e);  // "hispanic", "not_hispanic", "unknown"

struct PopulationOptions {
  // Extra mean overestimation of SpO2 (percentage points) for Black patients (half for patients
  // of Black and White race). Sjoding et al. 2020 found occult hypoxaemia (SaO2 < 88 % while SpO2
  // reads 92-96 %) in 11.7 % of paired readings of Black patients against 3.6 % of White patients;
  // the default reproduces a gap of that size (docs/synth.md). 0 turns the bias off.
  double spo2_bias_black = 2.0;
};

// Baseline (well) physiology of one patient, in canonical units.
struct Baseline {
  double heart_rate;   // /min
  double resp_rate;    // /min
  double systolic;     // mm[Hg]
  double temperature;  // Cel
  double sao2;         // %, breathing air
  double paco2;        // mm[Hg]
  double creatinine;   // mg/dL
  double white_cells;  // 10*3/uL
  double platelets;    // 10*3/uL
  double bilirubin;    // mg/dL
  double lactate;      // mmol/L
  double weight_kg;
  double height_cm;
};

struct PatientProfile {
  int64_t birth_day = 0;  // days since 1970-01-01
  Sex sex = Sex::kFemale;
  Race race = Race::kWhite;
  Ethnicity ethnicity = Ethnicity::kNotHispanic;
  std::array<bool, kChronicCount> chronic{};  // indexed by Chronic
  double frailty = 0;                         // 0 (fit) to 1 (very frail)
  bool ceiling_of_care = false;  // ward-based care only: no ICU, no resuscitation (DNACPR)
  double spo2_bias = 0;          // mean SpO2 - SaO2 for this patient, percentage points
  Baseline baseline{};

  bool Has(Chronic c) const { return chronic[static_cast<int>(c)]; }
};

// A new patient whose first admission is on `first_admission_day` (days since 1970-01-01).
PatientProfile MakePatient(Rng& rng, const PopulationOptions& options, int64_t first_admission_day);

// Age in whole years on `day`.
int AgeOn(const PatientProfile& p, int64_t day);

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_POPULATION_H_
