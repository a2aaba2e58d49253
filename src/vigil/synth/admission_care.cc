// What the staff do during an admission: observation sets on the ward and in ICU, oxygen,
// laboratory tests and medicines (docs/synth.md, "The measurement process").
#include <algorithm>
#include <array>
#include <cmath>

#include "vigil/synth/admission_sim.h"

namespace vigil::synth {
namespace {

// Which parameters a ward set includes (model parameters: nurses skip some).
constexpr double kChartHeartRate = 0.99;
constexpr double kChartRespRate = 0.95;
constexpr double kChartSpO2 = 0.97;
constexpr double kChartBloodPressure = 0.98;
constexpr double kChartTemperature = 0.93;
constexpr double kChartTemperatureFrequent = 0.6;  // when sets are hourly
constexpr double kChartAcvpu = 0.92;
constexpr double kChartOxygen = 0.93;
constexpr double kMissedConfusion = 0.3;  // new confusion charted as Alert
constexpr double kChartWeight = 0.9;
constexpr double kChartHeight = 0.6;

// Intervals between ward sets (hours) by the charted NEWS2, around RCP NEWS2 chart 3's minimum
// frequencies (model.h), and how often sets are late or skipped at night.
constexpr double kIntervalEmergencyMin = 1, kIntervalEmergencyMax = 2.5;  // NEWS2 >= 7
constexpr double kIntervalUrgentMin = 1.5, kIntervalUrgentMax = 4;        // 5-6 or a single 3
constexpr double kIntervalLowMin = 4, kIntervalLowMax = 7;                // 1-4
constexpr double kIntervalZeroMin = 8, kIntervalZeroMax = 12;             // 0
constexpr double kLateSet = 0.15;
constexpr double kLateFactor = 1.5;
constexpr int kNightStart = 23;
constexpr int kNightEnd = 6;
constexpr double kNightSkip = 0.6;
// The nurse's worry: a rise of latent severity since the last set that the numbers have not shown
// yet brings the next set forward.
constexpr double kWorryRise = 0.5;
constexpr double kWorryChance = 0.3;

// Ward oxygen: nasal cannula 1-4 L/min, face mask 6-10, non-rebreather 15, with the FiO2 each
// gives (approximate, model parameters).
constexpr std::array<double, 9> kWardFlow = {0, 1, 2, 3, 4, 6, 8, 10, 15};
constexpr std::array<double, 9> kWardFiO2 = {21, 24, 28, 32, 36, 40, 50, 55, 65};
// Oxygen is weaned once saturation is in the upper part of the target range (BTS 2017:
// "reduce oxygen when the patient is clinically stable and saturation is in the target range").
constexpr double kWeanAtSpO2 = 96;
constexpr double kIcuFiO2Up = 10;
constexpr double kIcuFiO2Down = 5;
constexpr double kMaxFiO2 = 100;

// Tests and treatments.
constexpr double kDailyBloods = 0.55;
constexpr double kDailyBloodsSick = 0.95;
constexpr int kBloodsHour = 6;
constexpr int kIcuBloodsHour = 5;
constexpr double kBilirubinShare = 0.6;
constexpr double kGasLowSpO2 = 90;
constexpr double kGasLowSpO2Chance = 0.5;
constexpr double kGasEmergencyChance = 0.3;
constexpr int kIcuGasEveryHours = 6;
constexpr int kIcuFullSetEveryHours = 4;
constexpr double kLactateChance = 0.5;
constexpr int64_t kLactateEvery = 12 * kHour;
constexpr double kFeverCel = 38.0;
constexpr int64_t kAntipyreticEvery = 6 * kHour;
constexpr double kBolusSystolic = 95;
constexpr int64_t kBolusEvery = 6 * kHour;
constexpr double kVasopressorStart = 90;  // true systolic, mm[Hg]
constexpr double kVasopressorStop = 110;
constexpr double kInfectionRecognition = 0.4;  // per set with signs of infection
constexpr double kIcuInfectionRecognition = 0.3;
constexpr double kLateAntibioticMinH = 1, kLateAntibioticMaxH = 4;
constexpr double kBroadSpectrumEffective = 0.92;
constexpr int64_t kMeropenemEvery = 8 * kHour;
constexpr int64_t kVancomycinEvery = 12 * kHour;
constexpr int64_t kCeftriaxoneEvery = 24 * kHour;
constexpr int kEnoxaparinHour = 18;
constexpr int kFurosemideHour = 8;
constexpr double kFurosemideSeverity = 0.6;
constexpr int64_t kLabIssueMin = 40 * kMinute, kLabIssueMax = 2 * kHour;
constexpr int64_t kGasIssueMin = 5 * kMinute, kGasIssueMax = 20 * kMinute;
constexpr int64_t kIcuIssueMin = 1 * kMinute, kIcuIssueMax = 5 * kMinute;
constexpr double kGcsNoise = 0.3;

int64_t Hours(double h) { return static_cast<int64_t>(h * kHour); }

}  // namespace

void AdmissionSim::ChartQuantity(const ObservationCode& code, Measured what, double truth,
                                 ObsTimes t, double* reading) {
  const Charted c = charting_.Chart(what, truth, spo2_offset_);
  if (c.error != ChartingError::kNone) {
    ++tally_.charting_errors;
    truth_.Event(Location(), t.effective, ChartingErrorName(c.error), fhir_.NextObservationId());
  }
  fhir_.Quantity(code, Location(), t, c.value, code.decimals);
  if (reading != nullptr) *reading = c.reading;
}

void AdmissionSim::Tend(int64_t hour_start, int64_t limit) {
  const int hod = HourOfDay(hour_start);
  if (care_.in_icu) {
    const int64_t at = hour_start + rng_.UniformInt(0, 10 * kMinute);
    const int icu_hours = static_cast<int>((hour_start - icu_since_) / kHour);
    if (at < limit) {
      IcuSet(at, icu_hours % kIcuFullSetEveryHours == 0);
      if (icu_hours % kIcuGasEveryHours == 0) BloodGas(at);
      if (hod == kIcuBloodsHour) Bloods(at, false);
    }
  } else {
    if (!worried_ && state_.severity - severity_at_last_set_ > kWorryRise &&
        rng_.Bernoulli(kWorryChance)) {
      worried_ = true;
      next_ward_set_ = std::min(next_ward_set_, hour_start + rng_.UniformInt(0, 50 * kMinute));
    }
    while (next_ward_set_ < limit) WardSet(std::max(next_ward_set_, hour_start));
    if (hod == kBloodsHour && hours_ > 12 &&
        rng_.Bernoulli(last_news_ >= kNews2UrgentTotal || sepsis_onset_ ? kDailyBloodsSick
                                                                        : kDailyBloods)) {
      const int64_t at = hour_start + rng_.UniformInt(0, 59 * kMinute);
      if (at < limit) Bloods(at, false);
    }
  }
  Medicines(hour_start, limit);
}

void AdmissionSim::WardSet(int64_t time) {
  const bool first = hours_ == 0 && time - plan_.start < kHour;
  const ObsTimes t{time, time + charting_.WardChartingDelay()};
  if (ward_o2_step_ < 0) {
    ward_o2_step_ = 0;
    while (ward_o2_step_ + 1 < static_cast<int>(kWardFiO2.size()) &&
           kWardFiO2[ward_o2_step_] < care_.fio2)
      ++ward_o2_step_;
  }
  scores::Observations seen;  // what the nurse read, for her NEWS2
  seen.spo2_scale =
      patient_.Has(Chronic::kHypercapnia) ? scores::SpO2Scale::kScale2 : scores::SpO2Scale::kScale1;
  seen.supplemental_oxygen = ward_o2_step_ > 0;
  double v = 0;
  if (rng_.Bernoulli(kChartHeartRate)) {
    ChartQuantity(obs::kHeartRate, Measured::kHeartRate, now_.heart_rate, t, &v);
    seen.heart_rate = v;
  }
  if (rng_.Bernoulli(kChartRespRate)) {
    ChartQuantity(obs::kRespiratoryRate, Measured::kRespRate, now_.resp_rate, t, &v);
    seen.respiratory_rate = v;
  }
  if (rng_.Bernoulli(kChartSpO2)) {
    ChartQuantity(obs::kSpO2, Measured::kSpO2, now_.sao2, t, &v);
    seen.spo2 = v;
  }
  if (rng_.Bernoulli(kChartBloodPressure)) {
    const Charted sys = charting_.Chart(Measured::kSystolic, now_.systolic);
    const Charted dia = charting_.Chart(Measured::kDiastolic, now_.diastolic);
    if (sys.error != ChartingError::kNone || dia.error != ChartingError::kNone) {
      ++tally_.charting_errors;
      truth_.Event(Location(), time, ChartingErrorName(ChartingError::kImplausible),
                   fhir_.NextObservationId());
    }
    fhir_.BloodPressure(Location(), t, sys.value, dia.value);
    seen.systolic_bp = sys.reading;
  }
  const bool frequent = last_news_ >= kNews2UrgentTotal;
  if (rng_.Bernoulli(frequent ? kChartTemperatureFrequent : kChartTemperature)) {
    ChartQuantity(obs::kTemperature, Measured::kTemperature, now_.temperature, t, &v);
    seen.temperature = v;
  }
  if (rng_.Bernoulli(kChartAcvpu)) {
    scores::Consciousness level = now_.consciousness;
    if (level == scores::Consciousness::kConfusion && rng_.Bernoulli(kMissedConfusion))
      level = scores::Consciousness::kAlert;
    fhir_.Text(obs::kAcvpu, Location(), t, scores::AcvpuLetter(level));
    seen.consciousness = level;
  }
  if (rng_.Bernoulli(kChartOxygen)) {
    if (ward_o2_step_ == 0) {
      fhir_.Quantity(obs::kFiO2, Location(), t, kWardFiO2[0], 0);
    } else {
      fhir_.Quantity(obs::kO2Flow, Location(), t, kWardFlow[ward_o2_step_], 0);
    }
  }
  if (first) {
    if (rng_.Bernoulli(kChartWeight)) {
      ChartQuantity(obs::kBodyWeight, Measured::kWeight, patient_.baseline.weight_kg, t);
    }
    if (rng_.Bernoulli(kChartHeight)) {
      ChartQuantity(obs::kBodyHeight, Measured::kHeight, patient_.baseline.height_cm, t);
    }
  }
  const scores::News2Score news = scores::ComputeNews2(seen);
  last_news_ = news.total;
  care_.escalated = news.total >= kNews2EmergencyTotal;
  if (seen.spo2) TitrateWardOxygen(*seen.spo2);
  if (first) {
    Bloods(time + 10 * kMinute,
           infection_site_ != InfectionSite::kNone || news.total >= kNews2UrgentTotal);
  } else if (news.total >= kNews2UrgentTotal && time - last_lactate_ > kLactateEvery &&
             rng_.Bernoulli(kLactateChance)) {
    last_lactate_ = time;
    const int64_t at = time + 10 * kMinute;
    ChartQuantity(obs::kLactate, Measured::kLactate, now_.lactate,
                  {at, at + rng_.UniformInt(kGasIssueMin, kGasIssueMax)});
  }
  if ((seen.spo2 && *seen.spo2 < kGasLowSpO2 && rng_.Bernoulli(kGasLowSpO2Chance)) ||
      (news.total >= kNews2EmergencyTotal && rng_.Bernoulli(kGasEmergencyChance))) {
    BloodGas(time + 5 * kMinute);
  }
  if (seen.temperature && *seen.temperature >= kFeverCel &&
      (last_antipyretic_ < 0 || time - last_antipyretic_ >= kAntipyreticEvery)) {
    last_antipyretic_ = time;
    care_.hours_since_antipyretic = 0;
    fhir_.Medication(MedicationFor(Drug::kAcetaminophen), Location(), time + 15 * kMinute, {});
  }
  if (seen.systolic_bp && *seen.systolic_bp < kBolusSystolic &&
      (last_bolus_ < 0 || time - last_bolus_ >= kBolusEvery)) {
    last_bolus_ = time;
    fhir_.Medication(MedicationFor(Drug::kSodiumChloride), Location(), time + 20 * kMinute, {});
  }
  RecogniseInfection(time, (seen.temperature && *seen.temperature >= kFeverCel) ||
                               news.total >= kNews2UrgentTotal);
  ScheduleNextWardSet(time, news);
  severity_at_last_set_ = state_.severity;
  worried_ = false;
}

void AdmissionSim::ScheduleNextWardSet(int64_t time, const scores::News2Score& news) {
  double hours;
  if (news.total >= kNews2EmergencyTotal) {
    hours = rng_.Uniform(kIntervalEmergencyMin, kIntervalEmergencyMax);
  } else if (news.total >= kNews2UrgentTotal || news.risk == scores::News2Risk::kLowMedium) {
    hours = rng_.Uniform(kIntervalUrgentMin, kIntervalUrgentMax);
  } else if (news.total >= 1) {
    hours = rng_.Uniform(kIntervalLowMin, kIntervalLowMax);
  } else {
    hours = rng_.Uniform(kIntervalZeroMin, kIntervalZeroMax);
  }
  if (rng_.Bernoulli(kLateSet)) hours *= kLateFactor;
  int64_t next = time + Hours(hours);
  const int hod = HourOfDay(next);
  if (news.total < kNews2UrgentTotal && (hod >= kNightStart || hod < kNightEnd) &&
      rng_.Bernoulli(kNightSkip)) {
    const int64_t day_start = next - next % (24 * kHour);
    const int64_t morning = day_start + kNightEnd * kHour + (hod >= kNightStart ? 24 * kHour : 0);
    next = morning + rng_.UniformInt(0, 59 * kMinute);
  }
  next_ward_set_ = next;
}

void AdmissionSim::TitrateWardOxygen(double spo2) {
  const bool hypercapnic = patient_.Has(Chronic::kHypercapnia);
  const double low = hypercapnic ? kO2TargetLowHypercapnic : kO2TargetLow;
  const double wean = hypercapnic ? kO2TargetHighHypercapnic : kWeanAtSpO2;
  const int top = static_cast<int>(kWardFlow.size()) - 1;
  if (spo2 < low) {
    ward_o2_step_ = std::min(top, ward_o2_step_ + (spo2 < low - 4 ? 2 : 1));
  } else if (spo2 >= wean && ward_o2_step_ > 0) {
    --ward_o2_step_;
  }
  care_.fio2 = kWardFiO2[ward_o2_step_];
}

void AdmissionSim::TitrateIcuOxygen(double spo2) {
  const bool hypercapnic = patient_.Has(Chronic::kHypercapnia);
  const double low = hypercapnic ? kO2TargetLowHypercapnic : kO2TargetLow;
  const double high = hypercapnic ? kO2TargetHighHypercapnic : kO2TargetHigh;
  if (spo2 < low) {
    care_.fio2 = std::min(kMaxFiO2, care_.fio2 + kIcuFiO2Up);
  } else if (spo2 > high) {
    care_.fio2 = std::max(kWardFiO2[0], care_.fio2 - kIcuFiO2Down);
  }
}

void AdmissionSim::IcuSet(int64_t time, bool full) {
  const ObsTimes t{time, time + rng_.UniformInt(kIcuIssueMin, kIcuIssueMax)};
  double spo2 = 0;
  ChartQuantity(obs::kHeartRate, Measured::kHeartRate, now_.heart_rate, t);
  ChartQuantity(obs::kRespiratoryRate, Measured::kRespRate, now_.resp_rate, t);
  ChartQuantity(obs::kSpO2, Measured::kSpO2, now_.sao2, t, &spo2);
  const Charted sys = charting_.Chart(Measured::kSystolic, now_.systolic);
  const Charted dia = charting_.Chart(Measured::kDiastolic, now_.diastolic);
  fhir_.BloodPressure(Location(), t, sys.value, dia.value);
  fhir_.Quantity(obs::kMeanArterial, Location(), t, std::round((sys.reading + 2 * dia.reading) / 3),
                 0);
  fhir_.Quantity(obs::kFiO2, Location(), t, std::round(care_.fio2), 0);
  if (full) {
    ChartQuantity(obs::kTemperature, Measured::kTemperature, now_.temperature, t);
    int gcs = now_.gcs;
    if (rng_.Bernoulli(kGcsNoise)) gcs += rng_.Bernoulli(0.5) ? 1 : -1;
    fhir_.Quantity(obs::kGcs, Location(), t, std::clamp(gcs, 3, 15), 0);
  }
  TitrateIcuOxygen(spo2);
  if (!care_.vasopressor && now_.systolic < kVasopressorStart) {
    care_.vasopressor = true;
    vasopressor_since_ = time;
  } else if (care_.vasopressor && now_.systolic > kVasopressorStop) {
    StopVasopressor(time);
  }
  RecogniseInfection(time, now_.temperature >= kFeverCel);
}

void AdmissionSim::StopVasopressor(int64_t time) {
  if (!care_.vasopressor || !vasopressor_since_) return;
  fhir_.Medication(MedicationFor(Drug::kNorepinephrine), Location(), *vasopressor_since_, time);
  care_.vasopressor = false;
  vasopressor_since_.reset();
}

void AdmissionSim::Bloods(int64_t time, bool lactate) {
  const ObsTimes t{time, time + rng_.UniformInt(kLabIssueMin, kLabIssueMax)};
  ChartQuantity(obs::kWhiteCells, Measured::kWhiteCells, now_.white_cells, t);
  ChartQuantity(obs::kPlatelets, Measured::kPlatelets, now_.platelets, t);
  ChartQuantity(obs::kCreatinine, Measured::kCreatinine, now_.creatinine, t);
  if (rng_.Bernoulli(kBilirubinShare))
    ChartQuantity(obs::kBilirubin, Measured::kBilirubin, now_.bilirubin, t);
  if (lactate) {
    last_lactate_ = time;
    ChartQuantity(obs::kLactate, Measured::kLactate, now_.lactate, t);
  }
}

void AdmissionSim::BloodGas(int64_t time) {
  const ObsTimes t{time, time + rng_.UniformInt(kGasIssueMin, kGasIssueMax)};
  // Pulse oximetry is charted with every arterial gas, so SpO2-SaO2 pairs can be audited.
  if (!care_.in_icu) ChartQuantity(obs::kSpO2, Measured::kSpO2, now_.sao2, {time, time});
  ChartQuantity(obs::kSaO2, Measured::kSaO2, now_.sao2, t);
  ChartQuantity(obs::kPaCO2, Measured::kPaCO2, now_.paco2, t);
  ChartQuantity(obs::kLactate, Measured::kLactate, now_.lactate, t);
  last_lactate_ = time;
}

void AdmissionSim::RecogniseInfection(int64_t time, bool signs) {
  if (state_.infection <= 0 || infection_known_ || antibiotics_at_) return;
  if (!signs || !rng_.Bernoulli(care_.in_icu ? kIcuInfectionRecognition : kInfectionRecognition))
    return;
  infection_known_ = true;
  const Diagnosis& dx = InfectionDiagnosis(infection_site_);
  fhir_.Condition({kSnomed, dx.snomed, dx.display, false, encounter_id_, time,
                   time + rng_.UniformInt(10 * kMinute, 2 * kHour)});
  antibiotics_at_ = time + Hours(rng_.Uniform(kLateAntibioticMinH, kLateAntibioticMaxH));
}

void AdmissionSim::StartAntibiotics(int64_t time, bool broad) {
  if (!state_.antibiotics) {
    antibiotics_started_ = time;
    infection_cleared_at_ = 0;
  }
  state_.antibiotics = true;
  state_.antibiotics_effective =
      rng_.Bernoulli(broad ? kBroadSpectrumEffective : m_.antibiotic_effective);
  last_antibiotic_change_ = time;
  infection_at_antibiotics_ = state_.infection;
  broad_spectrum_ = broad_spectrum_ || broad;
  next_antibiotic_dose_ = time;
  next_vancomycin_dose_ = time;
}

void AdmissionSim::Medicines(int64_t hour_start, int64_t limit) {
  if (state_.antibiotics) {
    while (next_antibiotic_dose_ < limit) {
      const int64_t at = std::max(next_antibiotic_dose_, hour_start);
      fhir_.Medication(MedicationFor(broad_spectrum_ ? Drug::kMeropenem : Drug::kCeftriaxone),
                       Location(), at, {});
      next_antibiotic_dose_ = at + (broad_spectrum_ ? kMeropenemEvery : kCeftriaxoneEvery);
    }
    while (broad_spectrum_ && next_vancomycin_dose_ < limit) {
      const int64_t at = std::max(next_vancomycin_dose_, hour_start);
      fhir_.Medication(MedicationFor(Drug::kVancomycin), Location(), at, {});
      next_vancomycin_dose_ = at + kVancomycinEvery;
    }
  }
  const int hod = HourOfDay(hour_start);
  const int64_t at = hour_start + rng_.UniformInt(0, 20 * kMinute);
  if (at >= limit) return;
  if (hod == kEnoxaparinHour && dx_->snomed != kSnomedGiBleed) {
    fhir_.Medication(MedicationFor(Drug::kEnoxaparin), Location(), at, {});
  }
  if (hod == kFurosemideHour &&
      (dx_->snomed == kSnomedHeartFailureAdmission ||
       (patient_.Has(Chronic::kHeartFailure) && state_.severity > kFurosemideSeverity))) {
    fhir_.Medication(MedicationFor(Drug::kFurosemide), Location(), at, {});
  }
}

}  // namespace vigil::synth
