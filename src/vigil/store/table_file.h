// Writes a table held in memory (text, timestamp and float columns) to a CSV or Parquet file,
// through DuckDB's COPY, so that every module exports tables the same way (feature matrices,
// predictions). The store module is the one that speaks SQL; this is its general export.
//
// CSV: a header line, comma-separated, timestamps as ISO 8601 in UTC (2000-01-01T01:00:00Z),
// missing values (NaN) as empty fields. Parquet: TIMESTAMP, VARCHAR and FLOAT columns, missing
// values as NULL. The file is written to a temporary name beside `path` and renamed, so a reader
// never sees half a file. Thread safety: each call is independent.
#ifndef VIGIL_STORE_TABLE_FILE_H_
#define VIGIL_STORE_TABLE_FILE_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "vigil/base/status.h"

namespace vigil::store {

enum class TableFileFormat { kCsv, kParquet };

// The format a path's extension names (.csv, .parquet), or InvalidArgument.
base::Result<TableFileFormat> TableFileFormatFor(const std::filesystem::path& path);

// One column; exactly one of `text`, `timestamps`, `floats` is set. The caller owns the data, which
// must outlive the call.
struct TableColumn {
  std::string name;
  const std::vector<std::string>* text = nullptr;    // one per row
  const std::vector<int64_t>* timestamps = nullptr;  // microseconds since the Unix epoch, UTC
  const float* floats = nullptr;                     // row r is floats[r * stride]
  size_t stride = 1;
};

// Writes `rows` rows of `columns` to `path` in `format`. Column names must be unique and non-empty
// (InvalidArgument otherwise). IoError when the file cannot be written.
base::Status WriteTableFile(const std::vector<TableColumn>& columns, size_t rows,
                            const std::filesystem::path& path, TableFileFormat format);

}  // namespace vigil::store

#endif  // VIGIL_STORE_TABLE_FILE_H_
