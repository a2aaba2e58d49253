// The CSV half of WriteTableFile (table_file.h): formatted by vigil, in parallel, rather than by
// DuckDB's COPY, whose single-threaded writer took about 20 s for a 380,000 x 155 feature table
// (docs/decisions.md D12). Internal to the store module.
#ifndef VIGIL_STORE_CSV_WRITER_H_
#define VIGIL_STORE_CSV_WRITER_H_

#include <filesystem>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/store/table_file.h"

namespace vigil::store {

// RFC 4180: a header line, fields quoted when they hold a comma, quote or line break; floats in
// their shortest exact form (70, 36.6), NaN as an empty field; timestamps as base::FormatIso8601.
// Writes `tmp` (the caller renames it).
base::Status WriteCsvFile(const std::vector<TableColumn>& columns, size_t rows,
                          const std::filesystem::path& tmp);

}  // namespace vigil::store

#endif  // VIGIL_STORE_CSV_WRITER_H_
