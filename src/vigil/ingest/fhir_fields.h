// The fields of one FHIR resource that vigil maps, read in a single pass over the resource with
// simdjson On-Demand (fields in any order). Internal to the FHIR reader; fhir_mapping.cc decides
// what they mean.
#ifndef VIGIL_INGEST_FHIR_FIELDS_H_
#define VIGIL_INGEST_FHIR_FIELDS_H_

#include <string>
#include <string_view>
#include <vector>

#include "vigil/ingest/fhir_json.h"

namespace vigil::ingest::fhir {

// Observation.value[x] (and component.value[x]) as vigil stores it.
struct ValueX {
  enum class Kind { kNone, kQuantity, kInteger, kText };
  Kind kind = Kind::kNone;
  Quantity quantity;      // kQuantity
  double integer = 0;     // kInteger
  std::string_view text;  // kText: string, CodeableConcept text, or "true" / "false"
};

struct Component {
  Concept code;
  ValueX value;
};

struct Fields {
  std::string_view type;
  std::string_view id;
  std::string_view version_id;
  std::string_view last_updated;
  std::string_view status;
  std::string_view subject;    // subject.reference, or patient.reference (Immunization)
  std::string_view encounter;  // encounter.reference, or context.reference (R4 medication use)
  bool has_subject = false;

  Concept code;  // code, medicationCodeableConcept or vaccineCode
  bool has_code = false;
  bool medication_reference = false;
  std::vector<Concept> conclusion_codes;
  std::string_view conclusion;
  ValueX value;
  std::vector<Component> components;
  Quantity dose;  // MedicationAdministration.dosage.dose

  // Times, by the element they came from. `effective` is dateTime, instant, or Period.start.
  std::string_view effective, onset, recorded, performed, authored, occurrence, issued, asserted;
  Period period;  // Encounter.period

  // Patient.
  std::string_view gender, birth_date, deceased_time;
  std::string race, ethnicity;  // US Core extensions: OMB category display(s), else text

  // Encounter.
  Concept klass;           // Encounter.class (a Coding)
  Concept encounter_type;  // the first Encounter.type
  Concept service_type;
  Concept disposition;        // hospitalization.dischargeDisposition
  std::string_view location;  // the first location's display, else its reference
  bool icu = false;           // type, serviceType or a location's physicalType names an ICU

  std::string_view verification;  // Condition.verificationStatus code
};

// Reads the fields of `resource`, whose resourceType is `type`. Returns simdjson's error for
// malformed JSON or a field of the wrong JSON type.
JsonError ReadFields(simdjson::ondemand::object& resource, std::string_view type, Fields& out);

}  // namespace vigil::ingest::fhir

#endif  // VIGIL_INGEST_FHIR_FIELDS_H_
