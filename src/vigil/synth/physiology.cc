#include "vigil/synth/physiology.h"

#include <algorithm>
#include <cmath>

namespace vigil::synth {
namespace {

// How latent organ scores z (severity x organ weight + deviation) show in true values: change per
// unit of z. Model parameters (docs/synth.md, "From state to vital signs").
constexpr double kHrPerCirc = 10;        // /min
constexpr double kHrPerResp = 3;         // /min
constexpr double kHrPerDegreeFever = 9;  // /min per Cel above 37.2 (Liebermeister's rule ~8-10)
constexpr double kFeverHrOnset = 37.2;
constexpr double kRrPerResp = 3.0;  // /min
constexpr double kRrPerCirc = 1.0;  // /min (compensation for metabolic acidosis)
constexpr double kMinRr = 6;
constexpr double kSaO2PerResp = 3.0;  // % lost per unit of respiratory score
constexpr double kMinSaO2 = 55;
constexpr double kMaxSaO2 = 99.7;
constexpr double kO2GainPerFiO2 = 0.5;  // % SaO2 gained per % FiO2 above air, lungs healthy
constexpr double kShuntPerResp = 0.7;   // how respiratory illness blunts that gain
constexpr double kSbpPerCirc = 11;      // mm[Hg]
constexpr double kVasopressorSbp = 18;  // mm[Hg]
constexpr double kMinSbp = 45;
constexpr double kDbpSlope = 0.56;
constexpr double kDbpIntercept = 8;
constexpr double kFeverCel = 1.7;        // Cel of fever at high infection burden
constexpr double kHypothermiaCel = 1.2;  // Cel lost in hypothermic sepsis
constexpr double kFeverScale = 1.2;      // infection burden at which fever is ~76 % developed
constexpr double kAntipyreticCel = 0.6;
constexpr int kAntipyreticHours = 4;
constexpr double kPaCO2PerRr = 0.8;          // mm[Hg] fall per /min of hyperventilation
constexpr double kPaCO2RetentionResp = 3.0;  // hypercapnic patients retain CO2 when worse
constexpr double kPaCO2PerFiO2 = 0.08;       // and with uncontrolled oxygen
constexpr double kLactatePerCirc = 1.3;
constexpr double kLactateCircOnset = 0.6;
constexpr double kLactateExponent = 1.4;
constexpr double kWbcPerInfection = 0.45;  // fraction of baseline per unit of burden
constexpr double kWbcLeucopenic = 0.2;
constexpr double kWbcStress = 0.8;  // 10*3/uL per unit severity
constexpr double kMinWbc = 0.3;
constexpr double kCreatininePerRenal = 0.5;
constexpr double kRenalOnset = 0.4;
constexpr double kBilirubinPerHepatic = 0.7;
constexpr double kHepaticOnset = 0.6;
constexpr double kPlateletLossPerSeverity = 0.2;
constexpr double kPlateletOnset = 0.8;
constexpr double kMinPlatelets = 8;
// Consciousness: ACVPU levels where the neurological score crosses these values.
constexpr double kConfusionAt = 2.1;
constexpr double kVoiceAt = 2.8;
constexpr double kPainAt = 3.3;
constexpr double kUnresponsiveAt = 3.8;

// State dynamics.
constexpr double kSurgeryHours = 24;
constexpr double kSlowHours = 24;
constexpr double kDeviationPersistence = 0.95;  // AR(1) per hour
constexpr double kOrganDeviationSd = 0.3;
constexpr double kHrDeviationSd = 4;
constexpr double kRrDeviationSd = 1.2;
constexpr double kSbpDeviationSd = 4;
constexpr double kTempDeviationSd = 0.22;
constexpr double kSaO2DeviationSd = 1.5;  // % (hour-to-hour desaturations)
constexpr double kSaO2Persistence = 0.5;
constexpr double kInfectionNoise = 0.03;
constexpr double kInfectionCleared = 0.03;

// Projection (truth).
constexpr int kProjectionHours = 24;
constexpr int kProjectionStep = 3;  // hazards evaluated at the middle hour of each step

// exp(-1 / kSurgeryHours), computed once.
double SurgeryDecay() {
  static const double decay = std::exp(-1.0 / kSurgeryHours);
  return decay;
}

double Ar1(double x, double sd, Rng& rng, double persistence = kDeviationPersistence) {
  return persistence * x + std::sqrt(1 - persistence * persistence) * sd * rng.Normal();
}

scores::Consciousness LevelFor(double z) {
  if (z >= kUnresponsiveAt) return scores::Consciousness::kUnresponsive;
  if (z >= kPainAt) return scores::Consciousness::kPain;
  if (z >= kVoiceAt) return scores::Consciousness::kVoice;
  if (z >= kConfusionAt) return scores::Consciousness::kConfusion;
  return scores::Consciousness::kAlert;
}

int GcsFor(scores::Consciousness c) {
  switch (c) {
    case scores::Consciousness::kAlert:
      return 15;
    case scores::Consciousness::kConfusion:
      return 14;
    case scores::Consciousness::kVoice:
      return 12;
    case scores::Consciousness::kPain:
      return 8;
    case scores::Consciousness::kUnresponsive:
      return 4;
  }
  return 15;
}

double NextInfection(const ModelParameters& m, double i, bool clearing) {
  if (i <= 0) return 0;
  i += m.infection_growth * i * (1 - i / m.infection_capacity);
  if (clearing) i -= m.antibiotic_clearance * i;
  return i;
}

}  // namespace

TrueState Physiology(const PatientProfile& patient, const Diagnosis& dx, const Phenotype& ph,
                     const LatentState& s, const Care& care) {
  const Baseline& b = patient.baseline;
  const OrganWeights& w = dx.organs;
  const double z_resp = w.resp * s.severity + s.dev_resp;
  const double z_circ = w.circ * s.severity + s.dev_circ;
  const double z_neuro = w.neuro * s.severity + s.dev_neuro + ph.delirium;
  const double z_renal = w.renal * s.slow_severity + s.dev_renal;
  const double z_hepatic = w.hepatic * s.slow_severity;

  TrueState t{};
  const double infection_signal = std::tanh(s.infection / kFeverScale);
  double fever =
      ph.hypothermic ? -kHypothermiaCel * infection_signal : kFeverCel * infection_signal;
  if (care.hours_since_antipyretic < kAntipyreticHours && fever > 0)
    fever = std::max(0.0, fever - kAntipyreticCel);
  t.temperature = b.temperature + fever + s.dev_temp;
  t.heart_rate = b.heart_rate + kHrPerCirc * z_circ + kHrPerResp * z_resp +
                 kHrPerDegreeFever * std::max(0.0, t.temperature - kFeverHrOnset) + s.dev_hr;
  t.resp_rate =
      std::max(kMinRr, b.resp_rate + kRrPerResp * z_resp + kRrPerCirc * z_circ + s.dev_rr);
  t.unsupported_sao2 = std::clamp(b.sao2 - kSaO2PerResp * z_resp + s.dev_sao2, kMinSaO2, kMaxSaO2);
  const double gain = kO2GainPerFiO2 / (1 + kShuntPerResp * std::max(0.0, z_resp));
  t.sao2 = std::min(kMaxSaO2, t.unsupported_sao2 + gain * (care.fio2 - 21));
  t.systolic = std::max(kMinSbp, b.systolic - kSbpPerCirc * z_circ + s.dev_sbp +
                                     (care.vasopressor ? kVasopressorSbp : 0));
  t.diastolic = kDbpSlope * t.systolic + kDbpIntercept;
  t.paco2 =
      patient.Has(Chronic::kHypercapnia)
          ? b.paco2 + kPaCO2RetentionResp * std::max(0.0, z_resp) + kPaCO2PerFiO2 * (care.fio2 - 21)
          : b.paco2 - kPaCO2PerRr * (t.resp_rate - b.resp_rate);
  t.lactate = b.lactate + kLactatePerCirc *
                              std::pow(std::max(0.0, z_circ - kLactateCircOnset), kLactateExponent);
  const double wbc_factor =
      ph.leucopenic ? 1 - kWbcLeucopenic * s.infection : 1 + kWbcPerInfection * s.infection;
  t.white_cells = std::max(kMinWbc, b.white_cells * wbc_factor + kWbcStress * s.severity);
  t.creatinine = b.creatinine * (1 + kCreatininePerRenal * std::max(0.0, z_renal - kRenalOnset));
  t.bilirubin = b.bilirubin * (1 + kBilirubinPerHepatic * std::max(0.0, z_hepatic - kHepaticOnset));
  t.platelets = std::max(kMinPlatelets,
                         b.platelets * (1 - kPlateletLossPerSeverity *
                                                std::max(0.0, s.slow_severity - kPlateletOnset)));
  t.consciousness = LevelFor(z_neuro);
  t.gcs = GcsFor(t.consciousness);
  return t;
}

double Target(const ModelParameters& m, const LatentState& s, const Care& care, double true_sao2) {
  double mu = s.illness + s.surgery + m.infection_weight * s.infection + s.episode +
              m.hypoxaemia_weight * std::max(0.0, m.hypoxaemia_threshold - true_sao2);
  if (care.in_icu) mu *= 1 - m.icu_support;
  return mu;
}

void Step(const ModelParameters& m, const PatientProfile& patient, const Diagnosis& /*dx*/,
          const Care& care, double true_sao2, double recovery_hours, Rng& rng, LatentState& s) {
  const double mu = Target(m, s, care, true_sao2);
  const double k = care.in_icu ? m.icu_reversion : m.reversion;
  s.severity = std::max(0.0, s.severity + k * (mu - s.severity) + m.severity_noise * rng.Normal());
  s.slow_severity += (s.severity - s.slow_severity) / kSlowHours;
  s.illness *= std::exp(-1.0 / recovery_hours);
  s.surgery *= SurgeryDecay();
  if (s.infection > 0) {
    s.infection = NextInfection(m, s.infection, s.antibiotics && s.antibiotics_effective) +
                  kInfectionNoise * std::sqrt(s.infection) * rng.Normal();
    if (s.infection < kInfectionCleared) s.infection = 0;
  }
  if (care.in_icu) s.episode_rate = 0;
  if (s.episode_rate > 0) {
    s.episode += s.episode_rate;
    if (rng.Bernoulli(m.episode_resolution)) s.episode_rate = 0;
  } else {
    s.episode *= 1 - m.episode_decay;
    const double onset = std::exp(m.episode_log_hazard + m.episode_frailty * patient.frailty +
                                  m.episode_severity * s.severity);
    if (!care.in_icu && rng.Bernoulli(onset))
      s.episode_rate = rng.Uniform(m.episode_rate_min, m.episode_rate_max);
  }
  s.dev_resp = Ar1(s.dev_resp, kOrganDeviationSd, rng);
  s.dev_circ = Ar1(s.dev_circ, kOrganDeviationSd, rng);
  s.dev_neuro = Ar1(s.dev_neuro, kOrganDeviationSd, rng);
  s.dev_renal = Ar1(s.dev_renal, kOrganDeviationSd, rng);
  s.dev_temp = Ar1(s.dev_temp, kTempDeviationSd, rng);
  s.dev_hr = Ar1(s.dev_hr, kHrDeviationSd, rng);
  s.dev_rr = Ar1(s.dev_rr, kRrDeviationSd, rng);
  s.dev_sbp = Ar1(s.dev_sbp, kSbpDeviationSd, rng);
  s.dev_sao2 = Ar1(s.dev_sao2, kSaO2DeviationSd, rng, kSaO2Persistence);
}

double LogLinearHazard::At(double severity) const {
  return enabled ? std::exp(log_base + slope * severity) : 0.0;
}

double LogLinearHazard::Expected(double mean, double var) const {
  return enabled ? std::exp(log_base + slope * mean + 0.5 * slope * slope * var) : 0.0;
}

HazardModel HazardsFor(const ModelParameters& m, const PatientProfile& patient, const Diagnosis& dx,
                       const Care& care) {
  HazardModel h;
  const double frail = m.death_frailty * patient.frailty;
  const bool in_icu = care.in_icu;
  h.arrest = {true, (in_icu ? m.icu_arrest_log_hazard : m.arrest_log_hazard) + dx.arrest_log_bonus,
              m.arrest_severity};
  if (in_icu) {
    h.death = {true, m.icu_death_log_hazard + frail, m.death_severity};
  } else if (patient.ceiling_of_care) {
    h.death = {true, m.ceiling_death_log_hazard + frail, m.death_severity};
    h.arrest_is_death = true;
  } else {
    h.referral = {true,
                  m.referral_log_hazard + (care.escalated ? std::log(m.escalation_factor) : 0.0),
                  m.referral_severity};
    h.death = {true, m.death_log_hazard + frail, m.death_severity};
  }
  return h;
}

Risk24 ProjectRisk(const ModelParameters& m, const PatientProfile& patient, const Diagnosis& dx,
                   const LatentState& s, const Care& care, double true_sao2, double recovery_hours,
                   bool sepsis_started) {
  const double k = care.in_icu ? m.icu_reversion : m.reversion;
  const double sigma2 = m.severity_noise * m.severity_noise;
  const double hypoxaemia = m.hypoxaemia_weight * std::max(0.0, m.hypoxaemia_threshold - true_sao2);
  double mean = s.severity, var = 0;
  double illness = s.illness, surgery = s.surgery, infection = s.infection, episode = s.episode;
  double active = s.episode_rate > 0 ? 1.0 : 0.0;
  double cum_deterioration = 0, cum_death = 0, sepsis = 0;
  const double icu_factor = care.in_icu ? 1 - m.icu_support : 1.0;
  const HazardModel hz = HazardsFor(m, patient, dx, care);
  const double illness_decay = std::exp(-1.0 / recovery_hours);
  for (int hour = 0; hour < kProjectionHours; ++hour) {
    if (hour % kProjectionStep == kProjectionStep / 2) {
      const double ref = hz.referral.Expected(mean, var);
      const double arr = hz.arrest.Expected(mean, var);
      const double death = hz.death.Expected(mean, var);
      cum_deterioration += kProjectionStep * (ref + arr + death);
      cum_death +=
          kProjectionStep * (death + arr * (hz.arrest_is_death ? 1.0 : 1.0 - kArrestSurvival));
      if (!sepsis_started && infection >= m.sepsis_min_infection && var > 0) {
        const double z = (mean - m.sepsis_severity) / std::sqrt(var);
        sepsis = std::max(sepsis, 0.5 * std::erfc(-z / std::sqrt(2.0)));
      }
    }
    const double mu =
        (illness + surgery + m.infection_weight * infection + episode + hypoxaemia) * icu_factor;
    mean += k * (mu - mean);
    var = (1 - k) * (1 - k) * var + sigma2;
    illness *= illness_decay;
    surgery *= SurgeryDecay();
    infection = NextInfection(m, infection, s.antibiotics && s.antibiotics_effective);
    if (care.in_icu) active = 0;
    episode = active > 0 ? episode + s.episode_rate * active : episode * (1 - m.episode_decay);
    active *= 1 - m.episode_resolution;
  }
  Risk24 r;
  r.deterioration = 1 - std::exp(-cum_deterioration);
  r.death = 1 - std::exp(-cum_death);
  if (!sepsis_started) {
    r.sepsis =
        s.infection > 0 ? sepsis : 1 - std::exp(-kProjectionHours * m.hospital_infection_hazard);
  }
  return r;
}

}  // namespace vigil::synth
