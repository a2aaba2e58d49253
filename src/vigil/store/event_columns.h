// EventColumns: events in columns, with batch-local dictionaries for the repeated strings.
//
// Readers intern each subject, stay, code (with its unit) and source once and add events by index,
// so a million events cost a million small integer writes, not five million string copies. The
// store maps the batch-local indices to the store's own keys once per batch.
//
//   EventColumns ev;
//   uint32_t hr = ev.InternCode("LOINC/8867-4", "/min");
//   uint32_t subject = ev.InternSubject("p100001");
//   ev.AddNumeric(subject, t, hr, 93.0, ev.InternStay("p100001"), ev.InternSource("p100001.psv"));
//
// Not thread-safe; one reader fills one object.
#ifndef VIGIL_STORE_EVENT_COLUMNS_H_
#define VIGIL_STORE_EVENT_COLUMNS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vigil/base/time.h"
#include "vigil/store/records.h"

namespace vigil::store {

class EventColumns {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;  // "no stay" / "no source"

  uint32_t InternSubject(std::string_view subject_id);
  uint32_t InternStay(std::string_view stay_id);  // kNone for an empty id
  uint32_t InternCode(std::string_view code, std::string_view unit);
  uint32_t InternSource(std::string_view source);  // kNone for an empty source
  // Gives an interned code the name its source gave it (a FHIR coding's display), unless it has one
  // already: the store keeps the first name it is given for a code.
  void NameCode(uint32_t code, std::string_view display);
  // A source the caller knows is not in the dictionary yet (FHIR: one per resource, a part never
  // holding a resource twice): appended without a lookup. kNone for an empty source.
  uint32_t AddNewSource(std::string_view source);

  void AddNumeric(uint32_t subject, base::Instant time, uint32_t code, double value, uint32_t stay,
                  uint32_t source);
  void AddText(uint32_t subject, base::Instant time, uint32_t code, std::string_view text,
               uint32_t stay, uint32_t source);
  // An occurrence with neither value (a diagnosis, a death).
  void AddPresence(uint32_t subject, base::Instant time, uint32_t code, uint32_t stay,
                   uint32_t source);
  // Convenience for readers with few events: interns the event's strings.
  void Add(const Event& e);

  // The key of a (code, unit) pair in the code dictionaries: code, U+001F, unit (the store keys its
  // code map the same way).
  static std::string CodeKey(std::string_view code, std::string_view unit);

  // Frees the hash indexes of the dictionaries (the dictionaries stay; small ones have no index,
  // being searched linearly). An Intern* call after it rebuilds them. Readers call it when done, so
  // that the indexes are freed on the thread that made them and a batch held for writing carries
  // only its columns and dictionaries.
  void ReleaseIndex();

  // Makes room for `n` events in all (capacity only), so that adding them moves no memory.
  void Reserve(size_t n);
  // Makes room for `n` codes in the code dictionary (a reader that knows its codes saves the
  // dictionary's regrowth, per file).
  void ReserveCodes(size_t n) { codes_.reserve(n); }
  // Drops events from index `n` on (dictionaries are kept).
  void Truncate(size_t n);

  size_t size() const { return time_.size(); }
  bool empty() const { return time_.empty(); }
  Event Get(size_t i) const;  // materialised, for tests and small reads

  struct CodeUnit {
    std::string code;
    std::string unit;
    std::string display;  // empty: the source gave no name (NameCode)
  };
  // Dictionaries and columns, for the store's writer.
  const std::vector<std::string>& subjects() const { return subjects_; }
  const std::vector<std::string>& stays() const { return stays_; }
  const std::vector<CodeUnit>& codes() const { return codes_; }
  const std::vector<std::string>& sources() const { return sources_; }
  const std::vector<uint32_t>& subject_column() const { return subject_; }
  const std::vector<int64_t>& time_column() const { return time_; }
  const std::vector<uint32_t>& code_column() const { return code_; }
  const std::vector<double>& value_column() const { return value_; }
  const std::vector<uint8_t>& has_value_column() const { return has_value_; }
  const std::vector<uint32_t>& stay_column() const { return stay_; }
  const std::vector<uint32_t>& source_column() const { return source_; }
  // Text values, by event index; only events with text appear.
  const std::vector<std::pair<uint32_t, std::string>>& texts() const { return texts_; }

 private:
  static uint32_t Intern(std::unordered_map<std::string, uint32_t>& index,
                         std::vector<std::string>& values, std::string_view v);
  void Push(uint32_t subject, base::Instant time, uint32_t code, double value, bool has_value,
            uint32_t stay, uint32_t source);

  std::vector<std::string> subjects_, stays_, sources_;
  std::vector<CodeUnit> codes_;
  std::unordered_map<std::string, uint32_t> subject_index_, stay_index_, source_index_, code_index_;

  std::vector<uint32_t> subject_;
  std::vector<int64_t> time_;
  std::vector<uint32_t> code_;
  std::vector<double> value_;
  std::vector<uint8_t> has_value_;
  std::vector<uint32_t> stay_;
  std::vector<uint32_t> source_;
  std::vector<std::pair<uint32_t, std::string>> texts_;
};

}  // namespace vigil::store

#endif  // VIGIL_STORE_EVENT_COLUMNS_H_
