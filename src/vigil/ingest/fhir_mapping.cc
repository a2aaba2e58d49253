#include "vigil/ingest/fhir_mapping.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>

#include "vigil/base/text.h"
#include "vigil/ingest/fhir_fields.h"
#include "vigil/terminology/code.h"
#include "vigil/terminology/units.h"

namespace vigil::ingest::fhir {
namespace {

constexpr std::array kEventTypes = std::to_array<std::string_view>(
    {"Observation", "Condition", "Procedure", "MedicationRequest", "MedicationAdministration",
     "MedicationStatement", "Immunization", "DiagnosticReport"});
// Statuses that mean the record did not happen or was a mistake (FHIR R4 value sets
// observation-status, event-status, medicationrequest-status, ...): skipped, counted.
constexpr std::array kVoidStatuses =
    std::to_array<std::string_view>({"entered-in-error", "cancelled", "not-done"});
// Condition.verificationStatus codes that mean the condition is not there.
constexpr std::array kVoidVerifications =
    std::to_array<std::string_view>({"entered-in-error", "refuted"});
constexpr int64_t kMicrosPerDay = 86'400'000'000;

Mapped Reject(std::string reason) {
  Mapped m;
  m.outcome = Outcome::kRejected;
  m.reason = std::move(reason);
  return m;
}

Mapped Skip(std::string reason) {
  Mapped m;
  m.outcome = Outcome::kSkipped;
  m.reason = std::move(reason);
  return m;
}

Mapped Defer() {
  Mapped m;
  m.outcome = Outcome::kDeferred;
  return m;
}

template <size_t N>
bool OneOf(std::string_view v, const std::array<std::string_view, N>& set) {
  for (std::string_view s : set) {
    if (s == v) return true;
  }
  return false;
}

enum class Ref { kOk, kMissing, kOtherType, kUnresolved, kUnsupported };

// Resolves a reference to the id of a resource of type `want`: "Patient/123", an absolute URL
// ending in Patient/123, "Patient/123/_history/2", or a bundle entry's fullUrl (urn:uuid:...).
Ref Resolve(std::string_view ref, std::string_view want, const Context& context, std::string& id) {
  if (ref.empty()) return Ref::kMissing;
  if (ref.front() == '#' || ref.find('?') != std::string_view::npos) return Ref::kUnsupported;
  std::string_view target = ref;
  auto it = context.full_urls.empty() ? context.full_urls.end()
                                      : context.full_urls.find(std::string(ref));
  if (it != context.full_urls.end()) {
    target = it->second;
  } else if (ref.starts_with("urn:")) {
    return Ref::kUnresolved;
  }
  if (auto h = target.find("/_history/"); h != std::string_view::npos) target = target.substr(0, h);
  const size_t slash = target.rfind('/');
  if (slash == std::string_view::npos || slash + 1 == target.size()) return Ref::kUnsupported;
  std::string_view type = target.substr(0, slash);
  if (auto s = type.rfind('/'); s != std::string_view::npos) type = type.substr(s + 1);
  if (type != want) return Ref::kOtherType;
  id.assign(target.substr(slash + 1));
  return Ref::kOk;
}

// Parses an ISO 8601 date or dateTime; nullopt when unparseable.
std::optional<base::Instant> ParseTime(std::string_view text) {
  auto parsed = base::ParseIso8601(text);
  if (!parsed.ok()) return std::nullopt;
  return parsed->instant;
}

std::string ContentHash(std::string_view raw) {
  return fmt::format("{:016x}", std::hash<std::string_view>{}(raw));
}

std::optional<int64_t> AsInteger(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

// Decides between stored, unchanged and older, given the version the store (or run) holds.
std::optional<std::string> CompareVersion(Mapped& m, const KnownVersion* known) {
  if (known == nullptr) return std::nullopt;
  const store::RecordVersion& old = known->version;
  const store::RecordVersion& now = m.version;
  bool same = false;
  if (!now.version_id.empty() && !old.version_id.empty()) {
    same = now.version_id == old.version_id;
  } else if (now.last_updated && old.last_updated) {
    same = *now.last_updated == *old.last_updated;
  } else {
    same = now.content_hash == old.content_hash;
  }
  if (same) return "unchanged (this version is already stored)";
  const auto a = AsInteger(now.version_id), b = AsInteger(old.version_id);
  const bool older =
      (now.last_updated && old.last_updated && *now.last_updated < *old.last_updated) ||
      (a && b && *a < *b);
  if (older) return "older version than the one stored";
  m.replaces = true;
  m.replaces_run_version = known->from_this_run;
  return std::nullopt;
}

namespace {

// Resolves subject and encounter for an event or stay; sets m.subject_id and `stay_id`.
// Returns a rejection, a deferral, or nullopt when resolved.
std::optional<Mapped> ResolveSubject(const Fields& f, const EntryInfo& entry,
                                     const Context& context, Mapped& m, std::string& stay_id,
                                     bool with_encounter = true) {
  std::string id;
  switch (Resolve(f.subject, "Patient", context, id)) {
    case Ref::kMissing:
      return Reject("missing subject");
    case Ref::kOtherType:
      return Reject("subject is not a Patient");
    case Ref::kUnsupported:
      return Reject("unsupported subject reference (contained or conditional)");
    case Ref::kUnresolved:
      if (entry.allow_defer) return Defer();
      return Reject("reference to no known patient");
    case Ref::kOk:
      break;
  }
  if (!context.patients.count(id)) {
    if (entry.allow_defer) return Defer();
    return Reject("reference to no known patient");
  }
  m.subject_id = std::move(id);
  if (!with_encounter) return std::nullopt;
  std::string encounter;
  const Ref e = Resolve(f.encounter, "Encounter", context, encounter);
  if (e == Ref::kOk && context.encounters.count(encounter)) {
    stay_id = std::move(encounter);
  } else if (entry.allow_defer && (e == Ref::kUnresolved || e == Ref::kOk)) {
    return Defer();
  }
  return std::nullopt;
}

// The longest code name kept, in bytes: a name is a short label, and a display of megabytes would
// otherwise be stored and printed as one.
constexpr size_t kMaxDisplay = 200;

// The name to store with an event of `code`: the concept's display, when the reader has not named
// the code yet (cut to kMaxDisplay bytes, at a UTF-8 character boundary).
std::string NameFor(const Concept& c, const std::string& code, const Context& context) {
  if (c.display.empty() || context.named_codes.contains(code)) return {};
  return std::string(base::Utf8Prefix(c.display, kMaxDisplay));
}

std::optional<Mapped> MapPatient(const Fields& f, Mapped& m) {
  store::Subject s;
  s.subject_id = std::string(f.id);
  s.source = "fhir";
  if (!f.gender.empty()) s.sex = std::string(f.gender);
  if (!f.birth_date.empty()) {
    auto t = ParseTime(f.birth_date);
    if (!t) return Reject("unparseable date");
    const int64_t micros = base::ToMicros(*t);
    s.birth_date =
        static_cast<int32_t>((micros - (micros < 0 ? kMicrosPerDay - 1 : 0)) / kMicrosPerDay);
  }
  if (!f.race.empty()) s.race = f.race;
  if (!f.ethnicity.empty()) s.ethnicity = f.ethnicity;
  if (!f.deceased_time.empty()) {
    auto t = ParseTime(f.deceased_time);
    if (!t) return Reject("unparseable date");
    m.events.push_back(
        {std::string(terminology::kDeath), "", *t, std::nullopt, std::nullopt, "", {}});
  }
  m.subject_id = s.subject_id;
  m.subject = std::move(s);
  return std::nullopt;
}

std::string ConceptName(const Concept& c) { return c.known() ? c.Code() : std::string(c.Text()); }

std::optional<Mapped> MapEncounter(const Fields& f, const EntryInfo& entry, const Context& context,
                                   Mapped& m) {
  std::string unused_stay;
  if (auto r = ResolveSubject(f, entry, context, m, unused_stay, /*with_encounter=*/false)) {
    return r;
  }
  if (f.period.start.empty()) return Reject("missing time");
  auto start = ParseTime(f.period.start);
  if (!start) return Reject("unparseable date");
  std::optional<base::Instant> end;
  if (!f.period.end.empty()) {
    end = ParseTime(f.period.end);
    if (!end) return Reject("unparseable date");
  }
  store::Stay s;
  s.stay_id = std::string(f.id);
  s.subject_id = m.subject_id;
  const std::string_view klass = f.klass.any_code;
  s.kind = f.icu                                  ? "icu"
           : (klass == "IMP" || klass == "ACUTE") ? "inpatient"
           : klass == "EMER"                      ? "emergency"
           : klass == "AMB"                       ? "ambulatory"
                                                  : "other";
  s.start = start;
  s.end = end;
  if (f.encounter_type.has_coding || !f.encounter_type.text.empty()) {
    s.type = ConceptName(f.encounter_type);
    if (f.encounter_type.known()) m.stay_type_display = NameFor(f.encounter_type, *s.type, context);
  }
  if (!f.service_type.Text().empty()) s.unit = std::string(f.service_type.Text());
  if (f.disposition.has_coding || !f.disposition.text.empty()) {
    s.disposition = std::string(f.disposition.Text());
  }
  if (!f.location.empty()) s.location = std::string(f.location);
  s.source = "fhir";
  const auto presence = [&](std::string_view code, base::Instant t) {
    m.events.push_back({std::string(code), "", t, std::nullopt, std::nullopt, s.stay_id, {}});
  };
  if (s.kind == "icu") {
    presence(terminology::kIcuAdmission, *start);
    if (end) presence(terminology::kIcuDischarge, *end);
  } else if (s.kind == "inpatient" && end) {
    presence(terminology::kHospitalDischarge, *end);
  }
  m.stay = std::move(s);
  return std::nullopt;
}

// One Observation value (or component) as an event; a rejection when its unit cannot be converted.
std::optional<Mapped> AddValueEvent(const std::string& code, std::string display, const ValueX& v,
                                    base::Instant t, const std::string& stay_id, Mapped& m) {
  PendingEvent e{code, "", t, std::nullopt, std::nullopt, stay_id, std::move(display)};
  switch (v.kind) {
    case ValueX::Kind::kQuantity: {
      if (!v.quantity.has_value) break;
      auto canonical = terminology::ToCanonical(code, v.quantity.value, v.quantity.Unit());
      if (!canonical.ok()) return Reject("unit not convertible to the code's unit");
      e.numeric = canonical->value;
      e.unit = std::move(canonical->unit);
      break;
    }
    case ValueX::Kind::kInteger:
      e.numeric = v.integer;
      e.unit = std::string(terminology::CanonicalUnit(code).value_or(""));
      break;
    case ValueX::Kind::kText:
      e.text = std::string(v.text);
      break;
    case ValueX::Kind::kNone:
      break;
  }
  m.events.push_back(std::move(e));
  return std::nullopt;
}

std::string_view FirstOf(std::initializer_list<std::string_view> candidates) {
  for (std::string_view c : candidates) {
    if (!c.empty()) return c;
  }
  return {};
}

std::string_view EventTime(const Fields& f) {
  const std::string_view t = f.type;
  if (t == "Condition") return FirstOf({f.onset, f.recorded});
  if (t == "Procedure") return f.performed;
  if (t == "MedicationRequest") return f.authored;
  if (t == "MedicationStatement") return FirstOf({f.effective, f.asserted});
  if (t == "Immunization") return f.occurrence;
  if (t == "DiagnosticReport") return FirstOf({f.effective, f.issued});
  return f.effective;  // Observation, MedicationAdministration
}

std::optional<Mapped> MapEvent(const Fields& f, const EntryInfo& entry, const Context& context,
                               Mapped& m) {
  if (f.type == "Condition" && OneOf(f.verification, kVoidVerifications)) {
    return Skip(fmt::format("verification status {}", f.verification));
  }
  std::string stay_id;
  if (auto r = ResolveSubject(f, entry, context, m, stay_id)) return r;
  if (f.medication_reference && !f.has_code) {
    return Reject("medication given by reference (not resolved)");
  }
  if (!f.has_code || !f.code.has_coding) return Reject("missing code");
  if (!f.code.known()) return Reject("code from no known code system");
  const std::string_view time_text = EventTime(f);
  if (time_text.empty()) return Reject("missing time");
  auto time = ParseTime(time_text);
  if (!time) return Reject("unparseable date");
  const std::string code = f.code.Code();
  if (f.type == "Observation") {
    for (const Component& c : f.components) {
      if (!c.code.has_coding) return Reject("missing code");
      if (!c.code.known()) return Reject("code from no known code system");
      const std::string component_code = c.code.Code();
      if (auto r = AddValueEvent(component_code, NameFor(c.code, component_code, context), c.value,
                                 *time, stay_id, m)) {
        return r;
      }
    }
    if (f.components.empty() || f.value.kind != ValueX::Kind::kNone) {
      if (auto r =
              AddValueEvent(code, NameFor(f.code, code, context), f.value, *time, stay_id, m)) {
        return r;
      }
    }
    return std::nullopt;
  }
  PendingEvent e{
      code, "", *time, std::nullopt, std::nullopt, stay_id, NameFor(f.code, code, context)};
  if (f.type == "MedicationAdministration" && f.dose.has_value) {
    auto dose = terminology::ToCanonical(code, f.dose.value, f.dose.Unit());
    if (!dose.ok()) return Reject("unit not convertible to the code's unit");
    e.numeric = dose->value;
    e.unit = std::move(dose->unit);
  }
  if (f.type == "DiagnosticReport" && !f.conclusion.empty()) e.text = std::string(f.conclusion);
  m.events.push_back(std::move(e));
  for (const Concept& c : f.conclusion_codes) {
    if (!c.known()) continue;
    std::string conclusion_code = c.Code();
    std::string name = NameFor(c, conclusion_code, context);
    m.events.push_back({std::move(conclusion_code), "", *time, std::nullopt, std::nullopt, stay_id,
                        std::move(name)});
  }
  return std::nullopt;
}

Mapped MapFields(Fields& f, const EntryInfo& entry, const Context& context) {
  Mapped m;
  if (f.id.empty() && entry.full_url.starts_with("urn:uuid:")) {
    f.id = entry.full_url.substr(std::string_view("urn:uuid:").size());
  }
  if (f.id.empty()) return Reject("missing id");
  m.source.reserve(f.type.size() + 1 + f.id.size());
  m.source.append(f.type).push_back('/');
  m.source.append(f.id);
  if (OneOf(f.status, kVoidStatuses)) return Skip(fmt::format("status {} ({})", f.status, f.type));
  std::optional<Mapped> problem;
  if (f.type == "Patient") {
    problem = MapPatient(f, m);
  } else if (f.type == "Encounter") {
    problem = MapEncounter(f, entry, context, m);
  } else {
    problem = MapEvent(f, entry, context, m);
  }
  if (problem) {
    problem->source = m.source;
    return std::move(*problem);
  }
  m.version.source = m.source;
  m.version.version_id = std::string(f.version_id);
  if (!f.last_updated.empty()) {
    m.version.last_updated = ParseTime(f.last_updated);
    if (!m.version.last_updated) return Reject("unparseable date");
  }
  if (f.version_id.empty() && f.last_updated.empty())
    m.version.content_hash = ContentHash(entry.raw);
  const KnownVersion* known = nullptr;
  const VersionIndex::Known k = context.versions.Find(m.source, &known);
  m.version_unresolved = k == VersionIndex::Known::kMaybe;
  if (auto skip = CompareVersion(m, known)) {
    Mapped s = Skip(*skip);
    s.source = m.source;
    return s;
  }
  m.outcome = Outcome::kStored;
  return m;
}

}  // namespace

bool IsMappedType(std::string_view type) {
  return type == "Patient" || type == "Encounter" || OneOf(type, kEventTypes);
}

namespace {

// The resource types of FHIR R4 (4.0.1, http://hl7.org/fhir/resource-types), sorted.
constexpr std::array kR4ResourceTypes = {
    "Account",
    "ActivityDefinition",
    "AdverseEvent",
    "AllergyIntolerance",
    "Appointment",
    "AppointmentResponse",
    "AuditEvent",
    "Basic",
    "Binary",
    "BiologicallyDerivedProduct",
    "BodyStructure",
    "Bundle",
    "CapabilityStatement",
    "CarePlan",
    "CareTeam",
    "CatalogEntry",
    "ChargeItem",
    "ChargeItemDefinition",
    "Claim",
    "ClaimResponse",
    "ClinicalImpression",
    "CodeSystem",
    "Communication",
    "CommunicationRequest",
    "CompartmentDefinition",
    "Composition",
    "ConceptMap",
    "Condition",
    "Consent",
    "Contract",
    "Coverage",
    "CoverageEligibilityRequest",
    "CoverageEligibilityResponse",
    "DetectedIssue",
    "Device",
    "DeviceDefinition",
    "DeviceMetric",
    "DeviceRequest",
    "DeviceUseStatement",
    "DiagnosticReport",
    "DocumentManifest",
    "DocumentReference",
    "EffectEvidenceSynthesis",
    "Encounter",
    "Endpoint",
    "EnrollmentRequest",
    "EnrollmentResponse",
    "EpisodeOfCare",
    "EventDefinition",
    "Evidence",
    "EvidenceVariable",
    "ExampleScenario",
    "ExplanationOfBenefit",
    "FamilyMemberHistory",
    "Flag",
    "Goal",
    "GraphDefinition",
    "Group",
    "GuidanceResponse",
    "HealthcareService",
    "ImagingStudy",
    "Immunization",
    "ImmunizationEvaluation",
    "ImmunizationRecommendation",
    "ImplementationGuide",
    "InsurancePlan",
    "Invoice",
    "Library",
    "Linkage",
    "List",
    "Location",
    "Measure",
    "MeasureReport",
    "Media",
    "Medication",
    "MedicationAdministration",
    "MedicationDispense",
    "MedicationKnowledge",
    "MedicationRequest",
    "MedicationStatement",
    "MedicinalProduct",
    "MedicinalProductAuthorization",
    "MedicinalProductContraindication",
    "MedicinalProductIndication",
    "MedicinalProductIngredient",
    "MedicinalProductInteraction",
    "MedicinalProductManufactured",
    "MedicinalProductPackaged",
    "MedicinalProductPharmaceutical",
    "MedicinalProductUndesirableEffect",
    "MessageDefinition",
    "MessageHeader",
    "MolecularSequence",
    "NamingSystem",
    "NutritionOrder",
    "Observation",
    "ObservationDefinition",
    "OperationDefinition",
    "OperationOutcome",
    "Organization",
    "OrganizationAffiliation",
    "Parameters",
    "Patient",
    "PaymentNotice",
    "PaymentReconciliation",
    "Person",
    "PlanDefinition",
    "Practitioner",
    "PractitionerRole",
    "Procedure",
    "Provenance",
    "Questionnaire",
    "QuestionnaireResponse",
    "RelatedPerson",
    "RequestGroup",
    "ResearchDefinition",
    "ResearchElementDefinition",
    "ResearchStudy",
    "ResearchSubject",
    "RiskAssessment",
    "RiskEvidenceSynthesis",
    "Schedule",
    "SearchParameter",
    "ServiceRequest",
    "Slot",
    "Specimen",
    "SpecimenDefinition",
    "StructureDefinition",
    "StructureMap",
    "Subscription",
    "Substance",
    "SubstanceNucleicAcid",
    "SubstancePolymer",
    "SubstanceProtein",
    "SubstanceReferenceInformation",
    "SubstanceSourceMaterial",
    "SubstanceSpecification",
    "SupplyDelivery",
    "SupplyRequest",
    "Task",
    "TerminologyCapabilities",
    "TestReport",
    "TestScript",
    "ValueSet",
    "VerificationResult",
    "VisionPrescription",
};

}  // namespace

bool IsR4ResourceType(std::string_view type) {
  return std::binary_search(kR4ResourceTypes.begin(), kR4ResourceTypes.end(), type);
}

std::string SkippedTypeReason(std::string_view type) {
  // Only a name FHIR defines is shown: whatever else a file holds there may be patient data.
  if (!IsR4ResourceType(type)) return "resource type not in FHIR R4 (not shown)";
  return fmt::format("resource type {}", type);
}

int ResourceRank(std::string_view resource_type) {
  if (resource_type == "Patient") return 0;
  if (resource_type == "Encounter") return 1;
  return 2;
}

Mapped MapResource(simdjson::ondemand::object resource, const EntryInfo& entry,
                   const Context& context) {
  std::string_view type;
  auto type_error = resource.find_field_unordered("resourceType").get_string().get(type);
  if (type_error == simdjson::NO_SUCH_FIELD) return Reject("not a FHIR resource (no resourceType)");
  if (type_error) return Reject("malformed JSON");
  if (!IsMappedType(type)) return Skip(SkippedTypeReason(type));
  bool reset = false;
  if (resource.reset().get(reset)) return Reject("malformed JSON");
  Fields fields;
  if (ReadFields(resource, type, fields)) return Reject("malformed JSON");
  return MapFields(fields, entry, context);
}

void CommitResource(Mapped& m, std::string_view full_url, Context& context, store::Batch& batch) {
  if (m.subject) {
    context.patients.insert(m.subject->subject_id);
    batch.subjects.push_back(std::move(*m.subject));
  }
  store::EventColumns& ev = batch.events;
  if (m.stay) {
    context.encounters.insert(m.stay->stay_id);
    if (!m.stay_type_display.empty()) {  // a code without events of its own, for its name
      ev.NameCode(ev.InternCode(*m.stay->type, ""), m.stay_type_display);
      context.named_codes.insert(*m.stay->type);
    }
    batch.stays.push_back(std::move(*m.stay));
  }
  if (!m.events.empty()) {
    const uint32_t subject = ev.InternSubject(m.subject_id);
    // The version rules keep a resource out of a part that already holds it (a newer version
    // starts a new part), so its source is new to this dictionary.
    const uint32_t source = ev.AddNewSource(m.source);
    for (const PendingEvent& e : m.events) {
      const uint32_t code = ev.InternCode(e.code, e.unit);
      if (!e.display.empty()) {
        ev.NameCode(code, e.display);
        context.named_codes.insert(e.code);
      }
      const uint32_t stay = ev.InternStay(e.stay_id);
      if (e.numeric) {
        ev.AddNumeric(subject, e.time, code, *e.numeric, stay, source);
      } else if (e.text) {
        ev.AddText(subject, e.time, code, *e.text, stay, source);
      } else {
        ev.AddPresence(subject, e.time, code, stay, source);
      }
    }
  }
  if (m.replaces) batch.replace_sources.push_back(m.source);
  context.versions.Add(m.version, /*from_this_run=*/true);
  batch.record_versions.push_back(std::move(m.version));
  if (!full_url.empty()) context.full_urls[std::string(full_url)] = m.source;
  batch.counts.records_in += 1;
  batch.counts.stored += 1;
}

}  // namespace vigil::ingest::fhir
