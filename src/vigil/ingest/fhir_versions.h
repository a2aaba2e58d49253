// The resource versions the FHIR reader knows, in bounded memory (docs/decisions.md D11).
//
// Patient and Encounter versions are kept exactly (the reader already keeps one id per patient and
// encounter). For every other resource (observations, conditions, ...: millions in a bulk export)
// only a 64-bit hash of its source ("Type/id") is kept, 8-16 bytes per resource instead of ~230:
// a resource whose hash is not there is certainly new; one whose hash is there is "maybe known",
// and the reader asks the store for its exact version (Store::RecordVersionsOf), many at a time.
// Internal to the FHIR reader. Not thread-safe.
#ifndef VIGIL_INGEST_FHIR_VERSIONS_H_
#define VIGIL_INGEST_FHIR_VERSIONS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vigil/store/records.h"

namespace vigil::ingest::fhir {

// A stored resource version, as the reader remembers it.
struct KnownVersion {
  store::RecordVersion version;
  bool from_this_run = false;  // its rows may still be pending in the session
};

// A set of 64-bit hashes: open addressing, linear probing, at most half full.
class HashSet64 {
 public:
  void Insert(uint64_t hash);
  bool Contains(uint64_t hash) const;
  size_t size() const { return count_; }

 private:
  static uint64_t Slot(uint64_t hash) { return hash == 0 ? 1 : hash; }  // 0 marks a free slot
  void Grow();

  std::vector<uint64_t> slots_;
  size_t count_ = 0;
};

class VersionIndex {
 public:
  enum class Known { kNo, kYes, kMaybe };

  // kYes with `version` set (Patient, Encounter), kMaybe (ask the store), or kNo.
  Known Find(const std::string& source, const KnownVersion** version) const;
  // Remembers `v` (replacing an earlier version of the same source).
  void Add(const store::RecordVersion& v, bool from_this_run);
  size_t size() const { return exact_.size() + hashed_.size(); }

  // True for the sources kept exactly ("Patient/...", "Encounter/...").
  static bool KeptExactly(std::string_view source);
  static uint64_t Hash(std::string_view source);

 private:
  std::unordered_map<std::string, KnownVersion> exact_;
  HashSet64 hashed_;
};

}  // namespace vigil::ingest::fhir

#endif  // VIGIL_INGEST_FHIR_VERSIONS_H_
