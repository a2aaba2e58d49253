#include "vigil/store/event_scan.h"

#include <algorithm>
#include <atomic>
#include <cstring>

namespace vigil::store {
namespace {

constexpr size_t kChunk = 2048;  // DuckDB's standard vector size

struct ScanState {
  std::atomic<size_t> next{0};
};

void Bind(duckdb_bind_info info) {
  static const char* const kNames[] = {"subject_key",   "time",     "code_key",
                                       "numeric_value", "stay_key", "source_key"};
  static const duckdb_type kTypes[] = {DUCKDB_TYPE_INTEGER, DUCKDB_TYPE_TIMESTAMP,
                                       DUCKDB_TYPE_INTEGER, DUCKDB_TYPE_DOUBLE,
                                       DUCKDB_TYPE_INTEGER, DUCKDB_TYPE_INTEGER};
  for (size_t i = 0; i < std::size(kNames); ++i) {
    duckdb_logical_type t = duckdb_create_logical_type(kTypes[i]);
    duckdb_bind_add_result_column(info, kNames[i], t);
    duckdb_destroy_logical_type(&t);
  }
}

void Init(duckdb_init_info info) {
  duckdb_init_set_init_data(info, new ScanState,
                            [](void* p) { delete static_cast<ScanState*>(p); });
  duckdb_init_set_max_threads(info, 64);
}

// Maps local dictionary indices [start, start + n) to store keys at rows [row, row + n) of `out`;
// kNone becomes NULL.
void MapKeys(const std::vector<uint32_t>& local, const std::vector<int32_t>& keys, size_t start,
             size_t n, duckdb_vector out, size_t row, bool nullable) {
  auto* data = static_cast<int32_t*>(duckdb_vector_get_data(out)) + row;
  uint64_t* validity = nullptr;
  for (size_t r = 0; r < n; ++r) {
    const uint32_t v = local[start + r];
    if (nullable && v == EventColumns::kNone) {
      if (validity == nullptr) {
        duckdb_vector_ensure_validity_writable(out);
        validity = duckdb_vector_get_validity(out);
      }
      duckdb_validity_set_row_invalid(validity, row + r);
    } else {
      data[r] = keys[v];
    }
  }
}

// Copies rows [start, start + n) of one part, which hold no text, to rows [row, row + n) of `out`.
void CopyRows(const EventScanPart& part, size_t start, size_t n, duckdb_data_chunk out,
              size_t row) {
  const EventColumns& ev = *part.events;
  const EventKeys& keys = *part.keys;
  MapKeys(ev.subject_column(), keys.subject, start, n, duckdb_data_chunk_get_vector(out, 0), row,
          false);
  std::memcpy(
      static_cast<int64_t*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(out, 1))) + row,
      &ev.time_column()[start], n * sizeof(int64_t));
  MapKeys(ev.code_column(), keys.code, start, n, duckdb_data_chunk_get_vector(out, 2), row, false);

  duckdb_vector values = duckdb_data_chunk_get_vector(out, 3);
  std::memcpy(static_cast<double*>(duckdb_vector_get_data(values)) + row, &ev.value_column()[start],
              n * sizeof(double));
  uint64_t* value_validity = duckdb_vector_get_validity(values);
  for (size_t r = 0; r < n; ++r) {
    if (!ev.has_value_column()[start + r]) {
      duckdb_validity_set_row_invalid(value_validity, row + r);
    }
  }

  MapKeys(ev.stay_column(), keys.stay, start, n, duckdb_data_chunk_get_vector(out, 4), row, true);
  MapKeys(ev.source_column(), keys.source, start, n, duckdb_data_chunk_get_vector(out, 5), row,
          true);
}

// Copies the rows of [start, start + n) of one part that hold no text to `out` from row `row` on
// (event_text takes the others), in blocks between the text rows (one block when there are none);
// returns how many it copied.
size_t CopyRowsWithoutText(const EventScanPart& part, size_t start, size_t n, duckdb_data_chunk out,
                           size_t row) {
  const auto& texts = part.events->texts();
  auto it = std::lower_bound(texts.begin(), texts.end(), start,
                             [](const auto& t, size_t i) { return t.first < i; });
  size_t copied = 0;
  size_t from = start;
  const size_t end = start + n;
  // Runs of text-free rows between the text rows, each copied as a block.
  while (from < end) {
    const size_t next_text = it != texts.end() && it->first < end ? it->first : end;
    if (next_text > from) {
      CopyRows(part, from, next_text - from, out, row + copied);
      copied += next_text - from;
    }
    if (next_text == end) break;
    from = next_text + 1;
    ++it;
  }
  return copied;
}

// Fills one chunk with up to kChunk rows, which may span several parts (a PhysioNet 2019 file has
// about 250 events: DuckDB still gets full vectors). Rows with text are left out; a chunk that
// would hold only those is skipped, since an empty chunk ends the scan.
void Scan(duckdb_function_info info, duckdb_data_chunk out) {
  auto* state = static_cast<ScanState*>(duckdb_function_get_init_data(info));
  const auto* src = static_cast<const EventScanSource*>(duckdb_function_get_extra_info(info));
  duckdb_vector_ensure_validity_writable(duckdb_data_chunk_get_vector(out, 3));
  size_t produced = 0;
  while (produced == 0) {
    const size_t start = state->next.fetch_add(kChunk);
    const size_t n = start >= src->rows ? 0 : std::min(kChunk, src->rows - start);
    if (n == 0) break;
    // The last part that begins at or before `start`.
    auto part = std::upper_bound(src->parts.begin(), src->parts.end(), start,
                                 [](size_t i, const EventScanPart& p) { return i < p.begin; }) -
                1;
    for (size_t row = 0; row < n; ++part) {
      const size_t offset = start + row - part->begin;
      const size_t take = std::min(n - row, part->events->size() - offset);
      produced += CopyRowsWithoutText(*part, offset, take, out, produced);
      row += take;
    }
  }
  duckdb_data_chunk_set_size(out, produced);
}

}  // namespace

base::Status RegisterEventScan(duck::Connection& conn, EventScanSource* source) {
  duckdb_table_function f = duckdb_create_table_function();
  duckdb_table_function_set_name(f, "vigil_event_batch");
  duckdb_table_function_set_extra_info(f, source, nullptr);
  duckdb_table_function_set_bind(f, Bind);
  duckdb_table_function_set_init(f, Init);
  duckdb_table_function_set_function(f, Scan);
  duckdb_state state = duckdb_register_table_function(conn.raw(), f);
  duckdb_destroy_table_function(&f);
  if (state != DuckDBSuccess) return base::InternalError("cannot register vigil_event_batch()");
  return base::Status::Ok();
}

}  // namespace vigil::store
