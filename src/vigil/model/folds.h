// Patient-grouped, stratified k-fold assignment.
//
// Every row of one subject lands in the same fold, so no patient is both trained on and validated
// on. Folds are balanced on the number of positive rows first and the number of rows second:
// subjects are shuffled with the seed, ordered by their positive rows (most first, a stable sort
// keeps the shuffled order among equals), then each subject with a positive row goes to the fold
// that has the fewest positives so far (ties: fewest rows, then lowest index) and each other
// subject to the fold with the fewest rows (ties: fewest positives, then lowest index).
// Deterministic for a given seed on every platform.
#ifndef VIGIL_MODEL_FOLDS_H_
#define VIGIL_MODEL_FOLDS_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vigil/base/status.h"

namespace vigil::model {

struct FoldAssignment {
  int folds = 0;
  std::vector<int> fold_of_row;  // one per input row, in [0, folds)
};

// `subjects[i]` and `labels[i]` describe row i (labels 1 or 0; callers pass labelled rows only).
// Fails (FailedPrecondition) when fewer than `folds` subjects have a positive row or fewer than
// `folds` subjects have only negative rows: some fold would then have no positives (or negatives)
// to validate on. `folds` must be at least 2.
base::Result<FoldAssignment> AssignGroupedFolds(std::span<const std::string> subjects,
                                                std::span<const float> labels, int folds,
                                                uint64_t seed);

}  // namespace vigil::model

#endif  // VIGIL_MODEL_FOLDS_H_
