// The FHIR R4 -> store mapping, in one place (docs/fhir.md describes it for users).
//
// MapResource reads one resource with simdjson's On-Demand API and decides, without touching the
// batch, whether it is stored (with its rows), skipped (by design, with a reason), rejected (with a
// reason), or deferred (a bundle entry that names a patient or encounter not yet read: the bundle
// reader retries it after the other entries). CommitResource then adds a stored resource's rows to
// a batch and to the context, so a resource is always stored whole or not at all.
//
//   Patient -> subjects (+ VIGIL/DEATH event)       Encounter -> stays (+ ICU admission events)
//   Observation, Condition, Procedure, MedicationRequest, MedicationAdministration,
//   MedicationStatement, Immunization, DiagnosticReport -> events
//   every other resource type -> skipped ("resource type X")
//
// Not thread-safe: one Context per reader thread.
#ifndef VIGIL_INGEST_FHIR_MAPPING_H_
#define VIGIL_INGEST_FHIR_MAPPING_H_

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "vigil/base/time.h"
#include "vigil/ingest/fhir_versions.h"
#include "vigil/store/store.h"

namespace vigil::ingest::fhir {

// What the mapper knows: patients and encounters in the store or read earlier in this run, the
// stored resource versions, and (inside a bundle) the entries' fullUrls.
struct Context {
  std::unordered_set<std::string> patients;    // Patient ids (= subject_id)
  std::unordered_set<std::string> encounters;  // Encounter ids (= stay_id)
  VersionIndex versions;                       // by "Type/id"
  // Codes whose name (a coding's display) this reader has already put in a batch: a code's first
  // name is kept, so later events of the code do not copy theirs.
  std::unordered_set<std::string> named_codes;
  // Bundle-local: fullUrl -> "Type/id" of the entries mapped so far. Cleared per bundle.
  std::unordered_map<std::string, std::string> full_urls;
};

enum class Outcome { kStored, kSkipped, kRejected, kDeferred };

// One event of a resource, before it is interned into a batch.
struct PendingEvent {
  std::string code;
  std::string unit;
  base::Instant time;
  std::optional<double> numeric;
  std::optional<std::string> text;
  std::string stay_id;  // empty: no stay
  std::string display;  // the code's name, when the reader has not given it one yet (named_codes)
};

struct Mapped {
  Outcome outcome = Outcome::kRejected;
  std::string reason;  // why skipped or rejected (stable, short: docs/fhir.md lists them)
  std::string source;  // "Type/id" when known
  std::string subject_id;
  std::optional<store::Subject> subject;
  std::optional<store::Stay> stay;
  std::vector<PendingEvent> events;
  std::string stay_type_display;  // the name of stay->type's code, as PendingEvent::display
  store::RecordVersion version;
  bool replaces = false;              // a newer version of a stored resource
  bool replaces_run_version = false;  // ... whose older version came earlier in this run
  // Stored unless the store holds the same or a newer version: the index only knows that a
  // resource with this source may be stored (VersionIndex kMaybe). The reader asks the store and
  // calls CompareVersion before committing it.
  bool version_unresolved = false;
};

// Where a resource came from, for bundle-local identity.
struct EntryInfo {
  std::string_view full_url;  // empty outside bundles
  std::string_view raw;       // the resource's JSON text (hashed when it carries no version)
  bool allow_defer = false;   // bundles: defer unresolved references for a second pass
};

// Maps one resource. `resource` is the resource object (its fields in any order). Never throws.
Mapped MapResource(simdjson::ondemand::object resource, const EntryInfo& entry,
                   const Context& context);

// Compares `m`'s version with `old` (the version stored or read earlier in this run; nullptr when
// none): a skip reason ("unchanged ...", "older ...") or nullopt when `m` is to be stored, setting
// m.replaces / m.replaces_run_version.
std::optional<std::string> CompareVersion(Mapped& m, const KnownVersion* old);

// Adds a stored resource's rows to `batch` and records it in `context` (patients, encounters,
// versions, fullUrl). Precondition: mapped.outcome == kStored.
void CommitResource(Mapped& mapped, std::string_view full_url, Context& context,
                    store::Batch& batch);

// True for the resource types vigil maps (Patient, Encounter and the event types above).
bool IsMappedType(std::string_view resource_type);
// The skip reason for a resource type vigil does not map: "resource type Claim".
std::string SkippedTypeReason(std::string_view resource_type);
// True for the resource types FHIR R4 defines.
bool IsR4ResourceType(std::string_view resource_type);

// "Patient" -> 0, "Encounter" -> 1, anything else -> 2: the order resources are read in, so that
// what they reference is known first.
int ResourceRank(std::string_view resource_type);

}  // namespace vigil::ingest::fhir

#endif  // VIGIL_INGEST_FHIR_MAPPING_H_
