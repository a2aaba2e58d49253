// Patient-level splits into training, validation and test sets (docs/tasks.md, "Splits").
//
// The split assigns patients, never rows: every row takes its patient's side, so one patient on
// both sides is impossible by construction. Stratified: patients are grouped by whether any of
// their rows is positive and each group is shuffled with the seed (SplitMix64 + Fisher-Yates, the
// same on every platform) and cut by the fractions. Temporal: a patient whose first row is before
// the cutoff trains, one whose first row is at or after it tests; a training patient's rows at or
// after the cutoff are dropped (they would bring the test period into training).
#ifndef VIGIL_TASK_SPLIT_H_
#define VIGIL_TASK_SPLIT_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/base/time.h"
#include "vigil/task/spec.h"

namespace vigil::task {

enum class SplitSide : uint8_t { kTrain = 0, kValidation = 1, kTest = 2, kDropped = 3 };
std::string_view SplitSideName(SplitSide side);  // train, validation, test, dropped

struct SplitCounts {
  int64_t subjects[4] = {0, 0, 0, 0};  // by SplitSide
  int64_t rows[4] = {0, 0, 0, 0};
  int64_t positive_rows[4] = {0, 0, 0, 0};
};

struct Split {
  std::vector<SplitSide> row_side;  // one per row
  SplitCounts counts;
};

// Splits rows given as parallel spans (subject_ids[i], times[i], labels[i]); labels may be NaN.
// InvalidArgument when the spans differ in length.
base::Result<Split> SplitRows(const SplitSpec& spec, std::span<const std::string> subject_ids,
                              std::span<const base::Instant> times, std::span<const float> labels);

}  // namespace vigil::task

#endif  // VIGIL_TASK_SPLIT_H_
