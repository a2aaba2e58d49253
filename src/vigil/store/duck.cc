#include "vigil/store/duck.h"

#include <fmt/format.h>

#include <cstring>

namespace vigil::store::duck {
namespace {

base::Status DuckError(std::string_view what, const char* detail) {
  return base::IoError(fmt::format("{}: {}", what, detail ? detail : "unknown DuckDB error"));
}

}  // namespace

std::optional<int64_t> AsInt(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto* b = std::get_if<bool>(&v)) return *b ? 1 : 0;
  return std::nullopt;
}

std::optional<double> AsDouble(const Value& v) {
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return std::nullopt;
}

std::string AsString(const Value& v) {
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  if (auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return "";
}

// ---- QueryResult ----

QueryResult::QueryResult(duckdb_result result) : result_(result) {}

QueryResult::~QueryResult() {
  if (valid_) duckdb_destroy_result(&result_);
}

QueryResult::QueryResult(QueryResult&& other) noexcept : result_(other.result_) {
  other.valid_ = false;
}

size_t QueryResult::column_count() { return duckdb_column_count(&result_); }

duckdb_type QueryResult::column_type(size_t col) { return duckdb_column_type(&result_, col); }

std::string QueryResult::column_name(size_t col) {
  const char* name = duckdb_column_name(&result_, col);
  return name == nullptr ? std::string() : std::string(name);
}

std::optional<Chunk> QueryResult::Next() {
  duckdb_data_chunk c = duckdb_fetch_chunk(result_);
  if (c == nullptr) return std::nullopt;
  return Chunk(c);
}

std::vector<std::vector<Value>> QueryResult::Rows() {
  std::vector<std::vector<Value>> rows;
  const size_t cols = column_count();
  std::vector<duckdb_type> types(cols);
  for (size_t c = 0; c < cols; ++c) types[c] = column_type(c);
  while (auto chunk = Next()) {
    for (size_t r = 0; r < chunk->size(); ++r) {
      std::vector<Value> row(cols);
      for (size_t c = 0; c < cols; ++c) row[c] = chunk->GetValue(types[c], c, r);
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

// ---- Chunk ----

Chunk::Chunk(duckdb_data_chunk chunk) : chunk_(chunk) {}

Chunk::~Chunk() {
  if (chunk_ != nullptr) duckdb_destroy_data_chunk(&chunk_);
}

Chunk::Chunk(Chunk&& other) noexcept : chunk_(other.chunk_) { other.chunk_ = nullptr; }

size_t Chunk::size() const { return duckdb_data_chunk_get_size(chunk_); }

bool Chunk::IsNull(size_t col, size_t row) const {
  uint64_t* validity = duckdb_vector_get_validity(duckdb_data_chunk_get_vector(chunk_, col));
  return validity != nullptr && !duckdb_validity_row_is_valid(validity, row);
}

int64_t Chunk::GetInt64(size_t col, size_t row) const {
  return static_cast<const int64_t*>(
      duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk_, col)))[row];
}

int32_t Chunk::GetInt32(size_t col, size_t row) const {
  return static_cast<const int32_t*>(
      duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk_, col)))[row];
}

double Chunk::GetDouble(size_t col, size_t row) const {
  return static_cast<const double*>(
      duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk_, col)))[row];
}

bool Chunk::GetBool(size_t col, size_t row) const {
  return static_cast<const bool*>(
      duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk_, col)))[row];
}

std::string_view Chunk::GetString(size_t col, size_t row) const {
  auto* strings = static_cast<duckdb_string_t*>(
      duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk_, col)));
  duckdb_string_t* s = &strings[row];
  return {duckdb_string_t_data(s), duckdb_string_t_length(*s)};
}

Value Chunk::GetValue(duckdb_type type, size_t col, size_t row) const {
  if (IsNull(col, row)) return std::monostate{};
  switch (type) {
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_TIMESTAMP:
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return GetInt64(col, row);
    case DUCKDB_TYPE_UBIGINT:
      return static_cast<int64_t>(GetInt64(col, row));
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_DATE:
      return static_cast<int64_t>(GetInt32(col, row));
    case DUCKDB_TYPE_DOUBLE:
      return GetDouble(col, row);
    case DUCKDB_TYPE_BOOLEAN:
      return GetBool(col, row);
    case DUCKDB_TYPE_VARCHAR:
    case DUCKDB_TYPE_BLOB:
      return std::string(GetString(col, row));
    default:
      return std::string("<unsupported type>");
  }
}

// ---- PreparedStatement ----

PreparedStatement::~PreparedStatement() {
  if (stmt_ != nullptr) duckdb_destroy_prepare(&stmt_);
}

PreparedStatement::PreparedStatement(PreparedStatement&& other) noexcept : stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

base::Status PreparedStatement::BindString(size_t index, std::string_view value) {
  if (duckdb_bind_varchar_length(stmt_, index, value.data(), value.size()) != DuckDBSuccess) {
    return DuckError("cannot bind parameter", duckdb_prepare_error(stmt_));
  }
  return base::Status::Ok();
}

base::Status PreparedStatement::BindInt64(size_t index, int64_t value) {
  if (duckdb_bind_int64(stmt_, index, value) != DuckDBSuccess) {
    return DuckError("cannot bind parameter", duckdb_prepare_error(stmt_));
  }
  return base::Status::Ok();
}

base::Status PreparedStatement::BindDouble(size_t index, double value) {
  if (duckdb_bind_double(stmt_, index, value) != DuckDBSuccess) {
    return DuckError("cannot bind parameter", duckdb_prepare_error(stmt_));
  }
  return base::Status::Ok();
}

base::Status PreparedStatement::BindTimestamp(size_t index, int64_t micros) {
  if (duckdb_bind_timestamp(stmt_, index, duckdb_timestamp{micros}) != DuckDBSuccess) {
    return DuckError("cannot bind parameter", duckdb_prepare_error(stmt_));
  }
  return base::Status::Ok();
}

base::Status PreparedStatement::BindNull(size_t index) {
  if (duckdb_bind_null(stmt_, index) != DuckDBSuccess) {
    return DuckError("cannot bind parameter", duckdb_prepare_error(stmt_));
  }
  return base::Status::Ok();
}

base::Result<QueryResult> PreparedStatement::Execute() {
  duckdb_result result;
  if (duckdb_execute_prepared(stmt_, &result) != DuckDBSuccess) {
    base::Status s = DuckError("statement failed", duckdb_result_error(&result));
    duckdb_destroy_result(&result);
    return s;
  }
  return QueryResult(result);
}

base::Result<QueryResult> PreparedStatement::ExecuteStreaming() {
  duckdb_result result;
  if (duckdb_execute_prepared_streaming(stmt_, &result) != DuckDBSuccess) {
    base::Status s = DuckError("statement failed", duckdb_result_error(&result));
    duckdb_destroy_result(&result);
    return s;
  }
  return QueryResult(result);
}

// ---- AppendChunk ----

AppendChunk::AppendChunk(const std::vector<duckdb_type>& types) {
  std::vector<duckdb_logical_type> logical(types.size());
  for (size_t i = 0; i < types.size(); ++i) logical[i] = duckdb_create_logical_type(types[i]);
  chunk_ = duckdb_create_data_chunk(logical.data(), logical.size());
  for (auto& t : logical) duckdb_destroy_logical_type(&t);
  for (size_t i = 0; i < types.size(); ++i) {
    duckdb_vector v = duckdb_data_chunk_get_vector(chunk_, i);
    duckdb_vector_ensure_validity_writable(v);
    vectors_.push_back(v);
  }
}

AppendChunk::~AppendChunk() { duckdb_destroy_data_chunk(&chunk_); }

void AppendChunk::SetString(size_t col, size_t row, std::string_view v) {
  duckdb_vector_assign_string_element_len(vectors_[col], row, v.data(), v.size());
}

void AppendChunk::SetInt64(size_t col, size_t row, int64_t v) {
  static_cast<int64_t*>(duckdb_vector_get_data(vectors_[col]))[row] = v;
}

void AppendChunk::SetInt32(size_t col, size_t row, int32_t v) {
  static_cast<int32_t*>(duckdb_vector_get_data(vectors_[col]))[row] = v;
}

void AppendChunk::SetDouble(size_t col, size_t row, double v) {
  static_cast<double*>(duckdb_vector_get_data(vectors_[col]))[row] = v;
}

void AppendChunk::SetBool(size_t col, size_t row, bool v) {
  static_cast<bool*>(duckdb_vector_get_data(vectors_[col]))[row] = v;
}

void AppendChunk::SetNull(size_t col, size_t row) {
  duckdb_validity_set_row_invalid(duckdb_vector_get_validity(vectors_[col]), row);
}

duckdb_data_chunk AppendChunk::Finish() {
  duckdb_data_chunk_set_size(chunk_, size_);
  return chunk_;
}

void AppendChunk::Reset() {
  duckdb_data_chunk_reset(chunk_);
  // After a reset DuckDB may drop the writable validity masks; make them writable and all-valid
  // again.
  for (size_t i = 0; i < vectors_.size(); ++i) {
    vectors_[i] = duckdb_data_chunk_get_vector(chunk_, i);
    duckdb_vector_ensure_validity_writable(vectors_[i]);
    uint64_t* validity = duckdb_vector_get_validity(vectors_[i]);
    std::memset(validity, 0xff, kCapacity / 8);
  }
  size_ = 0;
}

// ---- Appender ----

Appender::~Appender() {
  if (appender_ != nullptr) duckdb_appender_destroy(&appender_);
}

Appender::Appender(Appender&& other) noexcept : appender_(other.appender_) {
  other.appender_ = nullptr;
}

base::Status Appender::Append(AppendChunk& chunk) {
  if (chunk.size() == 0) return base::Status::Ok();
  duckdb_state state = duckdb_append_data_chunk(appender_, chunk.Finish());
  chunk.Reset();
  if (state != DuckDBSuccess) return DuckError("append failed", duckdb_appender_error(appender_));
  return base::Status::Ok();
}

base::Status Appender::Flush() {
  if (duckdb_appender_flush(appender_) != DuckDBSuccess) {
    return DuckError("append failed", duckdb_appender_error(appender_));
  }
  return base::Status::Ok();
}

// ---- Connection ----

Connection::~Connection() {
  if (conn_ != nullptr) duckdb_disconnect(&conn_);
}

Connection::Connection(Connection&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }

base::Result<size_t> Connection::CountStatements(std::string_view sql) {
  duckdb_extracted_statements extracted = nullptr;
  const idx_t count = duckdb_extract_statements(conn_, std::string(sql).c_str(), &extracted);
  std::string error;
  if (count == 0 && extracted != nullptr) {
    const char* message = duckdb_extract_statements_error(extracted);
    if (message != nullptr) error = message;
  }
  duckdb_destroy_extracted(&extracted);
  if (!error.empty()) return base::InvalidArgumentError(error);
  return static_cast<size_t>(count);
}

base::Status Connection::Exec(std::string_view sql) {
  VIGIL_ASSIGN_OR_RETURN(QueryResult r, Query(sql));
  (void)r;
  return base::Status::Ok();
}

base::Result<QueryResult> Connection::Query(std::string_view sql) {
  duckdb_result result;
  std::string text(sql);
  if (duckdb_query(conn_, text.c_str(), &result) != DuckDBSuccess) {
    base::Status s = DuckError("query failed", duckdb_result_error(&result));
    duckdb_destroy_result(&result);
    return s;
  }
  return QueryResult(result);
}

base::Result<PreparedStatement> Connection::Prepare(std::string_view sql) {
  duckdb_prepared_statement stmt;
  std::string text(sql);
  if (duckdb_prepare(conn_, text.c_str(), &stmt) != DuckDBSuccess) {
    base::Status s = DuckError("cannot prepare statement", duckdb_prepare_error(stmt));
    duckdb_destroy_prepare(&stmt);
    return s;
  }
  return PreparedStatement(stmt);
}

base::Result<Appender> Connection::CreateAppender(std::string_view table) {
  duckdb_appender appender;
  std::string name(table);
  if (duckdb_appender_create(conn_, nullptr, name.c_str(), &appender) != DuckDBSuccess) {
    base::Status s = DuckError("cannot create appender", duckdb_appender_error(appender));
    duckdb_appender_destroy(&appender);
    return s;
  }
  return Appender(appender);
}

base::Result<Appender> Connection::CreateQueryAppender(std::string_view sql,
                                                       const std::vector<duckdb_type>& types,
                                                       const std::vector<std::string>& names) {
  std::vector<duckdb_logical_type> logical(types.size());
  for (size_t i = 0; i < types.size(); ++i) logical[i] = duckdb_create_logical_type(types[i]);
  std::vector<const char*> name_ptrs;
  for (const auto& n : names) name_ptrs.push_back(n.c_str());
  std::string text(sql);
  duckdb_appender appender;
  duckdb_state state =
      duckdb_appender_create_query(conn_, text.c_str(), logical.size(), logical.data(),
                                   "appended_data", name_ptrs.data(), &appender);
  for (auto& t : logical) duckdb_destroy_logical_type(&t);
  if (state != DuckDBSuccess) {
    base::Status s = DuckError("cannot create appender", duckdb_appender_error(appender));
    duckdb_appender_destroy(&appender);
    return s;
  }
  return Appender(appender);
}

// ---- Database ----

base::Result<std::unique_ptr<Database>> Database::Open(const std::string& path, bool read_only) {
  duckdb_config config;
  if (duckdb_create_config(&config) != DuckDBSuccess) return base::InternalError("duckdb config");
  if (read_only) duckdb_set_config(config, "access_mode", "READ_ONLY");
  duckdb_database db;
  char* error = nullptr;
  duckdb_state state = duckdb_open_ext(path.c_str(), &db, config, &error);
  duckdb_destroy_config(&config);
  if (state != DuckDBSuccess) {
    const std::string why = error ? error : "unknown error";
    duckdb_free(error);
    // DuckDB lets one process write a database file (or several read it): say so plainly.
    if (why.find("Could not set lock") != std::string::npos) {
      const size_t pid = why.find("(PID ");
      const std::string holder =
          pid == std::string::npos ? "" : " " + why.substr(pid, why.find(')', pid) - pid + 1);
      return base::FailedPreconditionError(fmt::format(
          "the store {} is in use by another process{}: wait for it to finish (one process at a "
          "time may write a store; readers such as vigil query, stats and evaluate may share it "
          "with each other, not with a writer)",
          path, holder));
    }
    return base::IoError(fmt::format("cannot open store {}: {}", path, why));
  }
  return std::unique_ptr<Database>(new Database(db));
}

Database::~Database() { duckdb_close(&db_); }

base::Result<Connection> Database::Connect() {
  duckdb_connection conn;
  if (duckdb_connect(db_, &conn) != DuckDBSuccess)
    return base::IoError("cannot connect to the store");
  return Connection(conn);
}

std::string SqlLiteral(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

}  // namespace vigil::store::duck
