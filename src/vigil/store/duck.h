// RAII over DuckDB's C API, for use inside the store module only (the store is the one module that
// speaks SQL). Every handle is owned; every DuckDB error becomes a Status with DuckDB's message.
// DuckDB's messages may quote values from a failing statement, so callers add context and the CLI
// prints them only for store-level failures (schema, I/O), never for per-record work.
#ifndef VIGIL_STORE_DUCK_H_
#define VIGIL_STORE_DUCK_H_

#include <duckdb.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vigil/base/status.h"

namespace vigil::store::duck {

// A single cell of a small query result. Timestamps are microseconds since the Unix epoch;
// dates are days since the epoch, stored as int64.
using Value = std::variant<std::monostate, int64_t, double, std::string, bool>;

std::optional<int64_t> AsInt(const Value& v);
std::optional<double> AsDouble(const Value& v);
std::string AsString(const Value& v);  // empty for NULL

class Chunk;

// The result of one statement, read chunk by chunk.
class QueryResult {
 public:
  explicit QueryResult(duckdb_result result);
  ~QueryResult();
  QueryResult(QueryResult&& other) noexcept;
  QueryResult& operator=(QueryResult&&) = delete;
  QueryResult(const QueryResult&) = delete;

  size_t column_count();
  duckdb_type column_type(size_t col);
  std::string column_name(size_t col);
  // The next chunk, or nullopt when the result is exhausted.
  std::optional<Chunk> Next();
  // All remaining rows, converted to Values. For small results (stats, metadata).
  std::vector<std::vector<Value>> Rows();

 private:
  duckdb_result result_;
  bool valid_ = true;
};

// One chunk of a result (up to 2048 rows). Accessors take the column and row; column types are the
// caller's to know (the store writes the SQL and casts).
class Chunk {
 public:
  explicit Chunk(duckdb_data_chunk chunk);
  ~Chunk();
  Chunk(Chunk&& other) noexcept;
  Chunk& operator=(Chunk&&) = delete;
  Chunk(const Chunk&) = delete;

  size_t size() const;
  bool IsNull(size_t col, size_t row) const;
  int64_t GetInt64(size_t col, size_t row) const;  // BIGINT and TIMESTAMP
  int32_t GetInt32(size_t col, size_t row) const;  // INTEGER and DATE
  double GetDouble(size_t col, size_t row) const;
  bool GetBool(size_t col, size_t row) const;
  std::string_view GetString(size_t col,
                             size_t row) const;  // VARCHAR and BLOB; valid while the chunk is
  Value GetValue(duckdb_type type, size_t col, size_t row) const;
  // Raw column storage for hot loops (T must match the column type); valid while the chunk is.
  template <typename T>
  const T* Data(size_t col) const {
    return static_cast<const T*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk_, col)));
  }
  // The column's validity mask, or nullptr when every row is valid.
  const uint64_t* Validity(size_t col) const {
    return duckdb_vector_get_validity(duckdb_data_chunk_get_vector(chunk_, col));
  }

 private:
  duckdb_data_chunk chunk_;
};

class PreparedStatement {
 public:
  explicit PreparedStatement(duckdb_prepared_statement stmt) : stmt_(stmt) {}
  ~PreparedStatement();
  PreparedStatement(PreparedStatement&& other) noexcept;
  PreparedStatement& operator=(PreparedStatement&&) = delete;
  PreparedStatement(const PreparedStatement&) = delete;

  // Parameters are 1-based, as in DuckDB.
  base::Status BindString(size_t index, std::string_view value);
  base::Status BindInt64(size_t index, int64_t value);
  base::Status BindDouble(size_t index, double value);
  base::Status BindTimestamp(size_t index, int64_t micros);
  base::Status BindNull(size_t index);
  base::Result<QueryResult> Execute();
  // Executes with a streaming result: rows are produced as Next() asks for them, not materialised.
  base::Result<QueryResult> ExecuteStreaming();

 private:
  duckdb_prepared_statement stmt_;
};

// A column-typed chunk that the caller fills row by row and hands to an Appender.
class AppendChunk {
 public:
  // `types`: DUCKDB_TYPE_VARCHAR, _BIGINT, _DOUBLE, _TIMESTAMP, _INTEGER, _BOOLEAN, _DATE, _BLOB.
  explicit AppendChunk(const std::vector<duckdb_type>& types);
  ~AppendChunk();
  AppendChunk(const AppendChunk&) = delete;
  AppendChunk& operator=(const AppendChunk&) = delete;

  static constexpr size_t kCapacity = 2048;
  size_t size() const { return size_; }
  bool full() const { return size_ == kCapacity; }
  // Starts a new row; returns its index. Precondition: !full().
  size_t AddRow() { return size_++; }
  void SetString(size_t col, size_t row, std::string_view v);
  void SetInt64(size_t col, size_t row, int64_t v);
  void SetInt32(size_t col, size_t row, int32_t v);
  void SetDouble(size_t col, size_t row, double v);
  void SetBool(size_t col, size_t row, bool v);
  void SetNull(size_t col, size_t row);
  // Raw column storage for hot loops: valid until the next Finish() / Reset(). T must match the
  // type.
  template <typename T>
  T* Data(size_t col) {
    return static_cast<T*>(duckdb_vector_get_data(vectors_[col]));
  }
  uint64_t* Validity(size_t col) { return duckdb_vector_get_validity(vectors_[col]); }
  // Sets the row count directly (for callers that filled columns through Data()).
  void SetSize(size_t n) { size_ = n; }
  // Publishes the row count to DuckDB and returns the chunk; Reset() makes it empty again.
  duckdb_data_chunk Finish();
  void Reset();

 private:
  std::vector<duckdb_vector> vectors_;
  duckdb_data_chunk chunk_;
  size_t size_ = 0;
};

class Appender {
 public:
  explicit Appender(duckdb_appender appender) : appender_(appender) {}
  ~Appender();
  Appender(Appender&& other) noexcept;
  Appender& operator=(Appender&&) = delete;
  Appender(const Appender&) = delete;

  // Appends the chunk's rows and resets it.
  base::Status Append(AppendChunk& chunk);
  base::Status Flush();

 private:
  duckdb_appender appender_;
};

class Connection {
 public:
  explicit Connection(duckdb_connection conn) : conn_(conn) {}
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&&) = delete;
  Connection(const Connection&) = delete;

  base::Status Exec(std::string_view sql);
  base::Result<QueryResult> Query(std::string_view sql);
  base::Result<PreparedStatement> Prepare(std::string_view sql);
  // How many statements `sql` holds (an error when it does not parse).
  base::Result<size_t> CountStatements(std::string_view sql);
  base::Result<Appender> CreateAppender(std::string_view table);
  // An appender whose rows feed `sql`, which reads them from the table `appended_data` with the
  // given column names (e.g. INSERT OR REPLACE INTO subjects SELECT * FROM appended_data).
  base::Result<Appender> CreateQueryAppender(std::string_view sql,
                                             const std::vector<duckdb_type>& types,
                                             const std::vector<std::string>& names);
  duckdb_connection raw() { return conn_; }

 private:
  duckdb_connection conn_;
};

class Database {
 public:
  // Opens (creating when read_only is false and the file is missing) a DuckDB database file.
  static base::Result<std::unique_ptr<Database>> Open(const std::string& path, bool read_only);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  base::Result<Connection> Connect();

 private:
  explicit Database(duckdb_database db) : db_(db) {}
  duckdb_database db_;
};

// Quotes a string as an SQL literal ('it''s'). For identifiers and constants the store writes
// itself; record data always travels through prepared statements or appenders.
std::string SqlLiteral(std::string_view s);

}  // namespace vigil::store::duck

#endif  // VIGIL_STORE_DUCK_H_
