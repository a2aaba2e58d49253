#include "vigil/ingest/session.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

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
  VIGIL_ASSIGN_OR_RETURN(auto seen, store.IngestedFileHashes());
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

Status IngestSession::AddFile(FileOutput file) {
  store::Batch& b = file.batch;
  if (!b.counts.Balanced()) {
    return base::InternalError(fmt::format(
        "reader accounting does not balance for {}: {} in, {} stored, {} rejected, {} skipped",
        file.path.string(), b.counts.records_in, b.counts.stored, b.counts.rejected,
        b.counts.skipped));
  }
  if (seen_.count(file.sha256)) {
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
  for (const store::Stay& s : b.stays) stays_.insert(s.stay_id);
  seen_.insert(file.sha256);
  b.files.push_back({file.sha256, file.path.string(), b.counts});

  Merge(b);

  ++files_ingested_;
  ++progress_.files_done;
  progress_.bytes_done += static_cast<int64_t>(file.content.size());
  progress_.counts += b.counts;
  if (pending_.events.size() >= options_.commit_events) VIGIL_RETURN_IF_ERROR(Flush());
  Report();
  return Status::Ok();
}

void IngestSession::Merge(store::Batch& b) {
  pending_.subjects.insert(pending_.subjects.end(), std::make_move_iterator(b.subjects.begin()),
                           std::make_move_iterator(b.subjects.end()));
  pending_.stays.insert(pending_.stays.end(), std::make_move_iterator(b.stays.begin()),
                        std::make_move_iterator(b.stays.end()));
  pending_.reference_scores.insert(pending_.reference_scores.end(), b.reference_scores.begin(),
                                   b.reference_scores.end());
  if (pending_.events.empty()) {
    std::swap(pending_.events, b.events);  // the common case for streamed parts: no re-interning
  } else {
    pending_.events.Append(b.events);
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
  if (pending_.events.size() >= options_.commit_events) VIGIL_RETURN_IF_ERROR(WritePending());
  Report();
  return Status::Ok();
}

Status IngestSession::WritePending() {
  if (!file_in_progress_) return Flush();
  if (!store_.in_transaction()) VIGIL_RETURN_IF_ERROR(store_.BeginTransaction());
  return Flush();
}

Status IngestSession::EndFile(const fs::path& path, const std::string& sha256) {
  const store::Counts counts = file_counts_;
  file_counts_ = store::Counts();
  file_in_progress_ = false;
  if (!counts.Balanced()) {
    return base::InternalError(fmt::format(
        "reader accounting does not balance for {}: {} in, {} stored, {} rejected, {} skipped",
        path.string(), counts.records_in, counts.stored, counts.rejected, counts.skipped));
  }
  seen_.insert(sha256);
  pending_.files.push_back({sha256, path.string(), counts});
  ++files_ingested_;
  ++progress_.files_done;
  if (store_.in_transaction()) {
    VIGIL_RETURN_IF_ERROR(Flush());
    VIGIL_RETURN_IF_ERROR(store_.CommitTransaction());
  } else if (pending_.events.size() >= options_.commit_events) {
    VIGIL_RETURN_IF_ERROR(Flush());
  }
  Report();
  return Status::Ok();
}

Status IngestSession::Flush() {
  if (pending_.files.empty() && pending_.size() == 0) return Status::Ok();
  Status s = store_.WriteBatch(run_id_, pending_);
  // Keep the event columns' capacity for the next group; drop the rest.
  store::EventColumns events = std::move(pending_.events);
  events.Clear();
  pending_ = store::Batch();
  pending_.events = std::move(events);
  return s;
}

Result<store::RunSummary> IngestSession::Finish(bool failed) {
  finished_ = true;
  if (failed || file_in_progress_) {
    failed = true;
    (void)store_.RollbackTransaction();
  }
  Status flushed = failed ? Status::Ok() : Flush();
  const char* status = (failed || !flushed.ok()) ? "failed" : "complete";
  VIGIL_RETURN_IF_ERROR(store_.FinishRun(run_id_, status, files_ingested_, files_unchanged_));
  VIGIL_RETURN_IF_ERROR(store_.WriteRejectFile());
  VIGIL_RETURN_IF_ERROR(flushed);
  return store_.GetRun(run_id_);
}

// ---- IngestFiles: a reading thread ahead of the writing (calling) thread ----

namespace {

// Files read and parsed ahead of the writer, handed over in path order, at most kWindow ahead.
class ReadAhead {
 public:
  static constexpr size_t kWindow = 256;

  ReadAhead(const std::vector<fs::path>& files, const std::unordered_set<std::string>& known,
            const ReadFileFn& read)
      : files_(files), known_(known), read_(read) {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const unsigned workers = std::max(1u, std::min(cores - (cores > 1 ? 1 : 0), 4u));
    for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(); });
  }

  ~ReadAhead() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

  // The i-th file's output (blocking until it is ready), or its read error.
  Result<FileOutput> Take(size_t i) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return ready_.count(i) > 0; });
    auto node = ready_.extract(i);
    consumed_ = i + 1;
    cv_.notify_all();
    return std::move(node.mapped());
  }

 private:
  void Work() {
    while (true) {
      size_t i;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock,
                 [&] { return stop_ || next_ >= files_.size() || next_ < consumed_ + kWindow; });
        if (stop_ || next_ >= files_.size()) return;
        i = next_++;
      }
      Result<FileOutput> out = Load(files_[i]);
      {
        std::lock_guard lock(mu_);
        ready_.emplace(i, std::move(out));
      }
      cv_.notify_all();
    }
  }

  Result<FileOutput> Load(const fs::path& path) {
    VIGIL_ASSIGN_OR_RETURN(std::string content, base::ReadFile(path));
    FileOutput out;
    out.path = path;
    out.sha256 = base::Sha256Hex(content);
    out.content = std::move(content);
    if (!known_.count(out.sha256)) read_(out);
    return out;
  }

  const std::vector<fs::path>& files_;
  const std::unordered_set<std::string>& known_;
  const ReadFileFn& read_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<size_t, Result<FileOutput>> ready_;
  size_t next_ = 0;
  size_t consumed_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace

Result<store::RunSummary> IngestFiles(store::Store& store, const std::vector<fs::path>& inputs,
                                      const ReadFileFn& read, FilesOptions options) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<fs::path> files,
                         base::ListInputFiles(inputs, options.suffixes));
  VIGIL_ASSIGN_OR_RETURN(auto known, store.IngestedFileHashes());
  VIGIL_ASSIGN_OR_RETURN(auto session,
                         IngestSession::Start(store, options.format, options.arguments,
                                              static_cast<int64_t>(files.size()), options.session));
  ReadAhead ahead(files, known, read);
  for (size_t i = 0; i < files.size(); ++i) {
    Result<FileOutput> out = ahead.Take(i);
    Status s = out.ok() ? session->AddFile(std::move(out).value()) : out.status();
    if (!s.ok()) {
      (void)session->Finish(/*failed=*/true);
      return s;
    }
  }
  return session->Finish();
}

}  // namespace vigil::ingest
