#include "vigil/store/table_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "vigil/base/file.h"
#include "vigil/store/csv_writer.h"
#include "vigil/store/duck.h"

namespace vigil::store {
namespace fs = std::filesystem;
namespace {

constexpr size_t kChunk = 2048;  // DuckDB's standard vector size

struct TableSource {
  const std::vector<TableColumn>* columns = nullptr;
  size_t rows = 0;
};

struct ScanState {
  size_t next = 0;
};

duckdb_type TypeOf(const TableColumn& c) {
  if (c.text != nullptr) return DUCKDB_TYPE_VARCHAR;
  if (c.timestamps != nullptr) return DUCKDB_TYPE_TIMESTAMP;
  return DUCKDB_TYPE_FLOAT;
}

void Bind(duckdb_bind_info info) {
  const auto* src = static_cast<const TableSource*>(duckdb_bind_get_extra_info(info));
  for (const TableColumn& c : *src->columns) {
    duckdb_logical_type t = duckdb_create_logical_type(TypeOf(c));
    duckdb_bind_add_result_column(info, c.name.c_str(), t);
    duckdb_destroy_logical_type(&t);
  }
  duckdb_bind_set_cardinality(info, src->rows, true);
}

void Init(duckdb_init_info info) {
  duckdb_init_set_init_data(info, new ScanState,
                            [](void* p) { delete static_cast<ScanState*>(p); });
  duckdb_init_set_max_threads(info, 1);  // one thread keeps the rows in order
}

void FillFloats(const TableColumn& c, size_t start, size_t n, duckdb_vector out) {
  auto* data = static_cast<float*>(duckdb_vector_get_data(out));
  uint64_t* validity = nullptr;
  for (size_t r = 0; r < n; ++r) {
    const float v = c.floats[(start + r) * c.stride];
    if (std::isnan(v)) {
      if (validity == nullptr) {
        duckdb_vector_ensure_validity_writable(out);
        validity = duckdb_vector_get_validity(out);
      }
      duckdb_validity_set_row_invalid(validity, r);
    } else {
      data[r] = v;
    }
  }
}

void Scan(duckdb_function_info info, duckdb_data_chunk out) {
  auto* state = static_cast<ScanState*>(duckdb_function_get_init_data(info));
  const auto* src = static_cast<const TableSource*>(duckdb_function_get_extra_info(info));
  const size_t start = state->next;
  const size_t n = std::min(kChunk, src->rows - std::min(start, src->rows));
  state->next += n;
  for (size_t col = 0; col < src->columns->size(); ++col) {
    const TableColumn& c = (*src->columns)[col];
    duckdb_vector v = duckdb_data_chunk_get_vector(out, col);
    if (c.text != nullptr) {
      for (size_t r = 0; r < n; ++r) {
        const std::string& s = (*c.text)[start + r];
        duckdb_vector_assign_string_element_len(v, r, s.data(), s.size());
      }
    } else if (c.timestamps != nullptr) {
      std::copy_n(c.timestamps->begin() + static_cast<ptrdiff_t>(start), n,
                  static_cast<int64_t*>(duckdb_vector_get_data(v)));
    } else {
      FillFloats(c, start, n, v);
    }
  }
  duckdb_data_chunk_set_size(out, n);
}

base::Status Register(duck::Connection& conn, TableSource* source) {
  duckdb_table_function f = duckdb_create_table_function();
  duckdb_table_function_set_name(f, "vigil_table");
  duckdb_table_function_set_extra_info(f, source, nullptr);
  duckdb_table_function_set_bind(f, Bind);
  duckdb_table_function_set_init(f, Init);
  duckdb_table_function_set_function(f, Scan);
  duckdb_state state = duckdb_register_table_function(conn.raw(), f);
  duckdb_destroy_table_function(&f);
  if (state != DuckDBSuccess) return base::InternalError("cannot register vigil_table()");
  return base::Status::Ok();
}

base::Status CheckColumns(const std::vector<TableColumn>& columns, size_t rows) {
  std::set<std::string> names;
  for (const TableColumn& c : columns) {
    if (c.name.empty()) return base::InvalidArgumentError("a table column has no name");
    if (!names.insert(c.name).second) {
      return base::InvalidArgumentError(fmt::format("column name {} appears twice", c.name));
    }
    const int set = (c.text != nullptr) + (c.timestamps != nullptr) + (c.floats != nullptr);
    if (set != 1) return base::InternalError("a table column must have exactly one kind of data");
    if ((c.text != nullptr && c.text->size() != rows) ||
        (c.timestamps != nullptr && c.timestamps->size() != rows)) {
      return base::InternalError("a table column's length differs from the row count");
    }
  }
  return base::Status::Ok();
}

}  // namespace

base::Result<TableFileFormat> TableFileFormatFor(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext == ".csv") return TableFileFormat::kCsv;
  if (ext == ".parquet") return TableFileFormat::kParquet;
  return base::InvalidArgumentError(fmt::format(
      "cannot tell the format of {} from its extension: use .csv or .parquet", path.string()));
}

base::Status WriteTableFile(const std::vector<TableColumn>& columns, size_t rows,
                            const fs::path& path, TableFileFormat format) {
  VIGIL_RETURN_IF_ERROR(CheckColumns(columns, rows));
  VIGIL_RETURN_IF_ERROR(base::CheckOutputFile(path));
  fs::path tmp = path;
  tmp += ".tmp";
  base::Status s;
  if (format == TableFileFormat::kCsv) {
    s = WriteCsvFile(columns, rows, tmp);
  } else {
    VIGIL_ASSIGN_OR_RETURN(auto db, duck::Database::Open(":memory:", /*read_only=*/false));
    VIGIL_ASSIGN_OR_RETURN(auto conn, db->Connect());
    TableSource source{&columns, rows};
    VIGIL_RETURN_IF_ERROR(Register(conn, &source));
    s = conn.Exec(
        fmt::format("COPY (SELECT * FROM vigil_table()) TO {} (FORMAT parquet, COMPRESSION zstd)",
                    duck::SqlLiteral(tmp.string())));
  }
  if (!s.ok()) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return s.WithContext(fmt::format("writing {}", path.string()));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code removed;
    fs::remove(tmp, removed);  // it holds the rows
    return base::IoError(
        fmt::format("cannot rename {} to {}: {}", tmp.string(), path.string(), ec.message()));
  }
  return base::Status::Ok();
}

}  // namespace vigil::store
