#include "vigil/synth/fhir_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <utility>

namespace vigil::synth {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

// Howard Hinnant's days_from_civil inverse: (year, month, day) of a day number.
void CivilFromDays(int64_t z, int& year, unsigned& month, unsigned& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int>(y + (month <= 2 ? 1 : 0));
}

void Put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

void PutDate(char* p, int64_t day) {
  int y;
  unsigned m, d;
  CivilFromDays(day, y, m, d);
  const unsigned uy = static_cast<unsigned>(y);
  Put2(p, uy / 100);
  Put2(p + 2, uy % 100);
  p[4] = '-';
  Put2(p + 5, m);
  p[7] = '-';
  Put2(p + 8, d);
}

void AppendCoding(std::string& s, std::string_view system, std::string_view code,
                  std::string_view display) {
  s += R"({"system":")";
  s += system;
  s += R"(","code":")";
  s += code;
  if (!display.empty()) {
    s += R"(","display":")";
    s += display;
  }
  s += R"("})";
}

void AppendConcept(std::string& s, std::string_view system, std::string_view code,
                   std::string_view display) {
  s += R"({"coding":[)";
  AppendCoding(s, system, code, display);
  s += "]}";
}

void AppendQuantity(std::string& s, double value, int decimals, std::string_view unit) {
  s += R"({"value":)";
  AppendFixed(s, value, decimals);
  s += R"(,"unit":")";
  s += unit;
  s += R"(","system":"http://unitsofmeasure.org","code":")";
  s += unit;
  s += R"("})";
}

// Decimals for a medication dose: whole doses without a fraction.
int DoseDecimals(double dose) { return dose == static_cast<int64_t>(dose) ? 0 : 2; }

}  // namespace

void AppendInstant(std::string& out, int64_t seconds) {
  int64_t day = seconds / kSecondsPerDay;
  int64_t rest = seconds % kSecondsPerDay;
  if (rest < 0) {
    rest += kSecondsPerDay;
    --day;
  }
  char buf[20];
  PutDate(buf, day);
  buf[10] = 'T';
  Put2(buf + 11, static_cast<unsigned>(rest / 3600));
  buf[13] = ':';
  Put2(buf + 14, static_cast<unsigned>(rest / 60 % 60));
  buf[16] = ':';
  Put2(buf + 17, static_cast<unsigned>(rest % 60));
  buf[19] = 'Z';
  out.append(buf, sizeof(buf));
}

void InstantFormatter::Append(std::string& out, int64_t seconds) {
  int64_t day = seconds / kSecondsPerDay;
  int64_t rest = seconds % kSecondsPerDay;
  if (rest < 0) {
    rest += kSecondsPerDay;
    --day;
  }
  if (day != day_) {
    day_ = day;
    PutDate(date_, day);
  }
  char buf[20];
  std::copy(date_, date_ + sizeof(date_), buf);
  buf[10] = 'T';
  Put2(buf + 11, static_cast<unsigned>(rest / 3600));
  buf[13] = ':';
  Put2(buf + 14, static_cast<unsigned>(rest / 60 % 60));
  buf[16] = ':';
  Put2(buf + 17, static_cast<unsigned>(rest % 60));
  buf[19] = 'Z';
  out.append(buf, sizeof(buf));
}

void AppendFixed(std::string& out, double v, int decimals) {
  static constexpr std::array<int64_t, 10> kPow10 = {
      1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};
  decimals = std::clamp(decimals, 0, 9);
  const double scaled = std::round(v * static_cast<double>(kPow10[decimals]));
  constexpr double kLargest = 9e15;  // exact in a double and an int64
  if (!(std::fabs(scaled) < kLargest)) {
    fmt::format_to(std::back_inserter(out), "{:.{}f}", v, decimals);
    return;
  }
  int64_t n = static_cast<int64_t>(scaled);
  if (n < 0) {
    out += '-';
    n = -n;
  }
  const fmt::format_int whole(n / kPow10[decimals]);
  out.append(whole.data(), whole.size());
  if (decimals == 0) return;
  char frac[9];
  int64_t f = n % kPow10[decimals];
  for (int i = decimals - 1; i >= 0; --i, f /= 10) frac[i] = static_cast<char>('0' + f % 10);
  out += '.';
  out.append(frac, static_cast<size_t>(decimals));
}

void AppendDate(std::string& out, int64_t day) {
  char buf[10];
  PutDate(buf, day);
  out.append(buf, sizeof(buf));
}

FhirWriter::FhirWriter(std::string patient_id, PatientOutput& out)
    : patient_id_(std::move(patient_id)), out_(out) {
  observation_prefix_ = R"({"resourceType":"Observation","id":")" + patient_id_ + "-o";
}

const std::string& FhirWriter::CodeFragment(const ObservationCode& code) {
  for (const auto& [c, fragment] : code_fragments_) {
    if (c == &code) return fragment;
  }
  std::string s = R"(","status":"final","category":[)";
  AppendConcept(s, "http://terminology.hl7.org/CodeSystem/observation-category", code.category, "");
  s += R"(],"code":)";
  AppendConcept(s, kLoinc, code.loinc, "");
  code_fragments_.emplace_back(&code, std::move(s));
  return code_fragments_.back().second;
}

const std::string& FhirWriter::EncounterFragment(std::string_view encounter_id) {
  if (encounter_fragment_.empty() || fragment_encounter_ != encounter_id) {
    fragment_encounter_ = encounter_id;
    encounter_fragment_ = R"(,"subject":)";
    AppendReference(encounter_fragment_, "Patient", patient_id_);
    encounter_fragment_ += R"(,"encounter":)";
    AppendReference(encounter_fragment_, "Encounter", encounter_id);
    encounter_fragment_ += R"(,"effectiveDateTime":")";
  }
  return encounter_fragment_;
}

std::string FhirWriter::NextObservationId() const {
  return fmt::format("{}-o{}", patient_id_, observations_ + 1);
}

void FhirWriter::AppendReference(std::string& s, std::string_view type, std::string_view id) {
  s += R"({"reference":")";
  s += type;
  s += '/';
  s += id;
  s += R"("})";
}

void FhirWriter::BeginObservation(const ObservationCode& code, std::string_view encounter_id,
                                  ObsTimes t) {
  std::string& s = out_[OutFile::kObservation];
  ++observations_;
  ++out_.tally.records[static_cast<int>(OutFile::kObservation)];
  s += observation_prefix_;
  const fmt::format_int seq(observations_);
  s.append(seq.data(), seq.size());
  s += CodeFragment(code);
  s += EncounterFragment(encounter_id);
  time_.Append(s, t.effective);
  s += R"(","issued":")";
  time_.Append(s, t.issued);
  s += '"';
}

void FhirWriter::Quantity(const ObservationCode& code, std::string_view encounter_id, ObsTimes t,
                          double value, int decimals) {
  BeginObservation(code, encounter_id, t);
  std::string& s = out_[OutFile::kObservation];
  s += R"(,"valueQuantity":)";
  AppendQuantity(s, value, decimals, code.unit);
  s += "}\n";
}

void FhirWriter::BloodPressure(std::string_view encounter_id, ObsTimes t, double systolic,
                               double diastolic) {
  BeginObservation(obs::kBloodPressurePanel, encounter_id, t);
  std::string& s = out_[OutFile::kObservation];
  s += R"(,"component":[{"code":)";
  AppendConcept(s, kLoinc, obs::kSystolic.loinc, "");
  s += R"(,"valueQuantity":)";
  AppendQuantity(s, systolic, 0, obs::kSystolic.unit);
  s += R"(},{"code":)";
  AppendConcept(s, kLoinc, obs::kDiastolic.loinc, "");
  s += R"(,"valueQuantity":)";
  AppendQuantity(s, diastolic, 0, obs::kDiastolic.unit);
  s += "}]}\n";
}

void FhirWriter::Text(const ObservationCode& code, std::string_view encounter_id, ObsTimes t,
                      std::string_view text) {
  BeginObservation(code, encounter_id, t);
  std::string& s = out_[OutFile::kObservation];
  s += R"(,"valueString":")";
  s += text;
  s += "\"}\n";
}

void FhirWriter::Condition(const ConditionRecord& c) {
  std::string& s = out_[OutFile::kCondition];
  ++conditions_;
  ++out_.tally.records[static_cast<int>(OutFile::kCondition)];
  s += R"({"resourceType":"Condition","id":")";
  s += patient_id_;
  fmt::format_to(std::back_inserter(s), "-c{}", conditions_);
  s += R"(","clinicalStatus":)";
  AppendConcept(s, "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "");
  s += R"(,"verificationStatus":)";
  AppendConcept(s, "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "");
  s += R"(,"category":[)";
  AppendConcept(s, "http://terminology.hl7.org/CodeSystem/condition-category",
                c.problem_list ? "problem-list-item" : "encounter-diagnosis", "");
  s += R"(],"code":)";
  AppendConcept(s, c.system, c.code, c.display);
  s += R"(,"subject":)";
  AppendReference(s, "Patient", patient_id_);
  if (!c.encounter_id.empty()) {
    s += R"(,"encounter":)";
    AppendReference(s, "Encounter", c.encounter_id);
  }
  if (c.onset) {
    s += R"(,"onsetDateTime":")";
    AppendInstant(s, *c.onset);
    s += '"';
  }
  s += R"(,"recordedDate":")";
  AppendInstant(s, c.recorded);
  s += "\"}\n";
}

void FhirWriter::Medication(const synth::Medication& med, std::string_view encounter_id,
                            int64_t start, std::optional<int64_t> end) {
  std::string& s = out_[OutFile::kMedicationAdministration];
  ++medications_;
  ++out_.tally.records[static_cast<int>(OutFile::kMedicationAdministration)];
  s += R"({"resourceType":"MedicationAdministration","id":")";
  s += patient_id_;
  fmt::format_to(std::back_inserter(s), "-m{}", medications_);
  s += R"(","status":"completed","medicationCodeableConcept":)";
  AppendConcept(s, kRxNorm, med.rxnorm, med.display);
  s += R"(,"subject":)";
  AppendReference(s, "Patient", patient_id_);
  s += R"(,"context":)";
  AppendReference(s, "Encounter", encounter_id);
  if (end) {
    s += R"(,"effectivePeriod":{"start":")";
    AppendInstant(s, start);
    s += R"(","end":")";
    AppendInstant(s, *end);
    s += R"("})";
  } else {
    s += R"(,"effectiveDateTime":")";
    AppendInstant(s, start);
    s += '"';
  }
  s += R"(,"dosage":{"route":)";
  AppendConcept(s, kSnomed, med.route_snomed, med.route_display);
  s += end ? R"(,"rateQuantity":)" : R"(,"dose":)";
  AppendQuantity(s, med.dose, DoseDecimals(med.dose), med.dose_unit);
  s += "}}\n";
}

void FhirWriter::Encounter(const EncounterRecord& e) {
  std::string& s = out_[OutFile::kEncounter];
  ++out_.tally.records[static_cast<int>(OutFile::kEncounter)];
  s += R"({"resourceType":"Encounter","id":")";
  s += e.id;
  s += R"(","status":"finished","class":)";
  AppendCoding(s, "http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter");
  s += R"(,"type":[)";
  if (e.icu) {
    AppendConcept(s, kSnomed, kSnomedIcu, "Intensive care unit");
  } else if (e.emergency) {
    AppendConcept(s, kSnomed, "183452005", "Emergency hospital admission");
  } else {
    AppendConcept(s, kSnomed, "8715000", "Hospital admission, elective");
  }
  s += ']';
  if (!e.icu) {
    s += R"(,"priority":)";
    AppendConcept(s, "http://terminology.hl7.org/CodeSystem/v3-ActPriority",
                  e.emergency ? "EM" : "EL", e.emergency ? "emergency" : "elective");
  }
  s += R"(,"subject":)";
  AppendReference(s, "Patient", patient_id_);
  s += R"(,"period":{"start":")";
  AppendInstant(s, e.start);
  s += R"(","end":")";
  AppendInstant(s, e.end);
  s += R"("})";
  if (e.icu) {
    s += R"(,"partOf":)";
    AppendReference(s, "Encounter", e.part_of);
  } else {
    if (e.reason != nullptr) {
      s += R"(,"reasonCode":[)";
      AppendConcept(s, kSnomed, e.reason->snomed, e.reason->display);
      s += ']';
    }
    s += R"(,"hospitalization":{"admitSource":)";
    if (e.emergency) {
      AppendConcept(s, "http://terminology.hl7.org/CodeSystem/admit-source", "emd",
                    "From accident/emergency department");
    } else {
      AppendConcept(s, "http://terminology.hl7.org/CodeSystem/admit-source", "gp",
                    "General Practitioner referral");
    }
    s += R"(,"dischargeDisposition":)";
    AppendConcept(s, "http://terminology.hl7.org/CodeSystem/discharge-disposition",
                  e.discharge_disposition, "");
    s += '}';
  }
  s += "}\n";
}

void FhirWriter::Patient(const PatientProfile& p, std::optional<int64_t> deceased) {
  std::string& s = out_[OutFile::kPatient];
  ++out_.tally.records[static_cast<int>(OutFile::kPatient)];
  s += R"({"resourceType":"Patient","id":")";
  s += patient_id_;
  s +=
      R"(","meta":{"profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]})";
  s +=
      R"(,"extension":[{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race","extension":[)";
  auto omb = [&s](std::string_view system, std::string_view code, std::string_view display) {
    s += R"({"url":"ombCategory","valueCoding":)";
    AppendCoding(s, system, code, display);
    s += "},";
  };
  std::string_view race_text;
  switch (p.race) {
    case Race::kWhite:
      omb(kCdcRace, "2106-3", race_text = "White");
      break;
    case Race::kBlack:
      omb(kCdcRace, "2054-5", race_text = "Black or African American");
      break;
    case Race::kAsian:
      omb(kCdcRace, "2028-9", race_text = "Asian");
      break;
    case Race::kAmericanIndian:
      omb(kCdcRace, "1002-5", race_text = "American Indian or Alaska Native");
      break;
    case Race::kPacificIslander:
      omb(kCdcRace, "2076-8", race_text = "Native Hawaiian or Other Pacific Islander");
      break;
    case Race::kBlackAndWhite:
      omb(kCdcRace, "2054-5", "Black or African American");
      omb(kCdcRace, "2106-3", "White");
      race_text = "Black or African American and White";
      break;
    case Race::kUnknown:
      omb(kNullFlavor, "UNK", race_text = "Unknown");
      break;
  }
  s += R"({"url":"text","valueString":")";
  s += race_text;
  s +=
      R"("}]},{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity","extension":[)";
  std::string_view eth_text;
  switch (p.ethnicity) {
    case Ethnicity::kHispanic:
      omb(kCdcRace, "2135-2", eth_text = "Hispanic or Latino");
      break;
    case Ethnicity::kNotHispanic:
      omb(kCdcRace, "2186-5", eth_text = "Not Hispanic or Latino");
      break;
    case Ethnicity::kUnknown:
      omb(kNullFlavor, "UNK", eth_text = "Unknown");
      break;
  }
  s += R"({"url":"text","valueString":")";
  s += eth_text;
  s +=
      R"("}]},{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex","valueCode":")";
  s += p.sex == Sex::kFemale ? "F" : "M";
  s += R"("}],"identifier":[{"system":"urn:vigil:synth:mrn","value":")";
  s += patient_id_;
  s += R"("}],"name":[{"use":"anonymous","text":"Synthetic patient )";
  s += patient_id_;
  s += R"("}],"gender":")";
  s += p.sex == Sex::kFemale ? "female" : "male";
  s += R"(","birthDate":")";
  AppendDate(s, p.birth_day);
  s += '"';
  if (deceased) {
    s += R"(,"deceasedDateTime":")";
    AppendInstant(s, *deceased);
    s += '"';
  }
  s += "}\n";
}

}  // namespace vigil::synth
