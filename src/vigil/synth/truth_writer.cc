#include "vigil/synth/truth_writer.h"

#include <fmt/format.h>

#include <array>
#include <iterator>
#include <utility>

#include "vigil/synth/fhir_writer.h"

namespace vigil::synth {

std::string_view InfectionSiteName(InfectionSite s) {
  switch (s) {
    case InfectionSite::kNone:
      return "none";
    case InfectionSite::kChest:
      return "chest";
    case InfectionSite::kUrine:
      return "urine";
    case InfectionSite::kSkin:
      return "skin";
    case InfectionSite::kAbdomen:
      return "abdomen";
  }
  return "none";
}

TruthWriter::TruthWriter(std::string_view patient_id, PatientOutput& out, bool enabled)
    : patient_id_(patient_id), out_(out), enabled_(enabled) {}

void TruthWriter::Begin(OutFile f) {
  ++out_.tally.records[static_cast<int>(f)];
  out_[f] += patient_id_;
  out_[f] += ',';
}

void TruthWriter::Patient(const PatientProfile& p) {
  if (!enabled_) return;
  Begin(OutFile::kTruthPatients);
  std::string& s = out_[OutFile::kTruthPatients];
  AppendDate(s, p.birth_day);
  fmt::format_to(std::back_inserter(s), ",{},{},{},{:.3f},{:d},{:.2f}",
                 p.sex == Sex::kFemale ? "female" : "male", RaceName(p.race),
                 EthnicityName(p.ethnicity), p.frailty, p.ceiling_of_care, p.spo2_bias);
  for (bool c : p.chronic) s += c ? ",1" : ",0";
  s += '\n';
}

void TruthWriter::Admission(const AdmissionTruth& a) {
  if (!enabled_) return;
  Begin(OutFile::kTruthAdmissions);
  std::string& s = out_[OutFile::kTruthAdmissions];
  s += a.encounter_id;
  s += ',';
  AppendInstant(s, a.start);
  s += ',';
  AppendInstant(s, a.end);
  fmt::format_to(std::back_inserter(s), ",{:d},{},{},{},{},", a.emergency, a.diagnosis,
                 InfectionSiteName(a.infection_site), a.outcome, a.icu_stays);
  if (a.sepsis_onset) AppendInstant(s, *a.sepsis_onset);
  fmt::format_to(std::back_inserter(s), ",{:d}\n", a.readmitted_30d);
}

void TruthWriter::Event(std::string_view encounter_id, int64_t time, std::string_view event,
                        std::string_view detail) {
  if (!enabled_) return;
  Begin(OutFile::kTruthEvents);
  std::string& s = out_[OutFile::kTruthEvents];
  s += encounter_id;
  s += ',';
  AppendInstant(s, time);
  s += ',';
  s += event;
  s += ',';
  s += detail;
  s += '\n';
}

void TruthWriter::Hour(const HourTruth& h) {
  if (!enabled_) return;
  Begin(OutFile::kTruthHours);
  std::string& s = out_[OutFile::kTruthHours];
  s += h.encounter_id;
  s += ',';
  AppendInstant(s, h.time);
  s += h.icu ? ",icu," : ",ward,";
  const std::array<std::pair<double, int>, 9> columns = {{{h.severity, 4},
                                                          {h.infection, 4},
                                                          {h.hazard_referral, 9},
                                                          {h.hazard_arrest, 9},
                                                          {h.hazard_death, 9},
                                                          {h.risk.deterioration, 6},
                                                          {h.risk.death, 6},
                                                          {h.risk.sepsis, 6},
                                                          {h.true_sao2, 1}}};
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) s += ',';
    AppendFixed(s, columns[i].first, columns[i].second);
  }
  s += '\n';
}

}  // namespace vigil::synth
