// The synthetic hospital's catalogue: admission diagnoses with their clinical profile, chronic
// conditions, medications and the coding systems the FHIR output uses. Codes are SNOMED CT,
// LOINC, RxNorm, ICD-10-CM and HL7 terminology; the shared vital-sign and outcome codes are those
// of BRIEF.md ("Shared clinical codes"). Read-only constant tables: thread-safe.
#ifndef VIGIL_SYNTH_CATALOG_H_
#define VIGIL_SYNTH_CATALOG_H_

#include <span>
#include <string_view>

namespace vigil::synth {

// Coding system URIs (FHIR R4 terminology).
inline constexpr std::string_view kSnomed = "http://snomed.info/sct";
inline constexpr std::string_view kLoinc = "http://loinc.org";
inline constexpr std::string_view kUcum = "http://unitsofmeasure.org";
inline constexpr std::string_view kRxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr std::string_view kIcd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr std::string_view kCdcRace = "urn:oid:2.16.840.1.113883.6.238";
inline constexpr std::string_view kNullFlavor =
    "http://terminology.hl7.org/CodeSystem/v3-NullFlavor";

// Outcome and location codes (BRIEF.md).
inline constexpr std::string_view kSnomedSepsis = "91302008";
inline constexpr std::string_view kSnomedCardiacArrest = "410429000";
inline constexpr std::string_view kSnomedIcu = "309904001";  // Intensive care unit
// Admission diagnoses the staff treat specially (no anticoagulant after a bleed; diuretics).
inline constexpr std::string_view kSnomedGiBleed = "74474003";
inline constexpr std::string_view kSnomedHeartFailureAdmission = "42343007";

// Organ systems through which latent severity shows (weights per diagnosis).
struct OrganWeights {
  double resp;     // respiratory rate up, saturation down
  double circ;     // heart rate up, blood pressure down, lactate up
  double neuro;    // consciousness
  double renal;    // creatinine
  double hepatic;  // bilirubin
};

enum class InfectionSite { kNone, kChest, kUrine, kSkin, kAbdomen };

struct Diagnosis {
  std::string_view snomed;
  std::string_view display;
  double emergency_weight;  // relative frequency among emergency admissions (0: never)
  double elective_weight;   // among elective admissions
  double infection;         // probability the admission starts with an infection
  InfectionSite site;       // where that infection is
  double severity;          // mean initial latent severity
  double recovery_hours;    // time constant with which the illness resolves
  double min_stay_hours;    // earliest discharge
  double arrest_log_bonus;  // extra log-hazard of cardiac arrest (e.g. myocardial infarction)
  bool surgical;            // an operation on the first day
  OrganWeights organs;
};

std::span<const Diagnosis> Diagnoses();
// The diagnosis recorded for a hospital-acquired infection at `site`.
const Diagnosis& InfectionDiagnosis(InfectionSite site);

enum class Chronic { kCopd, kHypercapnia, kHeartFailure, kCkd, kDiabetes, kHypertension, kCancer };
inline constexpr int kChronicCount = 7;
struct ChronicCode {
  std::string_view system;
  std::string_view code;
  std::string_view display;
};
const ChronicCode& ChronicConditionCode(Chronic c);

struct Medication {
  std::string_view rxnorm;
  std::string_view display;
  double dose;
  std::string_view dose_unit;  // UCUM
  std::string_view route_snomed;
  std::string_view route_display;
};
enum class Drug {
  kCeftriaxone,
  kMeropenem,
  kVancomycin,
  kCefazolin,
  kAcetaminophen,
  kEnoxaparin,
  kFurosemide,
  kSodiumChloride,
  kNorepinephrine,
};
const Medication& MedicationFor(Drug d);

// An observation code with its FHIR category and UCUM unit. (Observations carry no display text:
// it is optional in FHIR and would make the files a tenth larger.)
struct ObservationCode {
  std::string_view loinc;
  std::string_view category;  // "vital-signs" or "laboratory"
  std::string_view unit;      // UCUM; empty for coded or text values
  int decimals;               // how the value is charted
};
namespace obs {
extern const ObservationCode kHeartRate;
extern const ObservationCode kRespiratoryRate;
extern const ObservationCode kSpO2;
extern const ObservationCode kSaO2;
extern const ObservationCode kTemperature;
extern const ObservationCode kBloodPressurePanel;
extern const ObservationCode kSystolic;
extern const ObservationCode kDiastolic;
extern const ObservationCode kMeanArterial;
extern const ObservationCode kFiO2;
extern const ObservationCode kO2Flow;
extern const ObservationCode kGcs;
extern const ObservationCode kAcvpu;
extern const ObservationCode kLactate;
extern const ObservationCode kWhiteCells;
extern const ObservationCode kPlatelets;
extern const ObservationCode kCreatinine;
extern const ObservationCode kBilirubin;
extern const ObservationCode kPaCO2;
extern const ObservationCode kBodyWeight;
extern const ObservationCode kBodyHeight;
}  // namespace obs

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_CATALOG_H_
