#include "vigil/ingest/fhir_versions.h"

#include <functional>

namespace vigil::ingest::fhir {
namespace {

constexpr size_t kInitialSlots = 1 << 12;  // a power of two

}  // namespace

void HashSet64::Grow() {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(old.empty() ? kInitialSlots : 2 * old.size(), 0);
  count_ = 0;
  for (uint64_t s : old) {
    if (s != 0) Insert(s);
  }
}

void HashSet64::Insert(uint64_t hash) {
  if (2 * (count_ + 1) > slots_.size()) Grow();
  const uint64_t key = Slot(hash);
  const size_t mask = slots_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    if (slots_[i] == key) return;
    if (slots_[i] == 0) {
      slots_[i] = key;
      ++count_;
      return;
    }
  }
}

bool HashSet64::Contains(uint64_t hash) const {
  if (slots_.empty()) return false;
  const uint64_t key = Slot(hash);
  const size_t mask = slots_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    if (slots_[i] == key) return true;
    if (slots_[i] == 0) return false;
  }
}

bool VersionIndex::KeptExactly(std::string_view source) {
  return source.starts_with("Patient/") || source.starts_with("Encounter/");
}

uint64_t VersionIndex::Hash(std::string_view source) {
  // std::hash is a 64-bit hash of the bytes here (libstdc++); mixed so that the low bits, which
  // pick the slot, depend on all of them.
  uint64_t h = std::hash<std::string_view>{}(source);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;  // the finaliser of MurmurHash3 (public domain)
  h ^= h >> 33;
  return h;
}

VersionIndex::Known VersionIndex::Find(const std::string& source,
                                       const KnownVersion** version) const {
  *version = nullptr;
  if (KeptExactly(source)) {
    auto it = exact_.find(source);
    if (it == exact_.end()) return Known::kNo;
    *version = &it->second;
    return Known::kYes;
  }
  return hashed_.Contains(Hash(source)) ? Known::kMaybe : Known::kNo;
}

void VersionIndex::Add(const store::RecordVersion& v, bool from_this_run) {
  if (KeptExactly(v.source)) {
    exact_[v.source] = {v, from_this_run};
  } else {
    hashed_.Insert(Hash(v.source));
  }
}

}  // namespace vigil::ingest::fhir
