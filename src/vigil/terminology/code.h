// Codes in vigil are "VOCABULARY/CODE" strings: LOINC/8867-4, SNOMED/91302008, ICD10/A41.9,
// RXNORM/1191, CVX/140, PHYSIONET2012/GCS, VIGIL/DEATH. This header names the vocabularies and
// vigil's own codes.
#ifndef VIGIL_TERMINOLOGY_CODE_H_
#define VIGIL_TERMINOLOGY_CODE_H_

#include <optional>
#include <string>
#include <string_view>

namespace vigil::terminology {

// vigil's own codes for outcomes and administrative events (docs/terminology.md).
inline constexpr std::string_view kDeath = "VIGIL/DEATH";
inline constexpr std::string_view kHospitalDischarge = "VIGIL/HOSPITAL_DISCHARGE";
inline constexpr std::string_view kIcuAdmission = "VIGIL/ICU_ADMISSION";
inline constexpr std::string_view kIcuDischarge = "VIGIL/ICU_DISCHARGE";
inline constexpr std::string_view kSepsisOnset = "VIGIL/SEPSIS_ONSET";
inline constexpr std::string_view kCardiacArrest = "VIGIL/CARDIAC_ARREST";

// "LOINC" + "8867-4" -> "LOINC/8867-4".
std::string MakeCode(std::string_view vocabulary, std::string_view code);

// The vocabulary name vigil uses for a FHIR / HL7 coding system URI ("http://loinc.org" ->
// "LOINC"), or nullopt for a system vigil does not name.
std::optional<std::string_view> VocabularyForSystem(std::string_view system_uri);

}  // namespace vigil::terminology

#endif  // VIGIL_TERMINOLOGY_CODE_H_
