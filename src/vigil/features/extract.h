// Point-in-time feature extraction: a task and a store in, a FeatureMatrix out (docs/features.md).
//
// One row per prediction time of the task's cohort, sorted by subject_id, then time; labels from
// the task's rules (task/plan.h); features from events at or before the prediction time only.
//
// How: the store streams events grouped by subject (Store::ScanEvents, reading only the codes the
// task needs); for each block of subjects, the rows (prediction times and labels) are placed first,
// then the matrix is allocated once and worker threads fill each subject's rows in place.
// Memory: the matrix (rows x columns x 4 bytes) plus one block of events (about 24 bytes per
// event, at most EventScanOptions::max_block_events); stores of more than one block, or whose
// subject keys are not in subject_id order, need a second copy of the matrix while it is sorted.
//
// Thread safety: uses `store` from the calling thread only; worker threads touch only their own
// rows. The progress callback runs on the calling thread.
#ifndef VIGIL_FEATURES_EXTRACT_H_
#define VIGIL_FEATURES_EXTRACT_H_

#include <cstdint>
#include <functional>

#include "vigil/base/status.h"
#include "vigil/features/matrix.h"
#include "vigil/store/store.h"
#include "vigil/task/plan.h"
#include "vigil/task/spec.h"

namespace vigil::features {

struct ExtractProgress {
  int64_t events_read = 0;
  int64_t subjects_done = 0;
  int64_t subjects_total = 0;  // subjects with at least one stay
  int64_t rows = 0;
};

struct ExtractOptions {
  int threads = 0;  // worker threads; 0: one per hardware thread
  size_t max_block_events = 8'000'000;
  std::function<void(const ExtractProgress&)> progress;  // called now and then; may be empty
};

struct Extraction {
  FeatureMatrix matrix;
  task::CohortReport cohort;
  int64_t events_read = 0;  // events read from the store (those with a code the task uses)
  std::vector<std::string> absent_codes;  // feature codes with no event in the store
};

base::Result<Extraction> ExtractFeatures(store::Store& store, const task::TaskSpec& spec,
                                         const ExtractOptions& options = {});

}  // namespace vigil::features

#endif  // VIGIL_FEATURES_EXTRACT_H_
