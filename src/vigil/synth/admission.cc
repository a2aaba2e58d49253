// The hourly loop of one admission and the events that move or end it.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "vigil/synth/admission_sim.h"

namespace vigil::synth {
namespace {

// Model parameters of the admission (docs/synth.md, "Stays and events").
constexpr int kMaxStayHours = 60 * 24;  // then discharged to long-term care
constexpr double kSeveritySpread = 0.35;
constexpr double kElectiveSeveritySpread = 0.3;
constexpr double kSeverityFrailty = 0.5;
constexpr double kInfectionIllnessShare = 0.5;  // of an infective admission's illness not due to I
constexpr double kInitialInfectionMin = 0.4;
constexpr double kInitialInfectionMax = 1.2;
constexpr double kFirstAntibioticMinH = 0.5;
constexpr double kFirstAntibioticMaxH = 4;
constexpr double kElectiveSurgeryMinH = 2;
constexpr double kElectiveSurgeryMaxH = 5;
constexpr double kEmergencySurgeryMinH = 12;
constexpr double kEmergencySurgeryMaxH = 36;
constexpr double kSurgeryBurden = 0.6;
constexpr double kHaiBurden = 0.25;
constexpr double kIcuInfectionFactor = 3;
constexpr double kPostOpInfectionFactor = 2;
constexpr int64_t kPostOpInfectionWindow = 5 * 24 * kHour;
constexpr std::array<double, 4> kHaiSiteWeight = {0.45, 0.35, 0.1,
                                                  0.1};  // chest urine skin abdomen
constexpr int kAntibioticReviewHours = 48;
constexpr double kSepsisRecognitionMeanH = 3;
constexpr double kSepsisRecognitionMaxH = 12;
constexpr double kHypothermic = 0.1;
constexpr double kHypothermicOld = 0.1;
constexpr int kOldAge = 75;
constexpr int kVeryOldAge = 80;
constexpr double kLeucopenic = 0.1;
constexpr double kDeliriumFrailty = 1.1;
constexpr double kDeliriumVeryOld = 0.3;
constexpr double kDeliriumSd = 0.2;
// Pulse oximetry: a persistent error for the admission (probe, perfusion, skin) on top of the
// patient's bias; real SpO2-SaO2 differences have limits of agreement of about +-6 points.
constexpr double kSpO2OffsetSd = 2.0;
// Events.
constexpr double kTransferDelayMinH = 1;
constexpr double kTransferDelayMaxH = 4;
constexpr double kPostArrestTransferMinH = 0.3;
constexpr double kPostArrestTransferMaxH = 1;
constexpr double kArrestDeathMinH = 0.2;
constexpr double kArrestDeathMaxH = 0.8;
constexpr double kPostArrestSeverity = 1.0;
constexpr int kIcuMinHours = 36;
constexpr int kIcuStableHours = 12;
constexpr double kIcuDischargeHazard = 0.25;
constexpr int kIcuDischargeFirstHour = 8;
constexpr int kIcuDischargeLastHour = 21;
constexpr double kDischargeSeverity = 0.45;
constexpr double kDischargeInfection = 0.3;
constexpr double kDischargeHazard = 0.3;
constexpr int kDischargeFirstHour = 9;
constexpr int kDischargeLastHour = 18;
// Once medically fit, discharge waits for arrangements (transport, care at home, a care-home
// place): exponential with mean base + frailty^2 x extra hours. This gives stays their long tail.
constexpr double kDischargeWaitBaseH = 2;
constexpr double kDischargeWaitFrailH = 48;
constexpr double kFacilityFrailty = 0.5;
constexpr double kFacilityDischarge = 0.4;

int64_t Hours(double h) { return static_cast<int64_t>(h * kHour); }

}  // namespace

AdmissionSim::AdmissionSim(const SimulationContext& ctx, const PatientProfile& patient,
                           const AdmissionPlan& plan, Rng& rng, FhirWriter& fhir,
                           TruthWriter& truth, Tally& tally)
    : ctx_(ctx),
      m_(ctx.model),
      patient_(patient),
      plan_(plan),
      rng_(rng),
      fhir_(fhir),
      truth_(truth),
      tally_(tally),
      charting_(ctx.charting, rng),
      dx_(plan.dx) {}

double AdmissionSim::RecoveryHours() const { return dx_->recovery_hours; }

std::string_view AdmissionSim::Location() const {
  return care_.in_icu ? std::string_view(icu_id_) : std::string_view(encounter_id_);
}

int AdmissionSim::HourOfDay(int64_t time) const {
  return static_cast<int>((time % (24 * kHour)) / kHour);
}

void AdmissionSim::Setup() {
  encounter_id_ = fmt::format("{}-e{}", fhir_.patient_id(), plan_.number);
  outcome_.encounter_id = encounter_id_;
  const int64_t start = plan_.start;
  double illness = dx_->severity;
  if (plan_.emergency) {
    illness *=
        std::exp(rng_.Normal(0, kSeveritySpread)) * (1 + kSeverityFrailty * patient_.frailty);
  } else {
    illness *= std::exp(rng_.Normal(0, kElectiveSeveritySpread));
  }
  if (rng_.Bernoulli(dx_->infection)) {
    infection_site_ = dx_->site;
    state_.infection = rng_.Uniform(kInitialInfectionMin, kInitialInfectionMax);
    illness *= kInfectionIllnessShare;
    infection_known_ = true;
    antibiotics_at_ = start + Hours(rng_.Uniform(kFirstAntibioticMinH, kFirstAntibioticMaxH));
  }
  outcome_.infection_site = infection_site_;
  state_.illness = illness;
  state_.severity = std::max(0.0, illness + m_.infection_weight * state_.infection);
  state_.slow_severity = state_.severity;
  if (dx_->surgical) {
    surgery_at_ =
        start + (plan_.emergency ? Hours(rng_.Uniform(kEmergencySurgeryMinH, kEmergencySurgeryMaxH))
                                 : Hours(rng_.Uniform(kElectiveSurgeryMinH, kElectiveSurgeryMaxH)));
  }
  const int age = AgeOn(patient_, start / (24 * kHour));
  phenotype_.hypothermic = rng_.Bernoulli(kHypothermic + (age >= kOldAge ? kHypothermicOld : 0));
  phenotype_.leucopenic = rng_.Bernoulli(kLeucopenic);
  phenotype_.delirium = kDeliriumFrailty * patient_.frailty +
                        (age >= kVeryOldAge ? kDeliriumVeryOld : 0) + rng_.Normal(0, kDeliriumSd);
  spo2_offset_ = patient_.spo2_bias + rng_.Normal(0, kSpO2OffsetSd);
  next_ward_set_ = start + rng_.UniformInt(0, 45 * kMinute);
  severity_at_last_set_ = state_.severity;

  ++tally_.admissions;
  if (plan_.emergency) ++tally_.emergency_admissions;
  truth_.Event(encounter_id_, start, "admission", plan_.emergency ? "emergency" : "elective");
  if (infection_site_ != InfectionSite::kNone)
    truth_.Event(encounter_id_, start, "infection_onset", InfectionSiteName(infection_site_));
  fhir_.Condition({kSnomed, dx_->snomed, dx_->display, false, encounter_id_, start,
                   start + rng_.UniformInt(30 * kMinute, 4 * kHour)});
}

void AdmissionSim::WriteTruthHour(int64_t hour_start) {
  ++tally_.hours;
  if (!truth_.enabled()) return;
  const HazardModel hz = HazardsFor(m_, patient_, *dx_, care_);
  HourTruth h;
  h.encounter_id = Location();
  h.time = hour_start;
  h.icu = care_.in_icu;
  h.severity = state_.severity;
  h.infection = state_.infection;
  h.hazard_referral = hz.referral.At(state_.severity);
  h.hazard_arrest = hz.arrest.At(state_.severity);
  h.hazard_death = hz.death.At(state_.severity);
  h.risk = ProjectRisk(m_, patient_, *dx_, state_, care_, now_.sao2, RecoveryHours(),
                       sepsis_onset_.has_value());
  h.true_sao2 = now_.sao2;
  truth_.Hour(h);
}

void AdmissionSim::InfectionEvents(int64_t t) {
  if (state_.infection <= 0) {
    double hazard = m_.hospital_infection_hazard * (care_.in_icu ? kIcuInfectionFactor : 1.0);
    if (surgery_at_ && t >= *surgery_at_ && t - *surgery_at_ < kPostOpInfectionWindow)
      hazard *= kPostOpInfectionFactor;
    if (rng_.Bernoulli(hazard)) {
      infection_site_ = static_cast<InfectionSite>(1 + rng_.Choose(kHaiSiteWeight));
      state_.infection = kHaiBurden;
      state_.antibiotics = false;
      state_.antibiotics_effective = false;
      broad_spectrum_ = false;
      infection_known_ = false;
      infection_cleared_at_ = 0;
      truth_.Event(encounter_id_, t, "infection_onset", InfectionSiteName(infection_site_));
    }
  }
  if (antibiotics_at_ && *antibiotics_at_ < t + kHour) {
    StartAntibiotics(std::max(*antibiotics_at_, t), false);
    antibiotics_at_.reset();
  }
  if (state_.antibiotics) {
    // Not working after two days: broaden (or, already broad, change again / source control).
    if (t - last_antibiotic_change_ >= kAntibioticReviewHours * kHour &&
        state_.infection > infection_at_antibiotics_) {
      StartAntibiotics(t + 30 * kMinute, true);
    }
    if (state_.infection <= 0 && infection_cleared_at_ == 0) infection_cleared_at_ = t;
    if (state_.infection <= 0 && t - antibiotics_started_ >= 5 * 24 * kHour &&
        t - infection_cleared_at_ >= 48 * kHour) {
      state_.antibiotics = false;
    }
  }
  if (!sepsis_onset_ && state_.infection >= m_.sepsis_min_infection &&
      state_.severity >= m_.sepsis_severity) {
    sepsis_onset_ = t + rng_.UniformInt(0, kHour - 1);
    outcome_.sepsis_onset = sepsis_onset_;
    ++tally_.sepsis;
    truth_.Event(encounter_id_, *sepsis_onset_, "sepsis_onset");
    sepsis_recognise_at_ =
        *sepsis_onset_ +
        Hours(std::min(kSepsisRecognitionMaxH, rng_.Exponential(kSepsisRecognitionMeanH)));
  }
  if (sepsis_recognise_at_ && !sepsis_recorded_ && *sepsis_recognise_at_ < t + kHour) {
    RecordSepsis(std::max(*sepsis_recognise_at_, t));
  }
}

void AdmissionSim::RecordSepsis(int64_t time) {
  sepsis_recorded_ = true;
  fhir_.Condition({kSnomed, kSnomedSepsis, "Sepsis", false, encounter_id_, time,
                   time + rng_.UniformInt(10 * kMinute, 2 * kHour)});
  truth_.Event(encounter_id_, time, "sepsis_recognised");
  if (done_) return;
  infection_known_ = true;
  if (!broad_spectrum_) StartAntibiotics(time + 30 * kMinute, true);
  fhir_.Medication(MedicationFor(Drug::kSodiumChloride), Location(), time + 20 * kMinute, {});
}

AdmissionSim::Change AdmissionSim::DrawEvents(int64_t t) {
  Change c;
  auto within = [&](int64_t lo) { return lo + rng_.UniformInt(0, t + kHour - 1 - lo); };
  const HazardModel hz = HazardsFor(m_, patient_, *dx_, care_);
  const double s = state_.severity;
  if (rng_.Bernoulli(1 - std::exp(-hz.arrest.At(s)))) {
    const int64_t at = within(t);
    if (hz.arrest_is_death) return {Change::kDeath, at, at, "cardiac_arrest_not_resuscitated"};
    ++tally_.cardiac_arrests;
    truth_.Event(Location(), at, "cardiac_arrest");
    fhir_.Condition({kSnomed, kSnomedCardiacArrest, "Cardiac arrest", false, Location(), at,
                     at + rng_.UniformInt(10 * kMinute, kHour)});
    if (!rng_.Bernoulli(kArrestSurvival)) {
      return {Change::kDeath, at, at + Hours(rng_.Uniform(kArrestDeathMinH, kArrestDeathMaxH)),
              "cardiac_arrest"};
    }
    state_.severity += kPostArrestSeverity;
    if (care_.in_icu) return {Change::kNone, at, at, ""};
    return {Change::kToIcu, at,
            at + Hours(rng_.Uniform(kPostArrestTransferMinH, kPostArrestTransferMaxH)), "arrest"};
  }
  if (rng_.Bernoulli(1 - std::exp(-hz.death.At(s)))) {
    const int64_t at = within(t);
    return {Change::kDeath, at, at, care_.in_icu ? "icu" : "ward"};
  }
  if (transfer_at_ && *transfer_at_ < t + kHour) {
    const int64_t at = std::max(*transfer_at_, t);
    return {Change::kToIcu, at, at, "referral"};
  }
  if (!care_.in_icu && !transfer_at_ && rng_.Bernoulli(1 - std::exp(-hz.referral.At(s)))) {
    const int64_t at = within(t);
    truth_.Event(encounter_id_, at, "icu_referral");
    transfer_at_ = at + Hours(rng_.Uniform(kTransferDelayMinH, kTransferDelayMaxH));
    return c;
  }
  if (hours_ >= kMaxStayHours) return {Change::kDischarge, t, t, "long"};
  const int hod = HourOfDay(t);
  if (care_.in_icu) {
    stable_icu_hours_ = s < m_.icu_discharge_severity ? stable_icu_hours_ + 1 : 0;
    if (t - icu_since_ >= kIcuMinHours * kHour && stable_icu_hours_ >= kIcuStableHours &&
        hod >= kIcuDischargeFirstHour && hod <= kIcuDischargeLastHour &&
        rng_.Bernoulli(kIcuDischargeHazard)) {
      const int64_t at = within(t);
      return {Change::kToWard, at, at, ""};
    }
    return c;
  }
  const bool fit = !transfer_at_ && hours_ >= dx_->min_stay_hours && s < kDischargeSeverity &&
                   state_.infection < kDischargeInfection;
  if (!fit) {
    ready_at_.reset();
    return c;
  }
  if (!ready_at_) {
    const double f = patient_.frailty;
    ready_at_ = t + Hours(rng_.Exponential(kDischargeWaitBaseH + kDischargeWaitFrailH * f * f));
  }
  if (t >= *ready_at_ && hod >= kDischargeFirstHour && hod <= kDischargeLastHour &&
      rng_.Bernoulli(kDischargeHazard)) {
    const int64_t at = within(t);
    const bool facility = patient_.frailty > kFacilityFrailty && rng_.Bernoulli(kFacilityDischarge);
    return {Change::kDischarge, at, at, facility ? "snf" : "home"};
  }
  return c;
}

void AdmissionSim::Apply(const Change& c) {
  switch (c.kind) {
    case Change::kNone:
      return;
    case Change::kToIcu:
      StartIcu(c.at);
      return;
    case Change::kToWard:
      EndIcu(c.at);
      next_ward_set_ = c.at + rng_.UniformInt(5 * kMinute, 30 * kMinute);
      return;
    case Change::kDeath:
      Die(c.at, c.detail);
      return;
    case Change::kDischarge:
      Discharge(c.at, c.detail);
      return;
  }
}

void AdmissionSim::StartIcu(int64_t time) {
  transfer_at_.reset();
  care_.in_icu = true;
  icu_since_ = time;
  stable_icu_hours_ = 0;
  icu_id_ = fmt::format("{}-icu{}", encounter_id_, icu_stays_.size() + 1);
  EncounterRecord e;
  e.id = icu_id_;
  e.icu = true;
  e.part_of = encounter_id_;
  e.start = time;
  icu_stays_.push_back(std::move(e));
  ++tally_.icu_stays;
  truth_.Event(icu_id_, time, "icu_admission");
}

void AdmissionSim::EndIcu(int64_t time) {
  StopVasopressor(time);
  icu_stays_.back().end = time;
  truth_.Event(icu_id_, time, "icu_discharge");
  care_.in_icu = false;
  care_.escalated = false;
  care_.fio2 = std::min(care_.fio2, 40.0);
  ward_o2_step_ = -1;  // re-titrated at the first ward set
}

void AdmissionSim::Die(int64_t time, std::string_view cause) {
  done_ = true;
  outcome_.died = true;
  outcome_.end = time;
  outcome_.disposition = "exp";
  ++tally_.deaths;
  truth_.Event(Location(), time, "death", cause);
}

void AdmissionSim::Discharge(int64_t time, std::string_view disposition) {
  done_ = true;
  outcome_.end = time;
  outcome_.disposition = disposition;
  truth_.Event(encounter_id_, time, "discharge", disposition);
}

void AdmissionSim::Finish() {
  if (care_.in_icu) {
    StopVasopressor(outcome_.end);
    icu_stays_.back().end = outcome_.end;
  }
  if (sepsis_onset_ && !sepsis_recorded_) {
    RecordSepsis(std::min(sepsis_recognise_at_.value_or(outcome_.end), outcome_.end));
  }
  outcome_.severity = state_.severity;
  outcome_.icu_stays = static_cast<int>(icu_stays_.size());
  EncounterRecord hospital;
  hospital.id = encounter_id_;
  hospital.emergency = plan_.emergency;
  hospital.start = plan_.start;
  hospital.end = outcome_.end;
  hospital.reason = dx_;
  hospital.discharge_disposition = outcome_.disposition;
  fhir_.Encounter(hospital);
  for (const auto& icu : icu_stays_) fhir_.Encounter(icu);
}

AdmissionOutcome AdmissionSim::Run() {
  Setup();
  for (hours_ = 0; !done_; ++hours_) {
    time_ = plan_.start + hours_ * kHour;
    if (surgery_at_ && *surgery_at_ >= time_ && *surgery_at_ < time_ + kHour) {
      state_.surgery += kSurgeryBurden;
      truth_.Event(encounter_id_, *surgery_at_, "surgery");
      fhir_.Medication(MedicationFor(Drug::kCefazolin), Location(), *surgery_at_, {});
    }
    now_ = Physiology(patient_, *dx_, phenotype_, state_, care_);
    WriteTruthHour(time_);
    InfectionEvents(time_);
    const Change change = DrawEvents(time_);
    Tend(time_, change.kind == Change::kNone ? time_ + kHour : change.limit);
    Apply(change);
    if (done_) break;
    Step(m_, patient_, *dx_, care_, now_.sao2, RecoveryHours(), rng_, state_);
    ++care_.hours_since_antipyretic;
  }
  Finish();
  return outcome_;
}

AdmissionOutcome SimulateAdmission(const SimulationContext& ctx, const PatientProfile& patient,
                                   const AdmissionPlan& plan, Rng& rng, FhirWriter& fhir,
                                   TruthWriter& truth, Tally& tally) {
  AdmissionSim sim(ctx, patient, plan, rng, fhir, truth, tally);
  return sim.Run();
}

}  // namespace vigil::synth
