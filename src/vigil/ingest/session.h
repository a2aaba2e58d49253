// IngestSession: the accounting and transaction grouping shared by every reader.
//
// A reader turns one input file into a FileOutput: the rows to store, the records it rejected (with
// location, reason and raw bytes), what it skipped, and the counts, which must balance:
// records_in = stored + rejected + skipped. The session
//   - refuses an unbalanced FileOutput (a reader bug) with an Internal error;
//   - skips files whose content (SHA-256) is already in the store or earlier in the run: nothing is
//   read
//     into the store twice, and the run counts them as unchanged;
//   - commits whole files only, grouping several per transaction when they are small (one
//   transaction
//     per file would cost ~3 ms each: 30 s for the 10,000 PhysioNet 2019 files; docs/decisions.md);
//   - keeps the run's totals in ingest_runs in the same transactions, so they are right even after
//   a
//     crash, and rewrites the reject file beside the store at the end.
//
// IngestFiles() is the driver for formats whose files are independent (PhysioNet): it lists and
// reads files on a worker thread, parses them there, and hands results to the session in path
// order.
#ifndef VIGIL_INGEST_SESSION_H_
#define VIGIL_INGEST_SESSION_H_

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/store/store.h"

namespace vigil::ingest {

// What a reader produced from one input file. `batch.files` is the session's to fill.
struct FileOutput {
  std::filesystem::path path;
  std::string sha256;
  std::string reading;  // how the file is read (store::IngestedFile::reading)
  std::string content;  // the file's bytes, kept so a whole file can be rejected after parsing
  store::Batch batch;   // rows, rejects, skips and this file's counts
};

// Adds `count` records skipped for `reason` to `out` (merging equal reasons) and to its counts.
void AddSkip(store::Batch& out, std::string_view reason, int64_t count = 1);
// The reject reason for a file that could not be read ("cannot read the file (Permission
// denied)"), from the read's error.
std::string UnreadableReason(const base::Status& read_error);
// Adds a reject to `out` and counts it.
void AddReject(store::Batch& out, const std::filesystem::path& file, std::string location,
               std::string_view reason, std::string_view raw);

// Progress of a run, for a terminal display.
struct Progress {
  int64_t files_done = 0;
  int64_t files_total = 0;
  int64_t bytes_done = 0;
  store::Counts counts;
};
using ProgressFn = std::function<void(const Progress&)>;

struct SessionOptions {
  // A transaction is committed once this many events are pending (and at the end). One large
  // transaction is much cheaper in DuckDB than several small ones (docs/decisions.md, D5).
  size_t commit_events = 4'000'000;
  // When a file brings a stay_id that is already stored or came from an earlier file of the run:
  // the file is rejected whole (PhysioNet: one stay per file) unless `replace_stays`.
  bool replace_stays = false;
  // Rejects every record of a file with `reason` (replacing what the reader produced). Needed when
  // replace_stays is false.
  std::function<void(FileOutput& file, std::string_view reason)> reject_whole_file;
  ProgressFn progress;
  // Writes go to the store on a thread of their own while the caller reads on (FHIR, whose reader
  // is one thread): Flush hands the pending group over and returns (waiting only when several
  // groups are already waiting to be written). When a file ends and at least
  // `background_flush_records` records are pending, they are flushed, so that they are written
  // while the next file is read. Every other use of the store waits for the write first (Sync);
  // so must the caller's own store calls.
  bool background_writes = false;
  int64_t background_flush_records = 10'000;
};

class IngestSession {
 public:
  // Records a new run in `store` (format e.g. "physionet2019", arguments as typed, files named).
  static base::Result<std::unique_ptr<IngestSession>> Start(store::Store& store, std::string format,
                                                            std::string arguments, int64_t files_in,
                                                            SessionOptions options);
  ~IngestSession();

  int64_t run_id() const { return run_id_; }
  // True when a stay with this id is in the store or came with a file added earlier in this run.
  bool KnownStay(const std::string& stay_id) const { return stays_.count(stay_id) > 0; }
  // True when a file with this content, read this way, is in the store or was added earlier in
  // this run.
  bool AlreadyIngested(std::string_view sha256, std::string_view reading) const {
    return seen_.count(store::IngestedFile::Key(sha256, reading)) > 0;
  }
  // The files in the store or added earlier in this run, by store::IngestedFile::Key.
  const std::unordered_set<std::string>& IngestedFiles() const { return seen_; }
  // Counts a file that was skipped because it was already ingested.
  void CountUnchanged(int64_t bytes);

  // Takes one file's output (its batch is moved out; path and content are left). Commits when
  // enough is pending (logging "committed N files" at debug level). On error the run should be
  // finished as failed; files committed before stay in the store.
  base::Status AddFile(FileOutput& file);
  base::Status Flush();
  // Waits for a background write (SessionOptions::background_writes) and returns its status; the
  // store is the caller's again until the next Flush. Ok when none is running.
  base::Status Sync();

  // ---- a file streamed in parts (FHIR NDJSON), for files too large to hold in memory ----
  // Adds rows of the file in progress (`bytes` of input read for them, for progress). They join the
  // pending group; once more than `commit_events` events are pending they are written inside a
  // multi-batch store transaction (Store::BeginTransaction) that EndFile commits, so the file is
  // still wholly in the store or not at all, and memory stays bounded by `commit_events`.
  base::Status AddPart(store::Batch part, int64_t bytes);
  // Writes everything pending now (inside the file transaction when a file is in progress), so
  // that a later part may replace its rows through Batch::replace_sources.
  base::Status WritePending();
  // Ends the file in progress: its parts' counts must balance (else Internal error, a reader bug);
  // records it as ingested and commits its transaction when one is open.
  base::Status EndFile(const std::filesystem::path& path, const std::string& sha256,
                       const std::string& reading);
  // Flushes, records the run's end ("complete", or "failed" when `failed`), rewrites the reject
  // file, and returns the run as stored.
  base::Result<store::RunSummary> Finish(bool failed = false);

 private:
  IngestSession(store::Store& store, int64_t run_id, SessionOptions options,
                std::unordered_set<std::string> seen, std::unordered_set<std::string> stays);
  void Report();
  // Moves `b` into the pending group; its events become a part of their own (Batch::event_parts).
  void Merge(store::Batch& b);
  // Frees a written group on a thread of its own (joined before the next one and on destruction):
  // the 10,000 parts of the PhysioNet 2019 set took 30 ms to free on the writing thread while the
  // store's last work left a core idle.
  void Discard(store::Batch written);
  // A background write: waits for the writes flushed before it (ticket), writes `batch` unless one
  // of them failed, frees it, and lets the next one go.
  void WriteInTurn(uint64_t ticket, store::Batch& batch, size_t events);
  // Writes `batch` (`events` events) to the store, logging the time it took at debug level.
  base::Status Write(const store::Batch& batch, size_t events);

  store::Store& store_;
  int64_t run_id_;
  SessionOptions options_;
  std::unordered_set<std::string> seen_;   // files in the store or this run (IngestedFile::Key)
  std::unordered_set<std::string> stays_;  // stay ids in the store or this run
  store::Batch pending_;
  size_t pending_events_ = 0;  // pending_.event_count(), kept as parts arrive
  Progress progress_;
  int64_t files_unchanged_ = 0;
  store::Counts file_counts_;  // of the streamed file in progress
  bool file_in_progress_ = false;
  bool file_transaction_ = false;  // this session opened the store transaction of that file
  bool finished_ = false;
  std::thread discard_;
  // Background writes (SessionOptions::background_writes): one thread per flushed group, each
  // waiting for its turn (its ticket), so groups reach the store in the order they were flushed
  // while the caller reads on. At most kMaxQueuedWrites are outstanding (Flush then waits for the
  // oldest); Sync joins them all. writers_ holds the threads of tickets writes_started_ -
  // writers_.size() .. writes_started_ - 1, in order.
  static constexpr size_t kMaxQueuedWrites = 3;
  std::vector<std::thread> writers_;
  uint64_t writes_started_ = 0;  // tickets handed out (the caller's thread)
  std::mutex write_mu_;
  std::condition_variable write_cv_;
  uint64_t writes_done_ = 0;    // guarded by write_mu_
  base::Status writer_status_;  // the first failed write's status; guarded by write_mu_
};

// Reads one file's content into `out` (path, sha256 and content are set by the driver). Called on a
// worker thread: it must not touch shared state.
using ReadFileFn = std::function<void(FileOutput& out)>;

// Reads a trailing file (see FilesOptions) on the calling thread; `session` tells which stays are
// known by then.
using ReadTrailingFn = std::function<void(FileOutput& out, const IngestSession& session)>;

// How a format reads a file (store::IngestedFile::reading): the same bytes read another way are
// another file.
using ReadingFn = std::function<std::string(const std::filesystem::path&)>;

struct FilesOptions {
  std::string format;                 // recorded in the run
  ReadingFn reading;                  // how each input is read; none: `format`
  std::string arguments;              // recorded in the run
  std::vector<std::string> suffixes;  // which files under a folder are inputs
  SessionOptions session;
  // Files ingested after all the inputs, in the order given, once every input has been handed to
  // the session: files that refer to the stays the inputs bring (PhysioNet 2012 outcomes).
  std::vector<std::filesystem::path> trailing_files;
  ReadTrailingFn read_trailing;
  std::string trailing_reading;  // how the trailing files are read
  // Called once the store is open, before the run starts (the files are being parsed meanwhile).
  std::function<base::Status(store::Store&)> store_ready;
};

// Ingests every input file under `inputs` with `read`; returns the run as stored. The files are
// listed and parsing starts before the store is needed (while `opening` opens it).
base::Result<store::RunSummary> IngestFiles(store::OpeningStore& opening,
                                            const std::vector<std::filesystem::path>& inputs,
                                            const ReadFileFn& read, FilesOptions options);
base::Result<store::RunSummary> IngestFiles(store::Store& store,
                                            const std::vector<std::filesystem::path>& inputs,
                                            const ReadFileFn& read, FilesOptions options);

}  // namespace vigil::ingest

#endif  // VIGIL_INGEST_SESSION_H_
