// The latent-state physiology of one admission (docs/synth.md, "The latent-state model").
//
// Hidden state, advanced hourly: the severity S of acute illness; the admission illness that
// resolves over time; an infection burden I that grows unless antibiotics work; deterioration
// episodes D that ramp up until they resolve or end in an event; slow organ deviations. From the
// state come the true vital signs and labs (TrueState), the hourly hazards of ICU referral,
// cardiac arrest and death, and the projected 24-hour risks written to truth/. Pure functions of
// their arguments except Step(), which draws from the Rng it is given.
#ifndef VIGIL_SYNTH_PHYSIOLOGY_H_
#define VIGIL_SYNTH_PHYSIOLOGY_H_

#include "vigil/scores/observations.h"
#include "vigil/synth/catalog.h"
#include "vigil/synth/model.h"
#include "vigil/synth/population.h"
#include "vigil/synth/random.h"

namespace vigil::synth {

struct LatentState {
  double severity = 0;       // S
  double slow_severity = 0;  // S averaged over about a day (drives creatinine, bilirubin, ...)
  double illness = 0;        // the admission illness's part of the target; decays
  double surgery = 0;        // the operation's part of the target; decays over a day
  double infection = 0;      // I, 0 when there is none
  double episode = 0;        // D
  double episode_rate = 0;   // > 0 while a deterioration episode is active
  // Individual, slowly varying deviations (AR(1), unit-free).
  double dev_resp = 0, dev_circ = 0, dev_neuro = 0, dev_renal = 0, dev_temp = 0;
  double dev_hr = 0, dev_rr = 0, dev_sbp = 0;
  double dev_sao2 = 0;                 // fast: transient desaturations
  bool antibiotics = false;            // an antibiotic is being given
  bool antibiotics_effective = false;  // and it covers the organism
};

// What the staff do that changes the body.
struct Care {
  bool in_icu = false;
  double fio2 = 21;          // delivered oxygen, % (21: air)
  bool vasopressor = false;  // noradrenaline infusion (ICU)
  bool escalated = false;    // the last ward NEWS2 was 7 or more: critical care outreach called
  int hours_since_antipyretic = 1000;
};

// The body's true values this hour, in canonical units.
struct TrueState {
  double heart_rate, resp_rate, systolic, diastolic, temperature;
  double sao2;              // with the oxygen being given
  double unsupported_sao2;  // what it would be on air
  double paco2, lactate, white_cells, creatinine, bilirubin, platelets;
  scores::Consciousness consciousness;
  int gcs;
};

// Per-patient response traits drawn once per admission.
struct Phenotype {
  bool hypothermic = false;  // sepsis with a falling temperature (elderly)
  bool leucopenic = false;   // sepsis with falling white cells
  double delirium = 0;       // proneness to confusion
};

TrueState Physiology(const PatientProfile& patient, const Diagnosis& dx, const Phenotype& ph,
                     const LatentState& s, const Care& care);

// The target S moves towards this hour (without noise).
double Target(const ModelParameters& m, const LatentState& s, const Care& care, double true_sao2);

// Advances the state by one hour. `true_sao2` is this hour's true saturation (hypoxaemia feeds
// back into severity).
void Step(const ModelParameters& m, const PatientProfile& patient, const Diagnosis& dx,
          const Care& care, double true_sao2, double recovery_hours, Rng& rng, LatentState& s);

// An hourly hazard exp(log_base + slope * S); `enabled` false means the event cannot happen.
struct LogLinearHazard {
  bool enabled = false;
  double log_base = 0;
  double slope = 0;
  double At(double severity) const;
  // E[hazard] when S ~ Normal(mean, var).
  double Expected(double mean, double var) const;
};

// The hazards that apply to a patient at one place (ward or ICU). With a ward-based ceiling of
// care there is no ICU referral and no resuscitation: a cardiac arrest is a death
// (`arrest_is_death`).
struct HazardModel {
  LogLinearHazard referral;  // ICU referral
  LogLinearHazard arrest;
  LogLinearHazard death;
  bool arrest_is_death = false;
};
// ICU referral is more likely while the ward has escalated (care.escalated).
HazardModel HazardsFor(const ModelParameters& m, const PatientProfile& patient, const Diagnosis& dx,
                       const Care& care);

// Risks over the next 24 hours projected from the current state (docs/synth.md, "Truth"):
// the expected hazard along the mean path of S with its growing variance.
struct Risk24 {
  double deterioration = 0;  // ICU transfer, cardiac arrest or death
  double death = 0;
  double sepsis = 0;  // 0 once sepsis has begun
};
// `true_sao2` is this hour's saturation (its hypoxaemia term is assumed to persist).
Risk24 ProjectRisk(const ModelParameters& m, const PatientProfile& patient, const Diagnosis& dx,
                   const LatentState& s, const Care& care, double true_sao2, double recovery_hours,
                   bool sepsis_started);

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_PHYSIOLOGY_H_
