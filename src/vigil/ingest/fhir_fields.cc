#include "vigil/ingest/fhir_fields.h"

namespace vigil::ingest::fhir {
namespace {

using simdjson::ondemand::array;
using simdjson::ondemand::object;
using simdjson::ondemand::raw_json_string;

constexpr std::string_view kRaceUrl =
    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race";
constexpr std::string_view kEthnicityUrl =
    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity";

// Reads value[x] when `key` is one of the value elements vigil stores; other keys are ignored.
JsonError ReadValueX(const raw_json_string& key, JsonResult v, ValueX& out) {
  if (key == "valueQuantity") {
    out.kind = ValueX::Kind::kQuantity;
    return ReadQuantity(v, out.quantity);
  }
  if (key == "valueCodeableConcept") {
    Concept c;
    VIGIL_JSON_TRY(ReadConcept(v, c));
    out.kind = ValueX::Kind::kText;
    out.text = c.Text();
    return simdjson::SUCCESS;
  }
  if (key == "valueString") {
    out.kind = ValueX::Kind::kText;
    return ReadString(v, out.text);
  }
  if (key == "valueBoolean") {
    bool b = false;
    VIGIL_JSON_TRY(v.get_bool().get(b));
    out.kind = ValueX::Kind::kText;
    out.text = b ? "true" : "false";
    return simdjson::SUCCESS;
  }
  if (key == "valueInteger") {
    int64_t i = 0;
    VIGIL_JSON_TRY(v.get_int64().get(i));
    out.kind = ValueX::Kind::kInteger;
    out.integer = static_cast<double>(i);
  }
  return simdjson::SUCCESS;
}

JsonError ReadComponents(JsonResult v, std::vector<Component>& out) {
  array items;
  VIGIL_JSON_TRY(v.get_array().get(items));
  for (auto item : items) {
    object o;
    VIGIL_JSON_TRY(item.get_object().get(o));
    Component c;
    for (auto field : o) {
      raw_json_string key;
      VIGIL_JSON_TRY(field.key().get(key));
      if (key == "code") {
        VIGIL_JSON_TRY(ReadConcept(field.value(), c.code));
      } else {
        VIGIL_JSON_TRY(ReadValueX(key, field.value(), c.value));
      }
    }
    out.push_back(c);
  }
  return simdjson::SUCCESS;
}

// A US Core race or ethnicity extension: the OMB category displays (codes when no display), or the
// text when there is no category.
JsonError ReadOmbExtension(array& inner, std::string& out) {
  std::string categories;
  std::string_view text;
  for (auto item : inner) {
    object o;
    VIGIL_JSON_TRY(item.get_object().get(o));
    std::string_view url, value_string;
    Concept coding;
    for (auto field : o) {
      raw_json_string key;
      VIGIL_JSON_TRY(field.key().get(key));
      if (key == "url") {
        VIGIL_JSON_TRY(ReadString(field.value(), url));
      } else if (key == "valueCoding") {
        VIGIL_JSON_TRY(ReadCoding(field.value(), coding));
      } else if (key == "valueString") {
        VIGIL_JSON_TRY(ReadString(field.value(), value_string));
      }
    }
    if (url == "ombCategory") {
      std::string_view name = coding.any_display.empty() ? coding.any_code : coding.any_display;
      if (!categories.empty()) categories += ", ";
      categories.append(name);
    } else if (url == "text") {
      text = value_string;
    }
  }
  out = categories.empty() ? std::string(text) : categories;
  return simdjson::SUCCESS;
}

JsonError ReadPatientExtensions(JsonResult v, Fields& out) {
  array extensions;
  VIGIL_JSON_TRY(v.get_array().get(extensions));
  for (auto item : extensions) {
    object o;
    VIGIL_JSON_TRY(item.get_object().get(o));
    std::string_view url;
    std::string value;
    for (auto field : o) {
      raw_json_string key;
      VIGIL_JSON_TRY(field.key().get(key));
      if (key == "url") {
        VIGIL_JSON_TRY(ReadString(field.value(), url));
      } else if (key == "extension") {
        array inner;
        VIGIL_JSON_TRY(field.value().get_array().get(inner));
        VIGIL_JSON_TRY(ReadOmbExtension(inner, value));
      }
    }
    if (url == kRaceUrl) out.race = std::move(value);
    if (url == kEthnicityUrl) out.ethnicity = std::move(value);
  }
  return simdjson::SUCCESS;
}

JsonError ReadMeta(JsonResult v, Fields& out) {
  object o;
  VIGIL_JSON_TRY(v.get_object().get(o));
  for (auto field : o) {
    raw_json_string key;
    VIGIL_JSON_TRY(field.key().get(key));
    if (key == "versionId") {
      VIGIL_JSON_TRY(ReadString(field.value(), out.version_id));
    } else if (key == "lastUpdated") {
      VIGIL_JSON_TRY(ReadString(field.value(), out.last_updated));
    }
  }
  return simdjson::SUCCESS;
}

JsonError ReadEncounterLocations(JsonResult v, Fields& out) {
  array items;
  VIGIL_JSON_TRY(v.get_array().get(items));
  for (auto item : items) {
    object o;
    VIGIL_JSON_TRY(item.get_object().get(o));
    for (auto field : o) {
      raw_json_string key;
      VIGIL_JSON_TRY(field.key().get(key));
      if (key == "location") {
        std::string_view reference, display;
        VIGIL_JSON_TRY(ReadReference(field.value(), reference, &display));
        if (out.location.empty()) out.location = display.empty() ? reference : display;
      } else if (key == "physicalType") {
        Concept c;
        VIGIL_JSON_TRY(ReadConcept(field.value(), c));
        out.icu = out.icu || c.is_icu;
      }
    }
  }
  return simdjson::SUCCESS;
}

JsonError ReadConceptList(JsonResult v, std::vector<Concept>& out) {
  array items;
  VIGIL_JSON_TRY(v.get_array().get(items));
  for (auto item : items) {
    Concept c;
    VIGIL_JSON_TRY(ReadConcept(item, c));
    out.push_back(c);
  }
  return simdjson::SUCCESS;
}

JsonError ReadEncounterField(const raw_json_string& key, JsonResult v, Fields& out) {
  if (key == "class") return ReadCoding(v, out.klass);
  if (key == "period") return ReadPeriod(v, out.period);
  if (key == "type") {
    std::vector<Concept> types;
    VIGIL_JSON_TRY(ReadConceptList(v, types));
    for (const Concept& c : types) out.icu = out.icu || c.is_icu;
    if (!types.empty()) out.encounter_type = types.front();
    return simdjson::SUCCESS;
  }
  if (key == "serviceType") {
    VIGIL_JSON_TRY(ReadConcept(v, out.service_type));
    out.icu = out.icu || out.service_type.is_icu;
    return simdjson::SUCCESS;
  }
  if (key == "location") return ReadEncounterLocations(v, out);
  if (key == "hospitalization") {
    object o;
    VIGIL_JSON_TRY(v.get_object().get(o));
    for (auto field : o) {
      raw_json_string inner;
      VIGIL_JSON_TRY(field.key().get(inner));
      if (inner == "dischargeDisposition") {
        VIGIL_JSON_TRY(ReadConcept(field.value(), out.disposition));
      }
    }
  }
  return simdjson::SUCCESS;
}

JsonError ReadPatientField(const raw_json_string& key, JsonResult v, Fields& out) {
  if (key == "gender") return ReadString(v, out.gender);
  if (key == "birthDate") return ReadString(v, out.birth_date);
  if (key == "deceasedDateTime") return ReadString(v, out.deceased_time);
  if (key == "extension") return ReadPatientExtensions(v, out);
  return simdjson::SUCCESS;
}

JsonError ReadDose(JsonResult v, Fields& out) {
  object o;
  VIGIL_JSON_TRY(v.get_object().get(o));
  for (auto field : o) {
    raw_json_string key;
    VIGIL_JSON_TRY(field.key().get(key));
    if (key == "dose") VIGIL_JSON_TRY(ReadQuantity(field.value(), out.dose));
  }
  return simdjson::SUCCESS;
}

// Time elements shared by the event resources. Returns true when `key` was one of them.
JsonError ReadTimeField(const raw_json_string& key, JsonResult v, Fields& out, bool& matched) {
  matched = true;
  if (key == "effectiveDateTime" || key == "effectiveInstant") return ReadString(v, out.effective);
  if (key == "effectivePeriod") {
    Period p;
    VIGIL_JSON_TRY(ReadPeriod(v, p));
    out.effective = p.start;
    return simdjson::SUCCESS;
  }
  if (key == "onsetDateTime") return ReadString(v, out.onset);
  if (key == "onsetPeriod") {
    Period p;
    VIGIL_JSON_TRY(ReadPeriod(v, p));
    out.onset = p.start;
    return simdjson::SUCCESS;
  }
  if (key == "performedDateTime") return ReadString(v, out.performed);
  if (key == "performedPeriod") {
    Period p;
    VIGIL_JSON_TRY(ReadPeriod(v, p));
    out.performed = p.start;
    return simdjson::SUCCESS;
  }
  if (key == "recordedDate") return ReadString(v, out.recorded);
  if (key == "authoredOn") return ReadString(v, out.authored);
  if (key == "occurrenceDateTime") return ReadString(v, out.occurrence);
  if (key == "issued") return ReadString(v, out.issued);
  if (key == "dateAsserted") return ReadString(v, out.asserted);
  matched = false;
  return simdjson::SUCCESS;
}

JsonError ReadEventField(const raw_json_string& key, JsonResult v, Fields& out) {
  bool matched = false;
  VIGIL_JSON_TRY(ReadTimeField(key, v, out, matched));
  if (matched) return simdjson::SUCCESS;
  if (key == "code" || key == "medicationCodeableConcept" || key == "vaccineCode") {
    out.has_code = true;
    return ReadConcept(v, out.code);
  }
  if (key == "medicationReference") {
    out.medication_reference = true;
    return simdjson::SUCCESS;
  }
  if (key == "encounter" || key == "context") return ReadReference(v, out.encounter, nullptr);
  if (key == "component") return ReadComponents(v, out.components);
  if (key == "conclusionCode") return ReadConceptList(v, out.conclusion_codes);
  if (key == "conclusion") return ReadString(v, out.conclusion);
  if (key == "dosage" && out.type == "MedicationAdministration") return ReadDose(v, out);
  if (key == "verificationStatus") {
    Concept c;
    VIGIL_JSON_TRY(ReadConcept(v, c));
    out.verification = c.any_code;
    return simdjson::SUCCESS;
  }
  return ReadValueX(key, v, out.value);
}

}  // namespace

JsonError ReadFields(object& resource, std::string_view type, Fields& out) {
  out.type = type;
  const bool patient = type == "Patient";
  const bool encounter = type == "Encounter";
  for (auto field : resource) {
    raw_json_string key;
    VIGIL_JSON_TRY(field.key().get(key));
    if (key == "resourceType") continue;
    if (key == "id") {
      VIGIL_JSON_TRY(ReadString(field.value(), out.id));
    } else if (key == "meta") {
      VIGIL_JSON_TRY(ReadMeta(field.value(), out));
    } else if (key == "status") {
      VIGIL_JSON_TRY(ReadString(field.value(), out.status));
    } else if (!patient && (key == "subject" || key == "patient")) {
      out.has_subject = true;
      VIGIL_JSON_TRY(ReadReference(field.value(), out.subject, nullptr));
    } else if (patient) {
      VIGIL_JSON_TRY(ReadPatientField(key, field.value(), out));
    } else if (encounter) {
      VIGIL_JSON_TRY(ReadEncounterField(key, field.value(), out));
    } else {
      VIGIL_JSON_TRY(ReadEventField(key, field.value(), out));
    }
  }
  return simdjson::SUCCESS;
}

}  // namespace vigil::ingest::fhir
