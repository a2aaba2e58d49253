// Checks that a generated data set is worth learning from (docs/synth.md, "Evaluation"). Reads
// the FHIR files as any consumer would (never the generator's state) plus truth/hours.csv, and
// measures:
//  - event rates: in-hospital mortality, sepsis among emergency admissions, ICU transfers,
//    cardiac arrests, 30-day readmissions, length of stay;
//  - the measurement process: ward observation sets per patient-day, late documentation;
//  - prediction: NEWS2 (vigil::scores, last value carried forward within the ward stay) at each
//    ward observation set against deterioration (ICU transfer, cardiac arrest or death) in the
//    next 24 hours, and the true latent risk from truth/ against the same labels, as AUROC with
//    95 % confidence intervals from a bootstrap over patients;
//  - the pulse-oximetry bias: occult hypoxaemia (SaO2 < 88 % while SpO2 reads 92-96 %) among
//    paired readings by race.
// Not thread-safe; memory grows with the data set (meant for thousands of patients).
#ifndef VIGIL_SYNTH_EVALUATION_H_
#define VIGIL_SYNTH_EVALUATION_H_

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "vigil/base/status.h"

namespace vigil::synth {

struct EvaluationOptions {
  std::filesystem::path dir;  // a `vigil synth` output folder
  int bootstrap = 200;        // bootstrap resamples for the confidence intervals
  uint64_t seed = 1;
};

struct Interval {
  double value = 0;
  double low = 0;
  double high = 0;
};

struct OccultHypoxaemia {
  int64_t pairs = 0;   // SpO2 92-96 % paired with an arterial SaO2 at the same time
  int64_t occult = 0;  // of which SaO2 < 88 %
};

struct Evaluation {
  int64_t patients = 0;
  int64_t admissions = 0;
  int64_t emergency_admissions = 0;
  int64_t deaths = 0;             // admissions ending in death
  int64_t icu_admissions = 0;     // admissions with an ICU stay
  int64_t arrest_admissions = 0;  // admissions with a cardiac arrest
  int64_t sepsis_emergency = 0;   // emergency admissions with a sepsis diagnosis
  int64_t discharged_alive = 0;
  int64_t readmitted_30d = 0;  // of those, followed by an admission within 30 days
  double median_stay_days = 0;
  double mean_stay_days = 0;
  double ward_days = 0;
  double icu_days = 0;
  int64_t ward_sets = 0;
  int64_t icu_sets = 0;
  int64_t vital_observations = 0;
  int64_t late_vitals = 0;  // issued more than an hour after they were taken
  int64_t implausible = 0;  // vital signs outside physiological limits
  int64_t unreadable_lines = 0;
  std::array<int64_t, 21> news2_histogram{};  // ward sets by NEWS2 total
  // Informative missingness: mean hours from a ward set to the next one in the same stay, by the
  // NEWS2 of the set (bands 0, 1-4, 5-6, 7+).
  std::array<double, 4> hours_to_next_set{};
  std::array<int64_t, 4> next_set_count{};
  // Prediction of deterioration within 24 h at each ward observation set.
  int64_t rows = 0;
  int64_t positives = 0;
  int64_t rows_with_truth = 0;
  Interval auroc_news2;
  Interval auroc_truth;
  Interval auroc_difference;                               // truth - NEWS2, paired bootstrap
  std::map<std::string, OccultHypoxaemia> occult_by_race;  // by the race text of Patient
};

base::Result<Evaluation> EvaluateDataSet(const EvaluationOptions& options);

// A report for people, ending with the targets of issue 4 and whether each holds.
std::string FormatEvaluation(const Evaluation& e);
// True when every target holds.
bool TargetsMet(const Evaluation& e);

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_EVALUATION_H_
