// Readers for the FHIR R4 datatypes vigil maps (CodeableConcept, Coding, Quantity, Reference,
// Period), over simdjson's On-Demand API. Internal to the FHIR reader.
//
// Each reader consumes one JSON value, tolerates fields in any order and ignores fields it does
// not need. It returns simdjson's error code: INCORRECT_TYPE when the value has the wrong JSON type
// (a malformed resource), or a parse error from simdjson. String views point into the parser's
// buffers and stay valid until the parser reads the next document.
#ifndef VIGIL_INGEST_FHIR_JSON_H_
#define VIGIL_INGEST_FHIR_JSON_H_

#include <simdjson.h>

#include <string>
#include <string_view>

namespace vigil::ingest::fhir {

using JsonValue = simdjson::ondemand::value;
// A value or its error, as field.value() and array iteration give it.
using JsonResult = simdjson::simdjson_result<JsonValue>;
using JsonError = simdjson::error_code;

// Returns early from the enclosing function when a simdjson call fails.
#define VIGIL_JSON_TRY(expr)                               \
  do {                                                     \
    if (::simdjson::error_code e_ = (expr); e_) return e_; \
  } while (0)

// A CodeableConcept (or a single Coding) reduced to the coding vigil stores: LOINC when present,
// else the first coding from a code system vigil names (terminology::VocabularyForSystem).
struct Concept {
  std::string_view vocabulary;  // "LOINC", "SNOMED", ...; empty when no known system
  std::string_view code;
  std::string_view display;      // of the chosen coding
  std::string_view text;         // CodeableConcept.text
  std::string_view any_code;     // the first coding's code, whatever its system
  std::string_view any_display;  // the first coding's display
  bool has_coding = false;
  bool is_icu = false;  // a coding is SNOMED 309904001 or HL7 v3 RoleCode ICU (BRIEF.md)

  bool known() const { return !vocabulary.empty() && !code.empty(); }
  std::string Code() const;  // "VOCABULARY/CODE"; precondition: known()
  // For values stored as text: the concept's text, else the chosen (or first) display, else code.
  std::string_view Text() const;
};

struct Quantity {
  bool has_value = false;
  double value = 0;
  std::string_view unit;  // human text
  std::string_view code;  // UCUM code (preferred)
  std::string_view Unit() const { return code.empty() ? unit : code; }
};

struct Period {
  std::string_view start;
  std::string_view end;
};

JsonError ReadString(JsonResult v, std::string_view& out);
JsonError ReadConcept(JsonResult v, Concept& out);
JsonError ReadCoding(JsonResult v, Concept& out);
JsonError ReadQuantity(JsonResult v, Quantity& out);
JsonError ReadReference(JsonResult v, std::string_view& reference, std::string_view* display);
JsonError ReadPeriod(JsonResult v, Period& out);

}  // namespace vigil::ingest::fhir

#endif  // VIGIL_INGEST_FHIR_JSON_H_
