#include "vigil/ingest/session.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include "vigil/base/file.h"
#include "vigil/base/hash.h"

namespace vigil::ingest {
namespace fs = std::filesystem;
using base::Result;
using base::Status;

namespace {

void MergeSkip(std::vector<store::SkipCount>& skips, std::string_view reason, int64_t count) {
  for (store::SkipCount& s : skips) {
    if (s.reason == reason) {
      s.count += count;
      return;
    }
  }
  skips.push_back({std::string(reason), count});
}

}  // namespace

std::string UnreadableReason(const Status& read_error) {
  // The message is "cannot open PATH: why"; the reject's file column already names the path.
  const std::string& message = read_error.message();
  const size_t colon = message.rfind(": ");
  return "cannot read the file (" +
         (colon == std::string::npos ? message : message.substr(colon + 2)) + ")";
}

void AddSkip(store::Batch& out, std::string_view reason, int64_t count) {
  out.counts.records_in += count;
  out.counts.skipped += count;
  MergeSkip(out.skips, reason, count);
}

void AddReject(store::Batch& out, const fs::path& file, std::string location,
               std::string_view reason, std::string_view raw) {
  out.counts.records_in += 1;
  out.counts.rejected += 1;
  out.rejects.push_back(
      {file.string(), std::move(location), std::string(reason), std::string(raw)});
}

// ---- IngestSession ----

Result<std::unique_ptr<IngestSession>> IngestSession::Start(store::Store& store, std::string format,
                                                            std::string arguments, int64_t files_in,
                                                            SessionOptions options) {
  VIGIL_ASSIGN_OR_RETURN(auto seen, store.IngestedFileKeys());
  VIGIL_ASSIGN_OR_RETURN(auto stays, store.StayIds());
  VIGIL_ASSIGN_OR_RETURN(int64_t run_id, store.StartRun(format, arguments, files_in));
  auto session = std::unique_ptr<IngestSession>(
      new IngestSession(store, run_id, std::move(options), std::move(seen), std::move(stays)));
  session->progress_.files_total = files_in;
  return session;
}

IngestSession::IngestSession(store::Store& store, int64_t run_id, SessionOptions options,
                             std::unordered_set<std::string> seen,
                             std::unordered_set<std::string> stays)
    : store_(store),
      run_id_(run_id),
      options_(std::move(options)),
      seen_(std::move(seen)),
      stays_(std::move(stays)) {}

IngestSession::~IngestSession() {
  if (!finished_) (void)Finish(/*failed=*/true);
  (void)Sync();
  if (discard_.joinable()) discard_.join();
}

Status IngestSession::Sync() {
  if (writers_.empty()) return Status::Ok();
  for (std::thread& t : writers_) t.join();
  writers_.clear();
  std::lock_guard lock(write_mu_);
  return std::exchange(writer_status_, Status::Ok());
}

void IngestSession::WriteInTurn(uint64_t ticket, store::Batch& batch, size_t events) {
  std::unique_lock lock(write_mu_);
  write_cv_.wait(lock, [&] { return writes_done_ == ticket; });
  const bool earlier_failed = !writer_status_.ok();
  lock.unlock();
  // After a failed write nothing more is written: the run fails at the next Sync.
  Status s = earlier_failed ? Status::Ok() : Write(batch, events);
  batch = store::Batch();  // freed here, off the reading thread
  lock.lock();
  if (!s.ok()) writer_status_ = std::move(s);
  ++writes_done_;
  write_cv_.notify_all();
}

void IngestSession::Report() {
  if (options_.progress) options_.progress(progress_);
}

void IngestSession::CountUnchanged(int64_t bytes) {
  ++files_unchanged_;
  ++progress_.files_done;
  progress_.bytes_done += bytes;
  Report();
}

Status IngestSession::AddFile(FileOutput& file) {
  store::Batch& b = file.batch;
  if (!b.counts.Balanced()) {
    return base::InternalError(fmt::format(
        "reader accounting does not balance for {}: {} in, {} stored, {} rejected, {} skipped",
        file.path.string(), b.counts.records_in, b.counts.stored, b.counts.rejected,
        b.counts.skipped));
  }
  std::string key = store::IngestedFile::Key(file.sha256, file.reading);
  if (seen_.count(key)) {
    CountUnchanged(static_cast<int64_t>(file.content.size()));
    return Status::Ok();
  }
  if (!options_.replace_stays) {
    const bool duplicate = std::any_of(b.stays.begin(), b.stays.end(), [&](const store::Stay& s) {
      return stays_.count(s.stay_id) > 0;
    });
    if (duplicate && options_.reject_whole_file) {
      options_.reject_whole_file(file, "duplicate record: stay already stored from another file");
    }
  }
  // A group holds at most commit_events events (unless one file has more). Each file's columns
  // join the group as they are (Batch::event_parts): copying them into one buffer cost the writing
  // thread more than the parsers spent making them (re-interning, copies, page faults).
  const size_t n = b.event_count();
  if (pending_events_ > 0 && pending_events_ + n > options_.commit_events)
    VIGIL_RETURN_IF_ERROR(Flush());
  for (const store::Stay& s : b.stays) stays_.insert(s.stay_id);
  if (store::IngestedFile::Remembered(b.counts)) seen_.insert(std::move(key));
  b.files.push_back({file.sha256, file.reading, file.path.string(), b.counts});

  Merge(b);

  ++progress_.files_done;
  progress_.bytes_done += static_cast<int64_t>(file.content.size());
  progress_.counts += b.counts;
  if (pending_events_ >= options_.commit_events) VIGIL_RETURN_IF_ERROR(Flush());
  Report();
  return Status::Ok();
}

void IngestSession::Merge(store::Batch& b) {
  pending_events_ += b.event_count();
  pending_.subjects.insert(pending_.subjects.end(), std::make_move_iterator(b.subjects.begin()),
                           std::make_move_iterator(b.subjects.end()));
  pending_.stays.insert(pending_.stays.end(), std::make_move_iterator(b.stays.begin()),
                        std::make_move_iterator(b.stays.end()));
  pending_.stay_updates.insert(pending_.stay_updates.end(),
                               std::make_move_iterator(b.stay_updates.begin()),
                               std::make_move_iterator(b.stay_updates.end()));
  pending_.reference_scores.insert(pending_.reference_scores.end(), b.reference_scores.begin(),
                                   b.reference_scores.end());
  // Each file's (or streamed part's) columns join the group as they are: appending them to one
  // buffer re-interned every dictionary entry (for FHIR, one source per resource) and copied every
  // column, 9 % of a FHIR bulk export's ingest time.
  // Columns without events still count when they name codes (a FHIR Encounter's type).
  const auto keep = [](const store::EventColumns& c) { return !c.empty() || !c.codes().empty(); };
  if (keep(b.events)) pending_.event_parts.push_back(std::move(b.events));
  for (store::EventColumns& part : b.event_parts) {
    if (keep(part)) pending_.event_parts.push_back(std::move(part));
  }
  pending_.replace_sources.insert(pending_.replace_sources.end(),
                                  std::make_move_iterator(b.replace_sources.begin()),
                                  std::make_move_iterator(b.replace_sources.end()));
  pending_.record_versions.insert(pending_.record_versions.end(),
                                  std::make_move_iterator(b.record_versions.begin()),
                                  std::make_move_iterator(b.record_versions.end()));
  pending_.rejects.insert(pending_.rejects.end(), std::make_move_iterator(b.rejects.begin()),
                          std::make_move_iterator(b.rejects.end()));
  pending_.files.insert(pending_.files.end(), b.files.begin(), b.files.end());
  for (const store::SkipCount& s : b.skips) MergeSkip(pending_.skips, s.reason, s.count);
  pending_.counts += b.counts;
}

Status IngestSession::AddPart(store::Batch part, int64_t bytes) {
  file_in_progress_ = true;
  file_counts_ += part.counts;
  progress_.bytes_done += bytes;
  progress_.counts += part.counts;
  Merge(part);
  if (pending_events_ >= options_.commit_events) VIGIL_RETURN_IF_ERROR(WritePending());
  Report();
  return Status::Ok();
}

Status IngestSession::WritePending() {
  if (!file_in_progress_) return Flush();
  if (!file_transaction_) {
    VIGIL_RETURN_IF_ERROR(Sync());
    VIGIL_RETURN_IF_ERROR(store_.BeginTransaction());
    file_transaction_ = true;
  }
  return Flush();
}

Status IngestSession::EndFile(const fs::path& path, const std::string& sha256,
                              const std::string& reading) {
  const store::Counts counts = file_counts_;
  file_counts_ = store::Counts();
  file_in_progress_ = false;
  if (!counts.Balanced()) {
    return base::InternalError(fmt::format(
        "reader accounting does not balance for {}: {} in, {} stored, {} rejected, {} skipped",
        path.string(), counts.records_in, counts.stored, counts.rejected, counts.skipped));
  }
  if (store::IngestedFile::Remembered(counts))
    seen_.insert(store::IngestedFile::Key(sha256, reading));
  pending_.files.push_back({sha256, reading, path.string(), counts});
  ++progress_.files_done;
  if (file_transaction_) {
    VIGIL_RETURN_IF_ERROR(Flush());
    VIGIL_RETURN_IF_ERROR(Sync());
    file_transaction_ = false;
    VIGIL_RETURN_IF_ERROR(store_.CommitTransaction());
  } else if (pending_events_ >= options_.commit_events ||
             (options_.background_writes &&
              pending_.counts.records_in >= options_.background_flush_records)) {
    VIGIL_RETURN_IF_ERROR(Flush());
  }
  Report();
  return Status::Ok();
}

Status IngestSession::Flush() {
  if (!options_.background_writes) {
    VIGIL_RETURN_IF_ERROR(Sync());
  } else if (!writers_.empty()) {
    // Writers whose turn is over are joined; a failed write fails this flush; with the queue
    // full, the caller waits for the oldest write only.
    size_t done = 0;
    bool failed = false;
    {
      std::lock_guard lock(write_mu_);
      done = static_cast<size_t>(writes_done_ - (writes_started_ - writers_.size()));
      failed = !writer_status_.ok();
    }
    if (failed) return Sync();
    if (done == 0 && writers_.size() >= kMaxQueuedWrites) done = 1;
    for (size_t i = 0; i < done; ++i) writers_[i].join();
    writers_.erase(writers_.begin(), writers_.begin() + static_cast<std::ptrdiff_t>(done));
  }
  if (pending_.files.empty() && pending_.size() == 0) return Status::Ok();
  const size_t events = std::exchange(pending_events_, 0);
  if (options_.background_writes) {
    // Shared, so that the group is still here when no thread can be started.
    auto batch = std::make_shared<store::Batch>(std::exchange(pending_, store::Batch()));
    const uint64_t ticket = writes_started_;
    try {
      writers_.emplace_back([this, ticket, batch, events] { WriteInTurn(ticket, *batch, events); });
      ++writes_started_;
      return Status::Ok();
    } catch (const std::system_error&) {
      pending_ = std::move(*batch);  // no thread to be had: written here, after the others
      VIGIL_RETURN_IF_ERROR(Sync());
    }
  }
  Status s = Write(pending_, events);
  Discard(std::exchange(pending_, store::Batch()));
  return s;
}

Status IngestSession::Write(const store::Batch& batch, size_t events) {
  const auto start = std::chrono::steady_clock::now();
  Status s = store_.WriteBatch(run_id_, batch);
  if (s.ok()) {
    spdlog::debug("ingest: committed {} files ({} events) in {:.3f} s", batch.files.size(), events,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return s;
}

void IngestSession::Discard(store::Batch written) {
  if (discard_.joinable()) discard_.join();
  try {
    discard_ =
        std::thread([b = std::move(written)]() mutable { store::Batch dead = std::move(b); });
  } catch (const std::system_error&) {
    // No thread to be had: `written` is freed here, on return.
  }
}

Result<store::RunSummary> IngestSession::Finish(bool failed) {
  finished_ = true;
  Status written = Sync();
  if (!written.ok()) failed = true;
  if (failed || file_in_progress_) {
    failed = true;
    file_transaction_ = false;
    (void)store_.RollbackTransaction();
  }
  Status flushed = failed ? written : Flush();
  if (flushed.ok()) flushed = Sync();
  const char* status = (failed || !flushed.ok()) ? "failed" : "complete";
  VIGIL_RETURN_IF_ERROR(store_.FinishRun(run_id_, status, files_unchanged_));
  VIGIL_RETURN_IF_ERROR(store_.WriteRejectFile());
  VIGIL_RETURN_IF_ERROR(flushed);
  return store_.GetRun(run_id_);
}

// ---- IngestFiles: a reading thread ahead of the writing (calling) thread ----

namespace {

// A file that could not be read: one rejected record at location "file", and the run goes on (a
// later run reads the file again: nothing of it was stored).
FileOutput UnreadableFile(const fs::path& path, std::string reading, const Status& error) {
  FileOutput out;
  out.path = path;
  out.reading = std::move(reading);
  AddReject(out.batch, path, "file", UnreadableReason(error), "");
  return out;
}

// Files read and parsed ahead of the writer, handed over in path order, at most kWindow ahead.
//
// What a parser thread allocates, it frees: the writer hands each file's output back once the
// session has taken its rows (Take's `spent`), and the parser that made it reuses its content
// buffer and frees the rest (path, hash, emptied vectors). Freed on the writing thread instead,
// these blocks made it contend with the parsers for their malloc arenas, and a std::map node per
// file did the same. The writer waits for several files at a time: a wake-up per file (a futex call
// on each side) cost 5 % of the parse phase.
class ReadAhead {
 public:
  static constexpr size_t kWindow = 256;
  static constexpr size_t kNobody = SIZE_MAX;
  // When the next file is not ready, the writer sleeps until the file this many after it is.
  static constexpr size_t kWakeAfter = 16;

  // A file's output and the parser thread that made it (none: an empty slot). An empty Loaded
  // allocates nothing: its maker and its destroyer are often different threads.
  struct Loaded {
    std::optional<Result<FileOutput>> out;
    size_t worker = kNobody;
  };

  ReadAhead(const std::vector<fs::path>& files, const ReadFileFn& read, ReadingFn reading)
      : files_(files), read_(read), reading_(std::move(reading)) {
    // One parser per core (at most four): the writing thread mostly waits for them, and DuckDB's
    // own threads only work while a group is committed.
    const unsigned workers = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
    returned_.resize(workers);
    for (auto& r : returned_) r.reserve(kWindow);
    for (unsigned w = 0; w < workers; ++w) threads_.emplace_back([this, w] { Work(w); });
  }

  // The keys of the files already in the store: from now on the parsers skip them (the session
  // skips them in any case; until the store is open, every file is parsed).
  void SetKnown(std::unordered_set<std::string> known) {
    known_ = std::move(known);
    known_set_.store(true, std::memory_order_release);
  }

  ~ReadAhead() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    space_cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

  // The i-th file's output (blocking until it is ready), or its read error. `spent` is a file taken
  // before, its rows moved out (or none): it goes back to the parser that made it.
  Loaded Take(size_t i, Loaded spent) {
    std::unique_lock lock(mu_);
    if (spent.worker < returned_.size() && spent.out && spent.out->ok()) {
      returned_[spent.worker].push_back(std::move(**spent.out));
    }
    if (!Ready(i)) {
      // Files are handed out in order: once a later one is ready, file i almost always is.
      const size_t later = std::min(i + kWakeAfter, files_.size() - 1);
      WaitFor(lock, later);
      WaitFor(lock, i);
    }
    Loaded out = std::exchange(slots_[i % kWindow], Loaded());
    consumed_ = i + 1;
    // Wake a parser only when one waits for room.
    if (waiting_workers_ > 0 && next_ < consumed_ + kWindow) space_cv_.notify_all();
    return out;
  }

 private:
  bool Ready(size_t i) const { return slots_[i % kWindow].worker != kNobody; }

  void WaitFor(std::unique_lock<std::mutex>& lock, size_t i) {
    if (Ready(i)) return;
    wanted_ = i;
    ready_cv_.wait(lock, [&] { return Ready(i); });
  }

  void Work(size_t worker) {
    std::string buffer;
    std::vector<FileOutput> spent;
    spent.reserve(kWindow);
    while (true) {
      size_t i;
      {
        std::unique_lock lock(mu_);
        spent.swap(returned_[worker]);
        ++waiting_workers_;
        space_cv_.wait(
            lock, [&] { return stop_ || next_ >= files_.size() || next_ < consumed_ + kWindow; });
        --waiting_workers_;
        if (stop_ || next_ >= files_.size()) return;
        i = next_++;
      }
      for (FileOutput& f : spent) {
        if (f.content.capacity() > buffer.capacity()) buffer.swap(f.content);
      }
      spent.clear();
      Result<FileOutput> out = Load(files_[i], std::move(buffer));
      buffer = std::string();
      bool wake = false;
      {
        std::lock_guard lock(mu_);
        slots_[i % kWindow] = Loaded{std::move(out), worker};
        if (wanted_ == i) {
          wanted_ = kNobody;
          wake = true;
        }
      }
      if (wake) ready_cv_.notify_one();
    }
  }

  Result<FileOutput> Load(const fs::path& path, std::string buffer) {
    if (Status read = base::ReadFileInto(path, buffer); !read.ok()) {
      return UnreadableFile(path, reading_(path), read);
    }
    FileOutput out;
    out.path = path;
    out.sha256 = base::Sha256Hex(buffer);
    out.reading = reading_(path);
    out.content = std::move(buffer);
    if (!known_set_.load(std::memory_order_acquire) ||
        !known_.count(store::IngestedFile::Key(out.sha256, out.reading))) {
      read_(out);
      out.batch.events.ReleaseIndex();  // freed by the thread that made it (cheaper)
    }
    return out;
  }

  const std::vector<fs::path>& files_;
  std::unordered_set<std::string> known_;  // written once, before known_set_
  std::atomic<bool> known_set_ = false;
  const ReadFileFn& read_;
  const ReadingFn reading_;
  std::mutex mu_;
  std::condition_variable ready_cv_;  // the writer waits here for file `wanted_`
  std::condition_variable space_cv_;  // parsers wait here for room in the window
  // File i's output waits in slot i % kWindow (a parser takes file i only once file i - kWindow
  // was taken); an empty slot has no worker.
  std::vector<Loaded> slots_ = std::vector<Loaded>(kWindow);
  // Per parser: the outputs the writer is done with, for that parser to reuse and free.
  std::vector<std::vector<FileOutput>> returned_;
  size_t next_ = 0;
  size_t consumed_ = 0;
  size_t wanted_ = kNobody;
  int waiting_workers_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

// Reads, parses and adds one trailing file on the calling thread.
Status AddTrailingFile(IngestSession& session, const fs::path& path, const ReadTrailingFn& read,
                       const std::string& reading) {
  Result<std::string> content = base::ReadFile(path);
  if (!content.ok()) {
    FileOutput unreadable = UnreadableFile(path, reading, content.status());
    return session.AddFile(unreadable);
  }
  FileOutput out;
  out.path = path;
  out.sha256 = base::Sha256Hex(*content);
  out.reading = reading;
  out.content = std::move(*content);
  if (session.AlreadyIngested(out.sha256, out.reading)) {
    session.CountUnchanged(static_cast<int64_t>(out.content.size()));
    return Status::Ok();
  }
  read(out, session);
  return session.AddFile(out);
}

}  // namespace

Result<store::RunSummary> IngestFiles(store::Store& store, const std::vector<fs::path>& inputs,
                                      const ReadFileFn& read, FilesOptions options) {
  store::OpeningStore open(store);
  return IngestFiles(open, inputs, read, std::move(options));
}

Result<store::RunSummary> IngestFiles(store::OpeningStore& opening,
                                      const std::vector<fs::path>& inputs, const ReadFileFn& read,
                                      FilesOptions options) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<fs::path> files,
                         base::ListInputFiles(inputs, options.suffixes));
  if (!options.trailing_files.empty() && !options.read_trailing) {
    return base::InternalError("trailing files without a reader");
  }
  VIGIL_RETURN_IF_ERROR(base::CheckInputPaths(options.trailing_files, /*files_only=*/true));
  for (const fs::path& path : options.trailing_files) {
    std::error_code ec;
    // A trailing file inside an input folder is read once, as a trailing file.
    std::erase_if(files, [&](const fs::path& f) { return fs::equivalent(f, path, ec); });
  }
  // Parsing starts while the store is still being opened (50 ms of one core for a new store).
  ReadingFn reading = options.reading;
  if (!reading) reading = [format = options.format](const fs::path&) { return format; };
  ReadAhead ahead(files, read, std::move(reading));
  VIGIL_ASSIGN_OR_RETURN(store::Store * store, opening.Get());
  if (options.store_ready) VIGIL_RETURN_IF_ERROR(options.store_ready(*store));
  const auto files_in = static_cast<int64_t>(files.size() + options.trailing_files.size());
  VIGIL_ASSIGN_OR_RETURN(
      auto session,
      IngestSession::Start(*store, options.format, options.arguments, files_in, options.session));
  // The store's file hashes, as the session read them (no file has been added yet).
  ahead.SetKnown(session->IngestedFiles());
  ReadAhead::Loaded spent;
  for (size_t i = 0; i < files.size(); ++i) {
    ReadAhead::Loaded taken = ahead.Take(i, std::move(spent));
    Result<FileOutput>& out = *taken.out;
    Status s = out.status();
    if (s.ok()) s = session->AddFile(*out);
    if (!s.ok()) {
      (void)session->Finish(/*failed=*/true);
      return s;
    }
    spent = std::move(taken);
  }
  for (const fs::path& path : options.trailing_files) {
    Status s = AddTrailingFile(*session, path, options.read_trailing, options.trailing_reading);
    if (!s.ok()) {
      (void)session->Finish(/*failed=*/true);
      return s;
    }
  }
  return session->Finish();
}

}  // namespace vigil::ingest
