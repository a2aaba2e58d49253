#include "vigil/synth/output.h"

namespace vigil::synth {

std::string_view OutFileName(OutFile f) {
  switch (f) {
    case OutFile::kPatient:
      return "Patient.ndjson";
    case OutFile::kEncounter:
      return "Encounter.ndjson";
    case OutFile::kObservation:
      return "Observation.ndjson";
    case OutFile::kCondition:
      return "Condition.ndjson";
    case OutFile::kMedicationAdministration:
      return "MedicationAdministration.ndjson";
    case OutFile::kTruthPatients:
      return "truth/patients.csv";
    case OutFile::kTruthAdmissions:
      return "truth/admissions.csv";
    case OutFile::kTruthEvents:
      return "truth/events.csv";
    case OutFile::kTruthHours:
      return "truth/hours.csv";
  }
  return "";
}

std::string_view OutFileHeader(OutFile f) {
  switch (f) {
    case OutFile::kTruthPatients:
      return "patient_id,birth_date,sex,race,ethnicity,frailty,ceiling_of_care,spo2_bias,copd,"
             "hypercapnia,heart_failure,ckd,diabetes,hypertension,cancer\n";
    case OutFile::kTruthAdmissions:
      return "patient_id,encounter_id,admission_time,discharge_time,emergency,diagnosis,"
             "infection_site,outcome,icu_stays,sepsis_onset,readmitted_30d\n";
    case OutFile::kTruthEvents:
      return "patient_id,encounter_id,time,event,detail\n";
    case OutFile::kTruthHours:
      return "patient_id,encounter_id,time,location,severity,infection,hazard_icu_referral,"
             "hazard_arrest,hazard_death,risk24_deterioration,risk24_death,risk24_sepsis,"
             "true_sao2\n";
    default:
      return "";
  }
}

void Tally::Add(const Tally& o) {
  patients += o.patients;
  admissions += o.admissions;
  emergency_admissions += o.emergency_admissions;
  icu_stays += o.icu_stays;
  cardiac_arrests += o.cardiac_arrests;
  deaths += o.deaths;
  sepsis += o.sepsis;
  readmissions_30d += o.readmissions_30d;
  charting_errors += o.charting_errors;
  hours += o.hours;
  for (int i = 0; i < kOutFileCount; ++i) records[i] += o.records[i];
}

void PatientOutput::Clear() {
  for (auto& t : text) t.clear();
  tally = Tally{};
}

}  // namespace vigil::synth
