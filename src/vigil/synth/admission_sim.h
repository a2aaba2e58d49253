// Internal to the synth module: the state of one admission being simulated. admission.cc holds
// the hourly loop and the events; admission_care.cc what the staff do (observation sets, oxygen,
// laboratory tests, medicines).
#ifndef VIGIL_SYNTH_ADMISSION_SIM_H_
#define VIGIL_SYNTH_ADMISSION_SIM_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vigil/scores/news2.h"
#include "vigil/synth/admission.h"
#include "vigil/synth/physiology.h"

namespace vigil::synth {

inline constexpr int64_t kHour = 3600;
inline constexpr int64_t kMinute = 60;

class AdmissionSim {
 public:
  AdmissionSim(const SimulationContext& ctx, const PatientProfile& patient,
               const AdmissionPlan& plan, Rng& rng, FhirWriter& fhir, TruthWriter& truth,
               Tally& tally);
  AdmissionOutcome Run();

 private:
  // --- admission.cc: setup, events, the hourly loop ---
  void Setup();
  // What happens this hour to move or end the stay. Observations this hour come before `limit`;
  // the change itself takes effect at `at` (>= limit).
  struct Change {
    enum Kind { kNone, kToIcu, kToWard, kDeath, kDischarge } kind = kNone;
    int64_t limit = 0;
    int64_t at = 0;
    std::string_view detail;
  };
  Change DrawEvents(int64_t hour_start);
  void Apply(const Change& c);
  void WriteTruthHour(int64_t hour_start);
  void InfectionEvents(int64_t hour_start);
  void StartIcu(int64_t time);
  void EndIcu(int64_t time);
  void Die(int64_t time, std::string_view cause);
  void Discharge(int64_t time, std::string_view disposition);
  void Finish();
  void RecordSepsis(int64_t time);
  void StopVasopressor(int64_t time);
  double RecoveryHours() const;
  std::string_view Location() const;  // encounter id of where the patient is now

  // --- admission_care.cc: the staff ---
  void Tend(int64_t hour_start, int64_t limit);
  void WardSet(int64_t time);
  void IcuSet(int64_t time, bool full);
  void AdmissionMeasurements(int64_t time);
  void Bloods(int64_t time, bool lactate);
  void BloodGas(int64_t time);
  void TitrateWardOxygen(double charted_spo2);
  void TitrateIcuOxygen(double charted_spo2);
  void ScheduleNextWardSet(int64_t time, const scores::News2Score& news);
  void RecogniseInfection(int64_t time, bool signs);
  void StartAntibiotics(int64_t time, bool broad);
  void Medicines(int64_t hour_start, int64_t limit);
  void ChartQuantity(const ObservationCode& code, Measured what, double truth, ObsTimes t,
                     double* reading = nullptr);
  int HourOfDay(int64_t time) const;

  const SimulationContext& ctx_;
  const ModelParameters& m_;
  const PatientProfile& patient_;
  const AdmissionPlan& plan_;
  Rng& rng_;
  FhirWriter& fhir_;
  TruthWriter& truth_;
  Tally& tally_;
  Charting charting_;

  const Diagnosis* dx_;
  std::string encounter_id_;
  std::string icu_id_;  // current ICU encounter, when in ICU
  std::vector<EncounterRecord> icu_stays_;
  Phenotype phenotype_;
  double spo2_offset_ = 0;  // this admission's mean SpO2 - SaO2 (patient bias + probe, perfusion)
  LatentState state_;
  Care care_;
  TrueState now_{};
  InfectionSite infection_site_ = InfectionSite::kNone;

  int64_t time_ = 0;  // start of the current hour
  int hours_ = 0;     // hours since admission
  bool done_ = false;
  AdmissionOutcome outcome_;

  // Events in flight.
  std::optional<int64_t> transfer_at_;  // ICU transfer after a referral or an arrest
  std::optional<int64_t> ready_at_;     // medically fit for discharge from then (arrangements)
  int stable_icu_hours_ = 0;
  int64_t icu_since_ = 0;
  std::optional<int64_t> sepsis_onset_;  // true onset
  std::optional<int64_t> sepsis_recognise_at_;
  bool sepsis_recorded_ = false;
  bool infection_known_ = false;
  std::optional<int64_t> antibiotics_at_;
  int64_t antibiotics_started_ = 0;
  int64_t last_antibiotic_change_ = 0;
  double infection_at_antibiotics_ = 0;
  bool broad_spectrum_ = false;
  int64_t next_antibiotic_dose_ = 0;
  int64_t next_vancomycin_dose_ = 0;
  int64_t infection_cleared_at_ = 0;
  std::optional<int64_t> surgery_at_;
  std::optional<int64_t> vasopressor_since_;

  // The nurse.
  int64_t next_ward_set_ = 0;
  double severity_at_last_set_ = 0;
  int last_news_ = 0;
  int ward_o2_step_ = 0;
  int64_t last_bolus_ = -1;
  int64_t last_antipyretic_ = -1;
  int64_t last_lactate_ = -1;
  bool worried_ = false;
};

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_ADMISSION_SIM_H_
