#include "vigil/ingest/fhir_json.h"

#include "vigil/terminology/code.h"

namespace vigil::ingest::fhir {
namespace {

constexpr std::string_view kLoinc = "LOINC";
constexpr std::string_view kSnomedSystem = "http://snomed.info/sct";
constexpr std::string_view kIcuSnomed = "309904001";  // Intensive care unit (environment)
constexpr std::string_view kRoleCodeSystem = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
constexpr std::string_view kIcuRoleCode = "ICU";

bool IsIcu(std::string_view system, std::string_view code) {
  return (system == kSnomedSystem && code == kIcuSnomed) ||
         (system == kRoleCodeSystem && code == kIcuRoleCode);
}

}  // namespace

std::string Concept::Code() const { return terminology::MakeCode(vocabulary, code); }

std::string_view Concept::Text() const {
  if (!text.empty()) return text;
  if (!display.empty()) return display;
  if (!any_display.empty()) return any_display;
  return code.empty() ? any_code : code;
}

JsonError ReadString(JsonResult v, std::string_view& out) { return v.get_string().get(out); }

JsonError ReadCoding(JsonResult v, Concept& out) {
  simdjson::ondemand::object o;
  VIGIL_JSON_TRY(v.get_object().get(o));
  std::string_view system, code, display;
  for (auto field : o) {
    simdjson::ondemand::raw_json_string key;
    VIGIL_JSON_TRY(field.key().get(key));
    if (key == "system") {
      VIGIL_JSON_TRY(ReadString(field.value(), system));
    } else if (key == "code") {
      VIGIL_JSON_TRY(ReadString(field.value(), code));
    } else if (key == "display") {
      VIGIL_JSON_TRY(ReadString(field.value(), display));
    }
  }
  if (!out.has_coding) {
    out.any_code = code;
    out.any_display = display;
  }
  out.has_coding = true;
  if (IsIcu(system, code)) out.is_icu = true;
  if (code.empty() || out.vocabulary == kLoinc) return simdjson::SUCCESS;
  auto vocabulary = terminology::VocabularyForSystem(system);
  if (!vocabulary) return simdjson::SUCCESS;
  if (out.vocabulary.empty() || *vocabulary == kLoinc) {
    out.vocabulary = *vocabulary;
    out.code = code;
    out.display = display;
  }
  return simdjson::SUCCESS;
}

JsonError ReadConcept(JsonResult v, Concept& out) {
  simdjson::ondemand::object o;
  VIGIL_JSON_TRY(v.get_object().get(o));
  for (auto field : o) {
    simdjson::ondemand::raw_json_string key;
    VIGIL_JSON_TRY(field.key().get(key));
    if (key == "coding") {
      simdjson::ondemand::array codings;
      VIGIL_JSON_TRY(field.value().get_array().get(codings));
      for (auto coding : codings) VIGIL_JSON_TRY(ReadCoding(coding, out));
    } else if (key == "text") {
      VIGIL_JSON_TRY(ReadString(field.value(), out.text));
    }
  }
  return simdjson::SUCCESS;
}

JsonError ReadQuantity(JsonResult v, Quantity& out) {
  simdjson::ondemand::object o;
  VIGIL_JSON_TRY(v.get_object().get(o));
  for (auto field : o) {
    simdjson::ondemand::raw_json_string key;
    VIGIL_JSON_TRY(field.key().get(key));
    if (key == "value") {
      VIGIL_JSON_TRY(field.value().get_double().get(out.value));
      out.has_value = true;
    } else if (key == "unit") {
      VIGIL_JSON_TRY(ReadString(field.value(), out.unit));
    } else if (key == "code") {
      VIGIL_JSON_TRY(ReadString(field.value(), out.code));
    }
  }
  return simdjson::SUCCESS;
}

JsonError ReadReference(JsonResult v, std::string_view& reference, std::string_view* display) {
  simdjson::ondemand::object o;
  VIGIL_JSON_TRY(v.get_object().get(o));
  for (auto field : o) {
    simdjson::ondemand::raw_json_string key;
    VIGIL_JSON_TRY(field.key().get(key));
    if (key == "reference") {
      VIGIL_JSON_TRY(ReadString(field.value(), reference));
    } else if (display != nullptr && key == "display") {
      VIGIL_JSON_TRY(ReadString(field.value(), *display));
    }
  }
  return simdjson::SUCCESS;
}

JsonError ReadPeriod(JsonResult v, Period& out) {
  simdjson::ondemand::object o;
  VIGIL_JSON_TRY(v.get_object().get(o));
  for (auto field : o) {
    simdjson::ondemand::raw_json_string key;
    VIGIL_JSON_TRY(field.key().get(key));
    if (key == "start") {
      VIGIL_JSON_TRY(ReadString(field.value(), out.start));
    } else if (key == "end") {
      VIGIL_JSON_TRY(ReadString(field.value(), out.end));
    }
  }
  return simdjson::SUCCESS;
}

}  // namespace vigil::ingest::fhir
