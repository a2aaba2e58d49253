// The synthetic hospital's random numbers: xoshiro256** (Blackman and Vigna, 2018) seeded through
// SplitMix64, with the few distributions the generator needs written out here, so that the same
// seed gives the same numbers with any standard library (std::*_distribution are
// implementation-defined). Floating-point results depend on the platform's libm (log, cos), so
// byte-identical output is promised for the same build on the same platform.
//
// One Rng per patient, seeded from (run seed, patient index): patients are independent streams,
// which lets workers generate them in any order and still write identical files. Not thread-safe:
// each thread owns its Rng.
#ifndef VIGIL_SYNTH_RANDOM_H_
#define VIGIL_SYNTH_RANDOM_H_

#include <cstdint>
#include <span>

#include "vigil/base/random.h"

namespace vigil::synth {

using base::Mix64;

class Rng {
 public:
  // A stream determined by (seed, stream): e.g. the run seed and a patient index.
  Rng(uint64_t seed, uint64_t stream);

  uint64_t Next();
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [lo, hi] (inclusive); lo <= hi.
  int64_t UniformInt(int64_t lo, int64_t hi);
  bool Bernoulli(double p) { return Uniform() < p; }
  // Standard normal (Marsaglia's polar method; the second value of each pair is kept for the
  // next call).
  double Normal();
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  // Exponential with the given mean.
  double Exponential(double mean);
  // Index i with probability weights[i] / sum(weights); weights are non-negative, sum > 0.
  int Choose(std::span<const double> weights);

 private:
  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_RANDOM_H_
