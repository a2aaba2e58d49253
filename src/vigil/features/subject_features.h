// The feature rows of one subject: the extractor's inner loop (docs/features.md).
//
// The subject's events are regrouped by track (each track's events stay in time order); then, for
// each prediction time t (in increasing order), each track's events are cut at t: only events with
// time <= t are ever read, so nothing after the prediction time can reach a row. Look-back
// statistics read [stay start, t] (lookback: stay) or (t - lookback, t]; window statistics read
// (t - window, t]; a score reads each input's latest usable value in (t - score_lookback, t].
//
// Not thread-safe: one SubjectFeatures per thread (it holds scratch buffers reused across
// subjects). The layout must outlive it.
#ifndef VIGIL_FEATURES_SUBJECT_FEATURES_H_
#define VIGIL_FEATURES_SUBJECT_FEATURES_H_

#include <cstdint>
#include <span>
#include <vector>

#include "vigil/features/layout.h"
#include "vigil/store/scan.h"
#include "vigil/task/plan.h"

namespace vigil::features {

class SubjectFeatures {
 public:
  explicit SubjectFeatures(const FeatureLayout& layout) : layout_(layout) {}

  // Fills rows.size() * layout.num_columns() floats at `out` (row-major), for the subject whose
  // events are block events [begin, end) (begin == end when it has none). `rows` must be sorted by
  // time, as TaskPlan::SubjectRows leaves them.
  void Compute(const store::EventBlock& block, size_t begin, size_t end,
               const task::SubjectData& data, std::span<const task::PredictionRow> rows,
               float* out);

 private:
  void Gather(const store::EventBlock& block, size_t begin, size_t end);
  void TrackColumns(const Track& track, size_t k, int64_t t, int64_t stay_start, float* out);
  void Scores(const store::EventBlock& block, int64_t t, float* out) const;

  const FeatureLayout& layout_;
  // Events regrouped by track: track k's are [offset_[k], offset_[k + 1]).
  std::vector<size_t> offset_;
  std::vector<size_t> fill_;
  std::vector<int64_t> time_;
  std::vector<double> value_;
  std::vector<size_t> event_;  // index in the block (for text values)
  std::vector<size_t> end_;    // per track: one past the last event with time <= t
  // Cursors: the first event at or after a lower bound that only grows while rows go forward in
  // time (a window's t - w, a look-back's t - lookback, a stay's start), per track and per window.
  struct Cursor {
    size_t at = 0;
    int64_t from = 0;
  };
  size_t Begin(Cursor& c, size_t lo, size_t e, int64_t from) const;
  std::vector<Cursor> lookback_;
  std::vector<Cursor> window_;
};

// Writes `stats` over a track's events [b, e) (time-sorted, values NaN when not numeric) as seen at
// time t, to out[0 .. stats.size()). Exposed for tests.
void WriteStats(const int64_t* time, const double* value, size_t b, size_t e, int64_t t,
                std::span<const task::Stat> stats, float* out);
// Whether `stats` need a pass over the events (first, min, max, mean, slope), or only the last.
bool StatsNeedScan(std::span<const task::Stat> stats);
// The same, told whether `stats` need a pass over the events.
void WriteStats(const int64_t* time, const double* value, size_t b, size_t e, int64_t t,
                std::span<const task::Stat> stats, bool scan, float* out);

}  // namespace vigil::features

#endif  // VIGIL_FEATURES_SUBJECT_FEATURES_H_
