// A DuckDB table function, vigil_event_batch(), that streams an EventColumns batch into DuckDB so
// that `INSERT INTO event_data SELECT * FROM vigil_event_batch()` runs on DuckDB's parallel insert
// pipeline (about 3x the C appender's speed; docs/decisions.md). Events with text are left out:
// they go to event_text. Internal to the store module.
#ifndef VIGIL_STORE_EVENT_SCAN_H_
#define VIGIL_STORE_EVENT_SCAN_H_

#include <cstdint>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/store/duck.h"
#include "vigil/store/event_columns.h"

namespace vigil::store {

// Store keys for one EventColumns' local dictionary indices.
struct EventKeys {
  std::vector<int32_t> subject, stay, code, source;
};

// One EventColumns of a batch with its keys; `begin` is its first row in the whole scan.
struct EventScanPart {
  const EventColumns* events = nullptr;
  const EventKeys* keys = nullptr;
  size_t begin = 0;
};

// What the table function reads: the batch's event columns, one after the other (only non-empty
// ones, in order of `begin`). Owned by the store; set only for the duration of one INSERT
// statement.
struct EventScanSource {
  std::vector<EventScanPart> parts;
  size_t rows = 0;  // in all parts
};

// Registers vigil_event_batch() on `conn`; it reads whatever `source` points at when a query runs.
// `source` must outlive the connection.
base::Status RegisterEventScan(duck::Connection& conn, EventScanSource* source);

}  // namespace vigil::store

#endif  // VIGIL_STORE_EVENT_SCAN_H_
