// A small, portable random generator (base::SplitMix64) for fold assignment and synthetic test
// data. The standard library's distributions are implementation-defined; vigil's folds must be the
// same on every platform for a given seed, so the few draws vigil needs are written here.
#ifndef VIGIL_MODEL_RANDOM_H_
#define VIGIL_MODEL_RANDOM_H_

#include <cmath>
#include <cstdint>
#include <numbers>
#include <utility>
#include <vector>

#include "vigil/base/random.h"

namespace vigil::model {

class Rng {
 public:
  explicit Rng(uint64_t seed) : rng_(seed) {}

  uint64_t Next() { return rng_.Next(); }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n); n > 0. (Multiply-shift; the bias is below 2^-32 for n < 2^32.)
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Standard normal (Box-Muller).
  double Normal() {
    const double u1 = 1.0 - Uniform();  // (0, 1]
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  // Fisher-Yates shuffle.
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Below(i)]);
  }

 private:
  base::SplitMix64 rng_;
};

}  // namespace vigil::model

#endif  // VIGIL_MODEL_RANDOM_H_
