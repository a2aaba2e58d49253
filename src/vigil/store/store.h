// The patient store: one DuckDB file holding subjects, stays, events, and the ingest accounting.
//
// Schema (docs/store.md): subjects, stays, reference_scores, codes, sources, event_data and
// event_text (integer keys; events with text in the second) and the MEDS-style view `events` over
// them, rejects, ingest_runs, ingest_files, ingest_skips, and vigil_meta with the schema version.
// Users may query the file with any DuckDB client; vigil is the only writer. The store assigns the
// integer keys (subject_key, stay_key, code_key, source_key).
//
// Thread safety: a Store is used from one thread at a time. DuckDB allows one writing process per
// file; a second `Open` for writing from another process fails with a clear error.
//
// Durability: WriteBatch is one DuckDB transaction. A batch holds whole input files only, so a file
// is either wholly in the store or not at all, even when the process is killed (docs/decisions.md).
#ifndef VIGIL_STORE_STORE_H_
#define VIGIL_STORE_STORE_H_

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/store/event_columns.h"
#include "vigil/store/records.h"
#include "vigil/store/scan.h"

namespace vigil::store {
namespace duck {
class Connection;
}  // namespace duck

// The schema version this vigil writes. Older stores are migrated on open for writing; newer ones
// are refused.
inline constexpr int kSchemaVersion = 6;

// Everything one transaction writes: the output of one or more whole input files.
//
// Contract: every subject and stay that an event names is either in `subjects` / `stays` of the
// same batch or already in the store (WriteBatch fails otherwise: a reader bug, not bad input).
struct Batch {
  std::vector<Subject> subjects;         // inserted, or replacing the row with the same subject_id
  std::vector<Stay> stays;               // inserted, or replacing the row with the same stay_id
  std::vector<StayUpdate> stay_updates;  // applied after `stays`; an unknown stay_id is ignored
  std::vector<ReferenceScore> reference_scores;
  EventColumns events;  // appended
  // More events, appended too. Each part keeps its own dictionaries, so a session can hand over
  // many small files' columns as the readers made them instead of copying them into `events`.
  std::vector<EventColumns> event_parts;
  std::vector<std::string> replace_sources;  // events with these `source` values are deleted first
  // Stored in the `sources` row of their source (one is added for a record without events). A
  // record whose version is stored already must be in replace_sources: its old row is deleted
  // with its events (else the store would hold two versions of it).
  std::vector<RecordVersion> record_versions;
  std::vector<Reject> rejects;
  std::vector<IngestedFile> files;
  std::vector<SkipCount> skips;
  Counts counts;  // added to the run's totals

  size_t event_count() const {
    size_t n = events.size();
    for (const EventColumns& p : event_parts) n += p.size();
    return n;
  }
  size_t size() const {
    return event_count() + subjects.size() + stays.size() + stay_updates.size() + rejects.size();
  }
  void Clear() { *this = Batch(); }
};

struct RunSummary {
  int64_t run_id = 0;
  std::string format;
  std::string started;   // ISO 8601
  std::string finished;  // empty while running
  std::string status;    // running, complete, failed, interrupted
  int64_t files_in = 0;  // files named by the run
  int64_t files_ingested = 0;
  int64_t files_unchanged = 0;  // already in the store: nothing read, nothing stored
  Counts counts;
  std::vector<SkipCount> skips;
};

struct CodeCount {
  std::string code;
  std::string unit;
  int64_t count = 0;
  std::string display;  // the name the data gave the code; empty when none (CodeDisplays)
};

struct ReasonCount {
  std::string reason;
  int64_t count = 0;
};

struct Stats {
  int64_t subjects = 0;
  int64_t stays = 0;
  int64_t events = 0;
  int64_t rejects = 0;
  std::vector<CodeCount> events_by_code;  // most frequent first
  std::vector<ReasonCount> rejects_by_reason;
  std::vector<RunSummary> runs;  // oldest first
};

struct Timeline {
  std::optional<Subject> subject;  // nullopt: no such subject
  std::vector<Stay> stays;         // by start time
  std::vector<ReferenceScore> reference_scores;
  std::vector<Event> events;  // by time, then code
};

class Store {
 public:
  enum class Mode { kReadOnly, kReadWrite };

  // Opens the store at `path`; kReadWrite creates it when missing and migrates an older schema. A
  // store written by a newer vigil is refused with FailedPrecondition. Runs left "running" by a
  // process that died are marked "interrupted" (a writer holds DuckDB's exclusive lock, so none can
  // still be running).
  static base::Result<std::unique_ptr<Store>> Open(const std::filesystem::path& path, Mode mode);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::filesystem::path& path() const { return path_; }
  int schema_version() const { return schema_version_; }

  // The reject file beside the store: <store>.rejects.ndjson.
  std::filesystem::path RejectFilePath() const;

  // ---- ingest accounting ----
  // Records a new run (committed at once, status "running") and returns its id.
  base::Result<int64_t> StartRun(std::string_view format, std::string_view arguments,
                                 int64_t files_in);
  // Sets the run's final status, its count of unchanged files and its finish time.
  base::Status FinishRun(int64_t run_id, std::string_view status, int64_t files_unchanged);
  // Writes `batch` in one transaction and adds its counts (records, and its files as ingested) to
  // run `run_id`, so that a run cut short counts what it committed. On error nothing is
  // written. Inside an open multi-batch transaction (BeginTransaction) the batch joins it instead,
  // and an error rolls the whole transaction back.
  base::Status WriteBatch(int64_t run_id, const Batch& batch);
  // A transaction spanning several WriteBatch calls, for one input file too large to hold in
  // memory: its parts are written as they are read and committed together, so the file is still
  // wholly in the store or not at all. Queries on this Store see the uncommitted rows.
  base::Status BeginTransaction();
  base::Status CommitTransaction();    // on error, the transaction is rolled back
  base::Status RollbackTransaction();  // a no-op when none is open
  bool in_transaction() const { return in_transaction_; }
  // Rewrites the reject file from the rejects table (atomically; JSON lines, one per reject).
  base::Status WriteRejectFile();

  // ---- lookups for readers ----
  // The files ingested so far, by IngestedFile::Key (content hash and reading).
  base::Result<std::unordered_set<std::string>> IngestedFileKeys();
  base::Result<std::unordered_set<std::string>> StayIds();
  // Stays whose disposition is known (an outcome was recorded for them).
  base::Result<std::unordered_set<std::string>> StayIdsWithDisposition();
  base::Result<std::unordered_set<std::string>> SubjectIds();
  // Calls `fn` for every stored record version (the `sources` rows that have one), streamed
  // (nothing is kept in memory).
  base::Status ForEachRecordVersion(const std::function<void(RecordVersion&)>& fn);
  // The stored versions of `sources` (those that have one; any order). One join query, so its
  // cost is one scan of `sources`, however many sources are asked for. Sees rows written in an
  // open multi-batch transaction.
  base::Result<std::vector<RecordVersion>> RecordVersionsOf(
      const std::vector<std::string>& sources);
  // The store's integer key for a subject (event_data.subject_key), or nullopt when unknown.
  base::Result<std::optional<int32_t>> SubjectKey(std::string_view subject_id);

  // ---- queries ----
  base::Result<Stats> GetStats();
  base::Result<RunSummary> GetRun(int64_t run_id);
  base::Result<Timeline> GetTimeline(std::string_view subject_id);
  // The names the data gave its codes (`codes.display`: a FHIR coding's display), by code; a code
  // without one is absent. terminology::CodeNames puts vigil's own short names first.
  base::Result<std::map<std::string, std::string, std::less<>>> CodeDisplays();
  base::Result<std::vector<Reject>> GetRejects(std::optional<int64_t> run_id);

  // Runs `sql` (read-only use: exports, checks in tests and evaluations) and returns rows as text
  // cells, NULL as empty; with `column_names`, the result's column names too. For tools; modules
  // use the typed calls above.
  base::Result<std::vector<std::vector<std::string>>> QueryText(
      std::string_view sql, std::vector<std::string>* column_names = nullptr);
  // Like QueryText for people (`vigil query`): exactly one statement, and every value as DuckDB
  // writes it as text (timestamps, dates, decimals, lists, structs, intervals), not only the types
  // the store's own readers use.
  base::Result<std::vector<std::vector<std::string>>> QueryAsText(
      std::string_view sql, std::vector<std::string>* column_names = nullptr);

  // ---- bulk reads for whole-store passes (scan.h; implemented in scan.cc) ----
  // Every (code, unit) with its key, by key.
  base::Result<std::vector<CodeEntry>> ListCodes();
  // Every subject with its key, by key.
  base::Result<std::vector<SubjectEntry>> ListSubjects();
  // Every stay with its keys, by subject_key, then start time (unknown last), then stay_id.
  base::Result<std::vector<StayEntry>> ListStays();
  // Both lists, read at the same time on connections of their own (outside a write transaction),
  // so it may run while another thread uses the store (e.g. ScanEvents).
  base::Result<SubjectsAndStays> ListSubjectsAndStays();
  // Calls `fn` once per EventBlock, in ascending key order (at least once, even for an empty
  // store). Stops at the first error `fn` returns and returns it. The block is the callee's to
  // keep (it may move from it).
  base::Status ScanEvents(const EventScanOptions& options,
                          const std::function<base::Status(EventBlock&)>& fn);

 private:
  struct Impl;
  Store(std::filesystem::path path, std::unique_ptr<Impl> impl);
  base::Status EnsureKeys();
  duck::Connection& connection();
  // Another connection to the same database (for reads on worker threads; it does not see the
  // main connection's open transaction).
  base::Result<duck::Connection> NewConnection();

  std::filesystem::path path_;
  std::unique_ptr<Impl> impl_;
  int schema_version_ = kSchemaVersion;
  bool in_transaction_ = false;
};

// A store being opened (Store::Open) on a thread of its own, so that a command can list and parse
// its input meanwhile: creating a new store's schema takes 50 ms on one core. Get() waits for it.
// Used from one thread (besides the opening thread it owns).
class OpeningStore {
 public:
  OpeningStore(std::filesystem::path path, Store::Mode mode);
  // A store that is already open (not owned).
  explicit OpeningStore(Store& open);
  ~OpeningStore();  // waits for the opening thread
  OpeningStore(const OpeningStore&) = delete;
  OpeningStore& operator=(const OpeningStore&) = delete;

  // Waits until the store is open: the store (owned by this object, or the one given), or why it
  // could not be opened.
  base::Result<Store*> Get();

 private:
  std::thread thread_;
  base::Result<std::unique_ptr<Store>> opened_ = base::InternalError("store not opened");
  Store* store_ = nullptr;
};

}  // namespace vigil::store

#endif  // VIGIL_STORE_STORE_H_
