#include "vigil/features/extract.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cassert>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "vigil/base/memory.h"
#include "vigil/features/layout.h"
#include "vigil/features/subject_features.h"

namespace vigil::features {
namespace {

using base::Result;
using base::Status;

// Room made for a subject's rows before placing them (vectors still grow as needed).
constexpr size_t kRowsPerSubjectGuess = 64;

// A subject with stays: the unit of work.
struct Unit {
  int32_t key = 0;
  const store::Subject* subject = nullptr;
  size_t stays_begin = 0, stays_end = 0;    // in the stay list
  size_t events_begin = 0, events_end = 0;  // in the current block
  size_t rows_begin = 0, rows_end = 0;      // in the current block's rows
};

// Debug builds fill the matrix with this NaN (a payload no computation produces) before the
// threads write it.
[[maybe_unused]] const float kUnwritten = std::bit_cast<float>(uint32_t{0x7fc0dead});

// The output of one block, before assembly.
struct BlockOutput {
  std::vector<Unit> units;
  std::vector<task::PredictionRow> rows;
  base::FloatBuffer values;
};

// Runs fn(begin, end) over `n` items split into `threads` contiguous parts on worker threads,
// calling `tick` on this thread about ten times a second until all are done.
void ParallelFor(size_t n, size_t threads, const std::function<void(size_t, size_t)>& fn,
                 const std::function<void()>& tick) {
  threads = std::max<size_t>(1, std::min(threads, n));
  std::mutex mu;
  std::condition_variable cv;
  size_t running = threads;
  std::vector<std::thread> workers;
  for (size_t w = 0; w < threads; ++w) {
    workers.emplace_back([&, w] {
      fn(n * w / threads, n * (w + 1) / threads);
      std::lock_guard<std::mutex> lock(mu);
      --running;
      cv.notify_all();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    while (!cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return running == 0; })) {
      lock.unlock();
      if (tick) tick();
      lock.lock();
    }
  }
  for (auto& t : workers) t.join();
}

class Extractor {
 public:
  Extractor(const task::TaskPlan& plan, const FeatureLayout& layout,
            const std::vector<store::SubjectEntry>& subjects,
            const std::vector<store::StayEntry>& stays, const ExtractOptions& options)
      : plan_(plan), layout_(layout), stays_(stays), options_(options) {
    threads_ = options.threads > 0 ? static_cast<size_t>(options.threads)
                                   : std::max(1u, std::thread::hardware_concurrency());
    for (size_t i = 0; i < stays.size(); ++i) {
      if (units_.empty() || units_.back().key != stays[i].subject_key) {
        Unit u;
        u.key = stays[i].subject_key;
        u.stays_begin = i;
        units_.push_back(u);
      }
      units_.back().stays_end = i + 1;
    }
    for (Unit& u : units_) {
      auto it = std::lower_bound(
          subjects.begin(), subjects.end(), u.key,
          [](const store::SubjectEntry& s, int32_t key) { return s.subject_key < key; });
      if (it != subjects.end() && it->subject_key == u.key) u.subject = &it->subject;
    }
    progress_.subjects_total = static_cast<int64_t>(units_.size());
  }

  void Block(const store::EventBlock& block) {
    BlockOutput out;
    auto first = std::lower_bound(units_.begin(), units_.end(), block.first_key,
                                  [](const Unit& u, int32_t key) { return u.key < key; });
    size_t s = 0;
    for (auto it = first; it != units_.end() && it->key <= block.last_key; ++it) {
      Unit u = *it;
      while (s < block.num_subjects() && block.subject_keys[s] < u.key) ++s;
      if (s < block.num_subjects() && block.subject_keys[s] == u.key) {
        u.events_begin = block.offsets[s];
        u.events_end = block.offsets[s + 1];
      }
      out.units.push_back(u);
    }
    PlaceRows(block, out);
    FillValues(block, out);
    progress_.events_read += static_cast<int64_t>(block.size());
    blocks_.push_back(std::move(out));
    Tick();
  }

  Extraction Finish();

 private:
  task::SubjectData Data(const store::EventBlock& block, const Unit& u) const {
    task::SubjectData d;
    d.subject = u.subject;
    d.stays = std::span<const store::StayEntry>(stays_.data() + u.stays_begin,
                                                u.stays_end - u.stays_begin);
    const size_t n = u.events_end - u.events_begin;
    d.time = std::span<const int64_t>(block.time.data() + u.events_begin, n);
    d.code_key = std::span<const int32_t>(block.code_key.data() + u.events_begin, n);
    d.stay_key = std::span<const int32_t>(block.stay_key.data() + u.events_begin, n);
    return d;
  }

  // Phase 1: each thread places its subjects' rows; the parts are then joined in order.
  void PlaceRows(const store::EventBlock& block, BlockOutput& out) {
    const size_t parts = std::max<size_t>(1, std::min(threads_, out.units.size()));
    std::vector<std::vector<task::PredictionRow>> rows(parts);
    std::vector<task::CohortReport> reports(parts);
    ParallelFor(
        parts, parts,
        [&](size_t p, size_t) {
          const size_t b = out.units.size() * p / parts, e = out.units.size() * (p + 1) / parts;
          for (size_t i = b; i < e; ++i) {
            Unit& u = out.units[i];
            base::GrowLarge(rows[p], kRowsPerSubjectGuess);
            u.rows_begin = rows[p].size();
            plan_.SubjectRows(Data(block, u), rows[p], reports[p]);
            u.rows_end = rows[p].size();
          }
        },
        [this] { Tick(); });
    size_t total = 0;
    for (const auto& r : rows) total += r.size();
    base::ReserveLarge(out.rows, total);
    size_t base = 0;
    for (size_t p = 0; p < parts; ++p) {
      const size_t b = out.units.size() * p / parts, e = out.units.size() * (p + 1) / parts;
      for (size_t i = b; i < e; ++i) {
        out.units[i].rows_begin += base;
        out.units[i].rows_end += base;
      }
      base += rows[p].size();
      out.rows.insert(out.rows.end(), rows[p].begin(), rows[p].end());
      cohort_.Merge(reports[p]);
    }
  }

  // Phase 2: the matrix is allocated once; threads fill whole subjects in place.
  void FillValues(const store::EventBlock& block, BlockOutput& out) {
    const size_t columns = layout_.num_columns();
    // The cells are left unset (base::FloatBuffer): each thread's first write to a page is the
    // only one, so the threads share the page faults and no pass writes zeros first.
    base::ResizeLarge(out.values, out.rows.size() * columns);
#ifndef NDEBUG
    // Debug builds (the sanitizer tests): mark every cell, and check below that each was written.
    std::fill(out.values.begin(), out.values.end(), kUnwritten);
#endif
    std::atomic<int64_t> done{0};
    const int64_t done_before = progress_.subjects_done;
    ParallelFor(
        out.units.size(), threads_,
        [&](size_t b, size_t e) {
          SubjectFeatures features(layout_);
          for (size_t i = b; i < e; ++i) {
            const Unit& u = out.units[i];
            if (u.rows_end > u.rows_begin) {
              features.Compute(block, u.events_begin, u.events_end, Data(block, u),
                               std::span<const task::PredictionRow>(out.rows.data() + u.rows_begin,
                                                                    u.rows_end - u.rows_begin),
                               out.values.data() + u.rows_begin * columns);
            }
            done.fetch_add(1, std::memory_order_relaxed);
          }
        },
        [&] {
          progress_.subjects_done = done_before + done.load(std::memory_order_relaxed);
          Tick();
        });
    progress_.subjects_done = done_before + static_cast<int64_t>(out.units.size());
    progress_.rows += static_cast<int64_t>(out.rows.size());
#ifndef NDEBUG
    for (float v : out.values) {
      assert(std::bit_cast<uint32_t>(v) != std::bit_cast<uint32_t>(kUnwritten) &&
             "SubjectFeatures::Compute left a cell unwritten");
    }
#endif
  }

  void Tick() {
    if (options_.progress) options_.progress(progress_);
  }

  const task::TaskPlan& plan_;
  const FeatureLayout& layout_;
  const std::vector<store::StayEntry>& stays_;
  const ExtractOptions& options_;
  size_t threads_ = 1;
  std::vector<Unit> units_;
  std::vector<BlockOutput> blocks_;
  task::CohortReport cohort_;
  ExtractProgress progress_;
};

Extraction Extractor::Finish() {
  Extraction result;
  result.cohort = cohort_;
  result.events_read = progress_.events_read;
  FeatureMatrix& m = result.matrix;
  m.names = layout_.names();
  const size_t columns = layout_.num_columns();

  // Subjects in subject_id order (ties, which a store does not have, by key).
  struct Ref {
    const std::string* id;
    size_t block, unit;
  };
  std::vector<Ref> order;
  size_t total_rows = 0;
  for (size_t b = 0; b < blocks_.size(); ++b) {
    total_rows += blocks_[b].rows.size();
    for (size_t u = 0; u < blocks_[b].units.size(); ++u) {
      const Unit& unit = blocks_[b].units[u];
      if (unit.rows_end > unit.rows_begin) {
        order.push_back({&stays_[unit.stays_begin].stay.subject_id, b, u});
      }
    }
  }
  auto less = [](const Ref& a, const Ref& b) { return *a.id < *b.id; };
  const bool in_order = std::is_sorted(order.begin(), order.end(), less);
  if (!in_order) std::stable_sort(order.begin(), order.end(), less);

  base::ReserveLarge(m.rows, total_rows);
  base::ReserveLarge(m.labels, total_rows);
  const bool move_values = in_order && blocks_.size() == 1;
  if (move_values) {
    m.values = std::move(blocks_[0].values);
  } else {
    base::ResizeLarge(m.values, total_rows * columns);
  }
  size_t at = 0;
  for (const Ref& ref : order) {
    const BlockOutput& out = blocks_[ref.block];
    const Unit& u = out.units[ref.unit];
    const size_t n = u.rows_end - u.rows_begin;
    if (!move_values && n > 0) {
      std::memcpy(m.values.data() + at * columns, out.values.data() + u.rows_begin * columns,
                  n * columns * sizeof(float));
    }
    for (size_t r = u.rows_begin; r < u.rows_end; ++r) {
      const task::PredictionRow& row = out.rows[r];
      const store::Stay& stay = stays_[u.stays_begin + row.stay].stay;
      m.rows.push_back({stay.subject_id, stay.stay_id, base::FromMicros(row.time)});
      m.labels.push_back(row.label);
    }
    at += n;
  }
  return result;
}

}  // namespace

Result<Extraction> ExtractFeatures(store::Store& store, const task::TaskSpec& spec,
                                   const ExtractOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(auto codes, store.ListCodes());
  const task::TaskPlan plan = task::TaskPlan::Create(spec, codes);
  VIGIL_ASSIGN_OR_RETURN(FeatureLayout layout, FeatureLayout::Create(spec, codes, plan));
  // Subjects and stays are read on connections of their own while the scan counts and reads the
  // events on the store's (both are mostly DuckDB latency): the extractor starts with the first
  // block. Inside a write transaction everything runs on the store's connection, in turn.
  std::future<Result<store::SubjectsAndStays>> pending;
  std::optional<Result<store::SubjectsAndStays>> lists;
  if (store.in_transaction()) {
    lists = store.ListSubjectsAndStays();
  } else {
    pending = std::async(std::launch::async, [&store] { return store.ListSubjectsAndStays(); });
  }
  std::optional<Extractor> extractor;
  auto start = [&]() -> Status {
    if (extractor) return Status::Ok();
    if (!lists) lists = pending.get();
    VIGIL_RETURN_IF_ERROR(lists->status());
    extractor.emplace(plan, layout, (*lists)->subjects, (*lists)->stays, options);
    return Status::Ok();
  };
  store::EventScanOptions scan;
  scan.code_keys = layout.code_keys();
  scan.text_values = layout.needs_text();
  scan.max_block_events = options.max_block_events;
  Status scanned = store.ScanEvents(scan, [&](store::EventBlock& block) {
    VIGIL_RETURN_IF_ERROR(start());
    extractor->Block(block);
    return Status::Ok();
  });
  if (pending.valid()) pending.wait();  // the reader never outlives this call
  VIGIL_RETURN_IF_ERROR(scanned);
  VIGIL_RETURN_IF_ERROR(start());
  Extraction result = extractor->Finish();
  result.absent_codes = layout.absent_codes();
  return result;
}

}  // namespace vigil::features
