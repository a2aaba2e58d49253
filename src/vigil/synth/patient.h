// Simulates one patient of the synthetic hospital: who they are, their chronic conditions, their
// first admission and any readmissions, each written as FHIR resources and truth rows.
#ifndef VIGIL_SYNTH_PATIENT_H_
#define VIGIL_SYNTH_PATIENT_H_

#include <cstdint>
#include <string>

#include "vigil/synth/admission.h"
#include "vigil/synth/output.h"
#include "vigil/synth/population.h"

namespace vigil::synth {

struct CohortSettings {
  SimulationContext simulation;
  PopulationOptions population;
  uint64_t seed = 1;
  int64_t start_day = 0;  // first admissions fall in [start_day, start_day + days)
  int days = 365;
  bool truth = true;  // write truth rows
};

// "p<index + 1>".
std::string PatientId(int64_t index);

// Appends patient `index`'s records to `out` (and adds to out.tally). Deterministic in
// (settings.seed, index): the same patient whatever else is generated.
void SimulatePatient(const CohortSettings& settings, int64_t index, PatientOutput& out);

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_PATIENT_H_
