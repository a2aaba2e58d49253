#include "vigil/terminology/code.h"

#include <array>
#include <utility>

namespace vigil::terminology {

std::string MakeCode(std::string_view vocabulary, std::string_view code) {
  std::string out;
  out.reserve(vocabulary.size() + 1 + code.size());
  out.append(vocabulary).push_back('/');
  out.append(code);
  return out;
}

std::optional<std::string_view> VocabularyForSystem(std::string_view system_uri) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kSystems = {{
      {"http://loinc.org", "LOINC"},
      {"http://snomed.info/sct", "SNOMED"},
      {"http://hl7.org/fhir/sid/icd-10", "ICD10"},
      {"http://hl7.org/fhir/sid/icd-10-cm", "ICD10CM"},
      {"http://hl7.org/fhir/sid/icd-9-cm", "ICD9CM"},
      {"http://www.nlm.nih.gov/research/umls/rxnorm", "RXNORM"},
      {"http://hl7.org/fhir/sid/cvx", "CVX"},
      {"http://www.ama-assn.org/go/cpt", "CPT"},
      {"http://unitsofmeasure.org", "UCUM"},
      {"http://hl7.org/fhir/sid/ndc", "NDC"},
  }};
  for (const auto& [uri, name] : kSystems) {
    if (uri == system_uri) return name;
  }
  return std::nullopt;
}

}  // namespace vigil::terminology
