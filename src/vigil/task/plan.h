// A task resolved against a store's code dictionary: for each subject, which stays enter the
// cohort, the prediction times of each, and the label of each prediction (docs/tasks.md).
//
// Rules, with t a prediction time and [start, end] the stay:
// - prediction times lie in [start, end] (an unknown end bounds nothing, except `every`, which then
//   stops at the stay's last event);
// - an outcome is an event with a label code (of any stay of the subject, or none), or the start of
//   another stay of a label stay kind; outcomes before the stay's start never count;
// - the label window is (t, t + horizon], or (t, end] without a horizon; an outcome in [start, t]
//   is a prior outcome, handled by PriorOutcome (an outcome at exactly t is prior);
// - when the window ends at the stay's end and the end is unknown, the label is 0 if no outcome
//   follows t at all, and NaN (unknown) otherwise.
//
// Thread safety: a TaskPlan is immutable after Create; SubjectRows may run on many threads.
#ifndef VIGIL_TASK_PLAN_H_
#define VIGIL_TASK_PLAN_H_

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/store/records.h"
#include "vigil/store/scan.h"
#include "vigil/task/spec.h"

namespace vigil::task {

// What a task sees of one subject. Events are the subject's, in time order (EventBlock layout).
struct SubjectData {
  const store::Subject* subject = nullptr;  // may be null when the subjects table lacks it
  std::span<const store::StayEntry> stays;  // the subject's stays, by start time
  std::span<const int64_t> time;            // microseconds since the epoch
  std::span<const int32_t> code_key;
  std::span<const int32_t> stay_key;
};

struct PredictionRow {
  int64_t time = 0;   // microseconds since the epoch
  uint32_t stay = 0;  // index into SubjectData::stays
  float label = 0;    // 1, 0, or NaN when unknown
};

// How the cohort and rows came about; Merge adds another subject's or thread's report.
struct CohortReport {
  int64_t stays_seen = 0;
  int64_t stays_included = 0;
  int64_t rows = 0;
  int64_t positive_rows = 0;
  int64_t unlabelled_rows = 0;
  int64_t rows_dropped_prior_outcome = 0;         // PriorOutcome::kExclude
  std::map<std::string, int64_t> stays_excluded;  // reason -> stays

  void Merge(const CohortReport& other);
};

class TaskPlan {
 public:
  // Resolves the spec's codes against the store's dictionary (codes absent from the store match
  // nothing: a task can be built on a store that lacks some variables).
  static TaskPlan Create(const TaskSpec& spec, const std::vector<store::CodeEntry>& codes);

  const TaskSpec& spec() const { return spec_; }

  // Appends the subject's prediction rows to `rows`, sorted by time (then stay order), and counts
  // into `report`.
  void SubjectRows(const SubjectData& data, std::vector<PredictionRow>& rows,
                   CohortReport& report) const;

  // Code roles, by code key (bit flags), exposed for the features module's leakage checks.
  static constexpr uint8_t kOutcome = 1;
  static constexpr uint8_t kExcludeCode = 2;
  static constexpr uint8_t kVitalSign = 4;
  uint8_t Role(int32_t code_key) const {
    return code_key >= 0 && static_cast<size_t>(code_key) < roles_.size()
               ? roles_[static_cast<size_t>(code_key)]
               : 0;
  }

 private:
  // The stay's prediction times, or an exclusion reason.
  bool PredictionTimes(const SubjectData& data, size_t stay, std::vector<int64_t>& times,
                       std::string& reason) const;
  bool InCohort(const SubjectData& data, size_t stay, std::string& reason) const;

  TaskSpec spec_;
  std::vector<uint8_t> roles_;
};

// Age in years at `at` from a stay's age_years (when the source gave age) or the birth date.
std::optional<double> AgeAt(const store::Subject* subject, const store::Stay& stay,
                            base::Instant at);

}  // namespace vigil::task

#endif  // VIGIL_TASK_PLAN_H_
