#include "vigil/synth/patient.h"

#include <fmt/format.h>

#include <array>
#include <optional>
#include <vector>

#include "vigil/synth/fhir_writer.h"
#include "vigil/synth/truth_writer.h"

namespace vigil::synth {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kHourSeconds = 3600;
constexpr int kMaxAdmissions = 5;
constexpr double kEmergencyShare = 0.7;  // of admissions (NHS and US general hospitals: 60-75 %)
// Emergency arrivals by hour of day (relative; a late-morning to evening peak).
constexpr std::array<double, 24> kArrivalByHour = {3,  2,  2,  2, 2, 2, 3, 4, 6, 8, 9, 10,
                                                   10, 10, 10, 9, 9, 8, 8, 7, 6, 5, 4, 3};
constexpr int kElectiveFirstHour = 7;
constexpr int kElectiveHours = 3;
constexpr int kEpochWeekday = 3;  // 1970-01-01 was a Thursday (Monday = 0)
constexpr int kSaturday = 5;
constexpr double kSameDiagnosisOnReadmission = 0.5;
constexpr double kReadmissionMinDays = 1;
constexpr double kReadmissionMaxDays = 30;
constexpr double kLaterAdmission = 0.08;  // another admission after 30 days
constexpr double kLaterMinDays = 31;
constexpr double kLaterMaxDays = 365;

const Diagnosis* ChooseDiagnosis(Rng& rng, bool emergency) {
  const auto dxs = Diagnoses();
  std::vector<double> w;
  w.reserve(dxs.size());
  for (const auto& d : dxs) w.push_back(emergency ? d.emergency_weight : d.elective_weight);
  return &dxs[rng.Choose(w)];
}

int64_t EmergencyArrival(Rng& rng, int64_t day) {
  return day * kDay + rng.Choose(kArrivalByHour) * kHourSeconds + rng.UniformInt(0, 3599);
}

int64_t ElectiveArrival(Rng& rng, int64_t day) {
  const int weekday = static_cast<int>((day + kEpochWeekday) % 7);
  if (weekday >= kSaturday) day += 7 - weekday;  // to Monday
  return day * kDay + (kElectiveFirstHour + rng.UniformInt(0, kElectiveHours - 1)) * kHourSeconds +
         rng.UniformInt(0, 3599);
}

void WriteChronicConditions(const PatientProfile& p, int64_t recorded, FhirWriter& fhir) {
  for (int c = 0; c < kChronicCount; ++c) {
    if (!p.chronic[c]) continue;
    const ChronicCode& code = ChronicConditionCode(static_cast<Chronic>(c));
    fhir.Condition({code.system, code.code, code.display, true, {}, std::nullopt, recorded});
  }
}

}  // namespace

std::string PatientId(int64_t index) { return fmt::format("p{}", index + 1); }

void SimulatePatient(const CohortSettings& settings, int64_t index, PatientOutput& out) {
  Rng rng(settings.seed, static_cast<uint64_t>(index));
  const std::string id = PatientId(index);
  FhirWriter fhir(id, out);
  TruthWriter truth(id, out, settings.truth);
  ++out.tally.patients;

  const int64_t first_day = settings.start_day + rng.UniformInt(0, settings.days - 1);
  const PatientProfile profile = MakePatient(rng, settings.population, first_day);
  truth.Patient(profile);

  AdmissionPlan plan;
  plan.emergency = rng.Bernoulli(kEmergencyShare);
  plan.start = plan.emergency ? EmergencyArrival(rng, first_day) : ElectiveArrival(rng, first_day);
  plan.dx = ChooseDiagnosis(rng, plan.emergency);
  WriteChronicConditions(profile, plan.start, fhir);

  std::optional<int64_t> deceased;
  for (plan.number = 1; plan.number <= kMaxAdmissions; ++plan.number) {
    const AdmissionOutcome o =
        SimulateAdmission(settings.simulation, profile, plan, rng, fhir, truth, out.tally);
    AdmissionTruth row;
    row.encounter_id = o.encounter_id;
    row.start = plan.start;
    row.end = o.end;
    row.emergency = plan.emergency;
    row.diagnosis = plan.dx->snomed;
    row.infection_site = o.infection_site;
    row.outcome = o.died ? "died" : o.disposition == "home" ? "home" : "facility";
    row.icu_stays = o.icu_stays;
    row.sepsis_onset = o.sepsis_onset;
    bool another = false;
    if (o.died) {
      deceased = o.end;
    } else if (plan.number < kMaxAdmissions) {
      const ModelParameters& m = settings.simulation.model;
      const double p30 = m.readmission_base + m.readmission_frailty * profile.frailty +
                         m.readmission_severity * o.severity;
      double gap_days = 0;
      if (rng.Bernoulli(p30)) {
        row.readmitted_30d = true;
        ++out.tally.readmissions_30d;
        gap_days = rng.Uniform(kReadmissionMinDays, kReadmissionMaxDays);
        another = true;
      } else if (rng.Bernoulli(kLaterAdmission)) {
        gap_days = rng.Uniform(kLaterMinDays, kLaterMaxDays);
        another = true;
      }
      if (another) {
        const bool same =
            plan.dx->emergency_weight > 0 && rng.Bernoulli(kSameDiagnosisOnReadmission);
        plan.emergency = true;
        plan.dx = same ? plan.dx : ChooseDiagnosis(rng, true);
        plan.start = o.end + static_cast<int64_t>(gap_days * kDay);
      }
    }
    truth.Admission(row);
    if (!another) break;
  }
  fhir.Patient(profile, deceased);
}

}  // namespace vigil::synth
