// Bulk reads of the store, for feature extraction and other whole-store passes: the dictionaries
// (codes, subjects, stays, with their integer keys) and every event grouped by subject.
//
// Events come in EventBlocks: whole subjects, in ascending subject_key, each subject's events in
// time order. The store reads event_rows without ORDER BY (DuckDB's sort costs about 1 s per 2.5
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

#include "vigil/base/memory.h"
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

struct SubjectsAndStays {
  std::vector<SubjectEntry> subjects;
  std::vector<StayEntry> stays;
};

struct EventScanOptions {
  // Only events with these code keys; nullopt reads every code.
  std::optional<std::vector<int32_t>> code_keys;
  // Read text_value as well (it costs a string per event that has one).
  bool text_values = false;
  // Subjects are grouped into blocks of about this many events (a subject is never split).
  size_t max_block_events = 8'000'000;
  // Threads that read a block, each its own run of subjects on its own connection (0: one per
  // core, at most 8; one inside a write transaction, which other connections cannot see), and the
  // fewest events a thread is given (a smaller block is read by fewer threads).
  int threads = 0;
  size_t min_events_per_thread = 200'000;
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
  // Filled by the scan's reading threads, each writing its own subjects' slots first (so the
  // vectors are not zeroed beforehand: base::UninitVector).
  base::UninitVector<int64_t> time;  // microseconds since the Unix epoch, UTC
  base::UninitVector<int32_t> code_key;
  base::UninitVector<double> value;      // numeric_value; NaN when the event has none
  base::UninitVector<int32_t> stay_key;  // kNoStay when the event belongs to no stay
  // Text values (only when EventScanOptions::text_values): (event index, text), by event index.
  std::vector<std::pair<size_t, std::string>> texts;

  size_t size() const { return time.size(); }
  size_t num_subjects() const { return subject_keys.size(); }
};

}  // namespace vigil::store

#endif  // VIGIL_STORE_SCAN_H_
