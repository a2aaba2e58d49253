// Bulk reads of the store, for feature extraction and other whole-store passes: the dictionaries
// (codes, subjects, stays, with their integer keys) and every event grouped by subject.
//
// Events come in EventBlocks: whole subjects, in ascending subject_key, each subject's events in
// time order. The store reads event_data without ORDER BY (DuckDB's sort costs about 1 s per 2.5
// million rows here, its unordered scan 0.07 s) and sorts in memory: a counting sort by subject,
// then each subject's events by (time, code_key, numeric_value). Blocks hold about
// `max_block_events` events, so memory stays bounded on large stores (docs/decisions.md D12).
#ifndef VIGIL_STORE_SCAN_H_
#define VIGIL_STORE_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vigil/store/records.h"

namespace vigil::store {

// A row of `codes`: the (code, unit) pair an event's code_key names.
struct CodeEntry {
  int32_t code_key = 0;
  std::string code;  // VOCABULARY/CODE
  std::string unit;  // empty when none
};

struct SubjectEntry {
  int32_t subject_key = 0;
  Subject subject;
};

struct StayEntry {
  int32_t stay_key = 0;
  int32_t subject_key = 0;
  Stay stay;
};

struct EventScanOptions {
  // Only events with these code keys; nullopt reads every code.
  std::optional<std::vector<int32_t>> code_keys;
  // Read text_value as well (it costs a string per event that has one).
  bool text_values = false;
  // Subjects are grouped into blocks of about this many events (a subject is never split).
  size_t max_block_events = 8'000'000;
};

// The events of the subjects whose keys lie in [first_key, last_key], in columns of equal length.
// Subjects in that range without events have no entry. Blocks cover the key space without gaps:
// the first starts at INT32_MIN, the last ends at INT32_MAX, so a reader can also visit subjects
// that have no events at all.
struct EventBlock {
  static constexpr int32_t kNoStay = -1;

  int32_t first_key = 0;
  int32_t last_key = 0;
  std::vector<int32_t> subject_keys;  // ascending
  std::vector<size_t> offsets;        // subject i's events: [offsets[i], offsets[i + 1])
  std::vector<int64_t> time;          // microseconds since the Unix epoch, UTC
  std::vector<int32_t> code_key;
  std::vector<double> value;      // numeric_value; NaN when the event has none
  std::vector<int32_t> stay_key;  // kNoStay when the event belongs to no stay
  // Text values (only when EventScanOptions::text_values): (event index, text), by event index.
  std::vector<std::pair<size_t, std::string>> texts;

  size_t size() const { return time.size(); }
  size_t num_subjects() const { return subject_keys.size(); }
};

}  // namespace vigil::store

#endif  // VIGIL_STORE_SCAN_H_
