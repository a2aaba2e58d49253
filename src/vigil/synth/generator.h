// `vigil synth`: generates a synthetic hospital as a FHIR R4 Bulk Data export (one NDJSON file per
// resource type) plus its ground truth in truth/ (docs/synth.md).
//
// Streaming: patients are generated in batches on worker threads and written in patient order by
// the calling thread; at most a fixed number of batches is in memory at once, whatever the number
// of patients. Deterministic: each patient depends only on (seed, patient index), so the output
// is byte-identical for the same options with any number of threads.
//
// Files are written under hidden temporary names and renamed into place when complete, so a
// folder never holds a half-written data set under the final names. An existing data set in the
// folder is replaced. Generate() is not reentrant for the same output folder.
#ifndef VIGIL_SYNTH_GENERATOR_H_
#define VIGIL_SYNTH_GENERATOR_H_

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>

#include "vigil/base/status.h"
#include "vigil/synth/output.h"
#include "vigil/synth/patient.h"

namespace vigil::synth {

struct SynthOptions {
  int64_t patients = 1000;
  CohortSettings cohort;  // seed, dates, population, model; cohort.truth: write truth/
  int threads = 0;        // worker threads; 0: one per hardware thread
  int batch_patients = 128;
  std::filesystem::path out;
  // Generate and serialize everything but write nothing (bytes are still counted): for
  // measuring speed and memory at scales whose files would not fit on the disk.
  bool dry_run = false;
};

struct SynthProgress {
  int64_t patients_done = 0;
  int64_t bytes_written = 0;
};

struct SynthSummary {
  Tally tally;
  std::array<int64_t, kOutFileCount> bytes{};
  int64_t total_bytes = 0;
  double seconds = 0;
  int threads = 0;
  int max_batches_in_memory = 0;  // the streaming bound actually reached
};

// Generates the data set. `progress` (may be empty) is called on the calling thread after each
// batch is written. Errors: InvalidArgument for bad options, IoError when a file cannot be
// created, written or renamed (temporary files are removed).
base::Result<SynthSummary> Generate(const SynthOptions& options,
                                    const std::function<void(const SynthProgress&)>& progress);

// 2024-01-01 as days since 1970-01-01: the default first day of admissions.
inline constexpr int64_t kDefaultStartDay = 19723;

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_GENERATOR_H_
