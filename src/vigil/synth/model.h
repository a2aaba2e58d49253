// The parameters of the synthetic hospital's latent-state model (docs/synth.md explains each one).
//
// Clinical rules the simulated staff follow are named constants with their published source.
// Everything in ModelParameters is a model parameter: chosen so that the generated hospital has
// published event rates and a NEWS2 that predicts deterioration as it does on real wards; the
// figures are measured by `vigil-synth-eval` and recorded in docs/synth.md. A value object:
// copy it, change a field, hand it to the generator.
#ifndef VIGIL_SYNTH_MODEL_H_
#define VIGIL_SYNTH_MODEL_H_

namespace vigil::synth {

// ---- Clinical rules (published) ----

// Oxygen targets (British Thoracic Society guideline for oxygen use in adults, O'Driscoll et al.,
// Thorax 2017;72:i1-i90): 94-98 % for most patients, 88-92 % for those at risk of hypercapnic
// respiratory failure (the NEWS2 SpO2 scale 2 population).
inline constexpr double kO2TargetLow = 94;
inline constexpr double kO2TargetHigh = 98;
inline constexpr double kO2TargetLowHypercapnic = 88;
inline constexpr double kO2TargetHighHypercapnic = 92;

// Minimum frequency of observations by NEWS2 (RCP NEWS2 2017, chart 3 "Clinical response to NEWS
// trigger thresholds"): 0 -> 12-hourly; 1-4 -> 4-6-hourly; a single 3 -> at least hourly; 5-6 ->
// at least hourly; 7+ -> continuous. Real wards meet these imperfectly (the intervals below are
// drawn around them, see ModelParameters).
inline constexpr int kNews2UrgentTotal = 5;
inline constexpr int kNews2EmergencyTotal = 7;

// Sepsis-3 (Singer et al., JAMA 2016): sepsis is infection with organ dysfunction (an acute rise in
// SOFA of 2 points or more). The model's organ dysfunction is latent severity at or above
// ModelParameters::sepsis_severity while infection burden is at least
// ModelParameters::sepsis_min_infection.

// Survival to discharge after in-hospital cardiac arrest is about 20-25 % (Nolan et al., UK
// National Cardiac Arrest Audit, Resuscitation 2014;85:987-992: 18.4 %).
inline constexpr double kArrestSurvival = 0.2;

// ---- Model parameters (tuned; docs/synth.md) ----
struct ModelParameters {
  // Latent severity S (0 healthy, ~1 an ordinary emergency admission, >= 3 critical) moves each
  // hour towards a target mu: S += reversion * (mu - S) + severity_noise * N(0,1).
  double reversion = 0.06;
  double severity_noise = 0.05;
  // Deterioration episodes: onset hazard per hour exp(a + b_frailty F + b_severity S); while
  // active, the episode term D grows by a rate drawn from [min, max] per hour; an episode ends
  // (responds to ward treatment) with the given hazard, after which D decays.
  double episode_log_hazard = -8.4;
  double episode_frailty = 1.6;
  double episode_severity = 0.7;
  double episode_rate_min = 0.02;
  double episode_rate_max = 0.09;
  double episode_resolution = 0.012;
  double episode_decay = 0.05;
  // Infection burden I grows logistically (rate, carrying capacity); effective antibiotics clear it
  // at `antibiotic_clearance` per hour. Its weight in mu is `infection_weight`.
  double infection_growth = 0.035;
  double infection_capacity = 3.0;
  double antibiotic_clearance = 0.07;
  double antibiotic_effective = 0.7;  // probability the first antibiotic covers the organism
  double infection_weight = 0.75;
  double hospital_infection_hazard = 0.0003;  // per hour on the ward
  // Sepsis-3 onset in the model (the definition is cited above, with kArrestSurvival).
  double sepsis_severity = 1.7;
  double sepsis_min_infection = 0.5;
  // Hourly hazards exp(a + b S): ICU referral (full active care, on the ward), cardiac arrest,
  // death. A ceiling of ward-based care removes referral and CPR and raises the death hazard.
  double referral_log_hazard = -9.2;
  double referral_severity = 2.0;
  // RCP NEWS2 chart 3: an aggregate of 7 or more calls for emergency assessment by a critical
  // care team; while the last ward set scored that, ICU referral is this many times as likely.
  double escalation_factor = 3.0;
  double arrest_log_hazard = -12.3;
  double arrest_severity = 1.9;
  double death_log_hazard = -12.2;
  double death_severity = 2.3;
  double death_frailty = 1.5;
  double ceiling_death_log_hazard = -9.3;
  double icu_death_log_hazard = -9.4;
  double icu_arrest_log_hazard = -13.5;
  // In ICU the target falls by this fraction (organ support) and S reverts faster.
  double icu_support = 0.45;
  double icu_reversion = 0.09;
  double icu_discharge_severity = 0.7;
  // Hypoxaemia the staff do not see (true SaO2 below this) adds to mu per point below it.
  double hypoxaemia_threshold = 88;
  double hypoxaemia_weight = 0.05;
  // Readmission within 30 days of a discharge home: probability base + frailty + severity at
  // discharge terms.
  double readmission_base = 0.06;
  double readmission_frailty = 0.12;
  double readmission_severity = 0.15;
};

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_MODEL_H_
