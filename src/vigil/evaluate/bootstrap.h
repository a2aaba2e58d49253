// The patient bootstrap: resampling patients (not rows) with replacement, deterministic by seed.
//
// A replicate is a multiplicity per patient (how many times the patient was drawn); every row of a
// patient carries its patient's multiplicity as a weight, so metrics are computed on the original
// rows with integer weights instead of on copies. The generator is SplitMix64 and the draw is an
// unbiased rejection sample, both specified here, so a seed gives the same replicates on every
// platform and standard library (std::uniform_int_distribution does not promise that).
//
// Thread-safety: all functions are pure.
#ifndef VIGIL_EVALUATE_BOOTSTRAP_H_
#define VIGIL_EVALUATE_BOOTSTRAP_H_

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "vigil/base/random.h"

namespace vigil::evaluate {

// base::SplitMix64 with an unbiased bounded draw.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : rng_(seed) {}
  uint64_t Next() { return rng_.Next(); }
  // Uniform in [0, n), without modulo bias. Precondition: n > 0.
  uint64_t Below(uint64_t n);

 private:
  base::SplitMix64 rng_;
};

// A seed for one stream, derived from the run's seed and a name (for example a subgroup "sex=F"),
// so that adding a subgroup does not change the replicates of another.
uint64_t DeriveSeed(uint64_t seed, std::string_view stream);

// Replicate `replicate` of the patient bootstrap: for each of `num_patients` patients, how many
// times it was drawn in `num_patients` draws with replacement. Deterministic in (seed, replicate).
std::vector<uint32_t> ResampleCounts(uint64_t seed, uint32_t replicate, size_t num_patients);

// A point estimate with its 95 % bootstrap percentile interval. NaN where undefined (for example
// AUROC with no positive row); `replicates` is the number of replicates where the metric was
// defined.
struct Estimate {
  double value = std::numeric_limits<double>::quiet_NaN();
  double lower = std::numeric_limits<double>::quiet_NaN();
  double upper = std::numeric_limits<double>::quiet_NaN();
  int replicates = 0;
};

// Builds an Estimate from the point value and the replicate values (NaN entries are skipped). The
// interval is the 2.5th and 97.5th percentiles (linear interpolation between order statistics, as
// numpy's default), reported only when at least half the replicates (and at least 2) were defined.
Estimate PercentileInterval(double value, std::vector<double> replicate_values);

// An Estimate with no interval.
Estimate PointOnly(double value);

}  // namespace vigil::evaluate

#endif  // VIGIL_EVALUATE_BOOTSTRAP_H_
