#include "vigil/store/event_columns.h"

#include <algorithm>
#include <cstdint>

#include "vigil/base/memory.h"

namespace vigil::store {
namespace {

// Dictionaries smaller than this are searched linearly and get no hash index: a file of one
// patient has one subject, one stay, one source and a few dozen codes, and building, then freeing,
// an index per file cost more than the searches (docs/decisions.md, D12).
constexpr size_t kScanLimit = 32;

// Large columns are backed by transparent huge pages where the system allows it: a batch of
// millions of events otherwise costs tens of thousands of page faults, which dominate ingestion on
// virtual machines (docs/decisions.md, D12).
template <typename T>
void AdviseHugePages(const std::vector<T>& column) {
  base::AdviseHugePages(const_cast<T*>(column.data()), column.capacity() * sizeof(T));
}

// The index of the entry `matches` accepts in `entries`, appending `make()` when there is none.
// Small dictionaries are searched linearly; from kScanLimit entries on (or after ReleaseIndex())
// `index`, keyed by `key_of(entry)`, is built from the entries and used instead (`key` is the
// sought entry's key, made only then).
template <typename Entry, typename Matches, typename KeyOf, typename Key, typename Make>
uint32_t InternEntry(std::unordered_map<std::string, uint32_t>& index, std::vector<Entry>& entries,
                     Matches matches, KeyOf key_of, Key key, Make make) {
  if (index.empty()) {
    if (entries.size() < kScanLimit) {
      for (size_t i = 0; i < entries.size(); ++i) {
        if (matches(entries[i])) return static_cast<uint32_t>(i);
      }
      entries.push_back(make());
      return static_cast<uint32_t>(entries.size() - 1);
    }
    for (size_t i = 0; i < entries.size(); ++i) {
      index.emplace(key_of(entries[i]), static_cast<uint32_t>(i));
    }
  }
  auto [it, inserted] = index.try_emplace(key(), static_cast<uint32_t>(entries.size()));
  if (inserted) entries.push_back(make());
  return it->second;
}

}  // namespace

uint32_t EventColumns::Intern(std::unordered_map<std::string, uint32_t>& index,
                              std::vector<std::string>& values, std::string_view v) {
  return InternEntry(
      index, values, [v](const std::string& e) { return e == v; },
      [](const std::string& e) { return e; }, [v] { return std::string(v); },
      [v] { return std::string(v); });
}

uint32_t EventColumns::InternSubject(std::string_view id) {
  return Intern(subject_index_, subjects_, id);
}

uint32_t EventColumns::InternStay(std::string_view id) {
  return id.empty() ? kNone : Intern(stay_index_, stays_, id);
}

uint32_t EventColumns::InternSource(std::string_view source) {
  return source.empty() ? kNone : Intern(source_index_, sources_, source);
}

uint32_t EventColumns::AddNewSource(std::string_view source) {
  if (source.empty()) return kNone;
  const auto i = static_cast<uint32_t>(sources_.size());
  sources_.emplace_back(source);
  // An index built by an earlier InternSource must know it too.
  if (!source_index_.empty()) source_index_.emplace(sources_.back(), i);
  return i;
}

std::string EventColumns::CodeKey(std::string_view code, std::string_view unit) {
  std::string key;
  key.reserve(code.size() + unit.size() + 1);
  key.append(code).push_back('\x1f');
  key.append(unit);
  return key;
}

uint32_t EventColumns::InternCode(std::string_view code, std::string_view unit) {
  return InternEntry(
      code_index_, codes_, [&](const CodeUnit& c) { return c.code == code && c.unit == unit; },
      [](const CodeUnit& c) { return CodeKey(c.code, c.unit); },
      [&] { return CodeKey(code, unit); },
      [&] {
        return CodeUnit{std::string(code), std::string(unit), {}};
      });
}

void EventColumns::NameCode(uint32_t code, std::string_view display) {
  std::string& name = codes_[code].display;
  if (name.empty()) name = display;
}

void EventColumns::Push(uint32_t subject, base::Instant time, uint32_t code, double value,
                        bool has_value, uint32_t stay, uint32_t source) {
  subject_.push_back(subject);
  time_.push_back(base::ToMicros(time));
  code_.push_back(code);
  value_.push_back(value);
  has_value_.push_back(has_value ? 1 : 0);
  stay_.push_back(stay);
  source_.push_back(source);
}

void EventColumns::AddNumeric(uint32_t subject, base::Instant time, uint32_t code, double value,
                              uint32_t stay, uint32_t source) {
  Push(subject, time, code, value, true, stay, source);
}

void EventColumns::AddText(uint32_t subject, base::Instant time, uint32_t code,
                           std::string_view text, uint32_t stay, uint32_t source) {
  texts_.emplace_back(static_cast<uint32_t>(size()), std::string(text));
  Push(subject, time, code, 0, false, stay, source);
}

void EventColumns::AddPresence(uint32_t subject, base::Instant time, uint32_t code, uint32_t stay,
                               uint32_t source) {
  Push(subject, time, code, 0, false, stay, source);
}

void EventColumns::Add(const Event& e) {
  const uint32_t subject = InternSubject(e.subject_id);
  const uint32_t code = InternCode(e.code, e.unit);
  const uint32_t stay = InternStay(e.stay_id);
  const uint32_t source = InternSource(e.source);
  if (e.text_value) texts_.emplace_back(static_cast<uint32_t>(size()), *e.text_value);
  Push(subject, e.time, code, e.numeric_value.value_or(0), e.numeric_value.has_value(), stay,
       source);
}

void EventColumns::Reserve(size_t n) {
  if (n <= time_.capacity()) return;
  subject_.reserve(n);
  time_.reserve(n);
  code_.reserve(n);
  value_.reserve(n);
  has_value_.reserve(n);
  stay_.reserve(n);
  source_.reserve(n);
  AdviseHugePages(subject_);
  AdviseHugePages(time_);
  AdviseHugePages(code_);
  AdviseHugePages(value_);
  AdviseHugePages(has_value_);
  AdviseHugePages(stay_);
  AdviseHugePages(source_);
}

void EventColumns::ReleaseIndex() {
  for (auto* index : {&subject_index_, &stay_index_, &source_index_, &code_index_}) {
    std::unordered_map<std::string, uint32_t>().swap(*index);
  }
}

void EventColumns::Truncate(size_t n) {
  if (n >= size() && n != 0) return;
  subject_.resize(n);
  time_.resize(n);
  code_.resize(n);
  value_.resize(n);
  has_value_.resize(n);
  stay_.resize(n);
  source_.resize(n);
  texts_.erase(
      std::remove_if(texts_.begin(), texts_.end(), [n](const auto& t) { return t.first >= n; }),
      texts_.end());
}

Event EventColumns::Get(size_t i) const {
  Event e;
  e.subject_id = subjects_[subject_[i]];
  e.time = base::FromMicros(time_[i]);
  e.code = codes_[code_[i]].code;
  e.unit = codes_[code_[i]].unit;
  if (has_value_[i]) e.numeric_value = value_[i];
  for (const auto& [j, text] : texts_) {
    if (j == i) e.text_value = text;
  }
  if (stay_[i] != kNone) e.stay_id = stays_[stay_[i]];
  if (source_[i] != kNone) e.source = sources_[source_[i]];
  return e;
}

}  // namespace vigil::store
