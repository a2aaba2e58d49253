// The columns of a task's feature matrix and the event codes each reads (docs/features.md).
//
// A track is one code the extractor follows through a subject's timeline: a feature variable, an
// input of a clinical score, or both. Columns, in order: each variable's look-back statistics and
// then its window statistics (window by window), in the task's order (a pattern such as "LOINC/*"
// expands to the store's matching codes, sorted, minus the label's outcome codes and codes listed
// elsewhere); stay.hours_since_start; demographics; scores. Names:
//   CODE.STAT            over the look-back, e.g. LOINC/8867-4.last
//   CODE.STAT.WINDOW     over a window ending at the prediction time, e.g. LOINC/8867-4.max.6h
//   stay.hours_since_start, demographics.age_years, demographics.female, demographics.height_cm,
//   demographics.weight_kg, stay.unit.NAME, score.NEWS2, score.NEWS2.missing, score.qSOFA, ... .
// Immutable after Create; shared by the extractor's threads.
#ifndef VIGIL_FEATURES_LAYOUT_H_
#define VIGIL_FEATURES_LAYOUT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/store/scan.h"
#include "vigil/task/plan.h"
#include "vigil/task/spec.h"

namespace vigil::features {

struct Track {
  std::string code;
  bool is_variable = false;  // has columns of its own
  bool is_score_input = false;
  std::vector<task::Stat> stats;
  std::vector<task::Stat> window_stats;
  std::vector<int64_t> windows;  // microseconds
  // Where `stats` start reading (the group's look-back, else the task's): kDuration: after
  // t - lookback; kStay: at the stay's start; kAll: at the subject's first event. Never kTask.
  task::GroupLookback lookback_kind = task::GroupLookback::kStay;
  int64_t lookback = 0;     // microseconds, with kDuration
  size_t first_column = 0;  // of its stats, then its window stats
  size_t first_window = 0;  // its windows' cursors: [first_window, first_window + windows)
  bool stats_scan = false;  // whether stats / window_stats need a pass over the events
  bool window_stats_scan = false;
  std::vector<float> when_unmeasured;  // its columns for a patient without any of its events
  size_t num_columns() const { return stats.size() + window_stats.size() * windows.size(); }
};

enum class Demographic { kAge, kSex, kHeight, kWeight, kTimeInHospital };
enum class Score { kNews2, kQsofa, kSirs };

class FeatureLayout {
 public:
  // InvalidArgument when two columns would share a name.
  static base::Result<FeatureLayout> Create(const task::TaskSpec& spec,
                                            const std::vector<store::CodeEntry>& codes,
                                            const task::TaskPlan& plan);

  const std::vector<std::string>& names() const { return names_; }
  size_t num_columns() const { return names_.size(); }
  const std::vector<Track>& tracks() const { return tracks_; }
  size_t num_windows() const { return num_windows_; }  // over all tracks
  // The track an event's code key feeds, or -1.
  int32_t TrackOf(int32_t code_key) const {
    return code_key >= 0 && static_cast<size_t>(code_key) < track_of_code_.size()
               ? track_of_code_[static_cast<size_t>(code_key)]
               : -1;
  }
  // Every code key the extractor must read: tracks, and the task's outcome, exclusion and vital
  // sign codes.
  const std::vector<int32_t>& code_keys() const { return code_keys_; }
  bool needs_text() const { return !scores_.empty(); }
  // Feature codes the store has no event of (their columns are all missing), in column order.
  const std::vector<std::string>& absent_codes() const { return absent_codes_; }

  int64_t score_lookback() const { return score_lookback_; }
  // Column of stay.hours_since_start, or -1.
  int64_t time_in_stay_column() const { return time_in_stay_column_; }
  const std::vector<std::pair<Demographic, size_t>>& demographics() const { return demographics_; }
  // Each care unit's indicator column (stay.unit.NAME).
  const std::vector<std::pair<std::string, size_t>>& units() const { return units_; }
  // Each score's first column (total, then missing count).
  const std::vector<std::pair<Score, size_t>>& scores() const { return scores_; }

 private:
  std::vector<std::string> names_;
  std::vector<Track> tracks_;
  size_t num_windows_ = 0;
  std::vector<int32_t> track_of_code_;
  std::vector<int32_t> code_keys_;
  std::vector<std::string> absent_codes_;
  int64_t score_lookback_ = 0;
  int64_t time_in_stay_column_ = -1;
  std::vector<std::pair<Demographic, size_t>> demographics_;
  std::vector<std::pair<std::string, size_t>> units_;
  std::vector<std::pair<Score, size_t>> scores_;
};

}  // namespace vigil::features

#endif  // VIGIL_FEATURES_LAYOUT_H_
