// SplitMix64 (Steele, Lea and Flood 2014): a tiny generator whose output is fixed by its seed on
// every platform, unlike the standard library's distributions (implementation-defined). vigil's
// folds, splits, bootstrap replicates and synthetic patients are drawn from it, each module with
// the few draws it needs on top (model/random.h, evaluate/bootstrap.h, task/split.cc,
// synth/random.h), so that a seed means the same numbers everywhere.
#ifndef VIGIL_BASE_RANDOM_H_
#define VIGIL_BASE_RANDOM_H_

#include <cstdint>

namespace vigil::base {

// SplitMix64's output for a state before its step: a bijection on 64-bit integers that mixes
// every input bit (also a good seed mixer).
constexpr uint64_t Mix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class SplitMix64 {
 public:
  explicit constexpr SplitMix64(uint64_t seed) : state_(seed) {}
  constexpr uint64_t Next() {
    const uint64_t out = Mix64(state_);
    state_ += 0x9e3779b97f4a7c15ULL;
    return out;
  }

 private:
  uint64_t state_;
};

}  // namespace vigil::base

#endif  // VIGIL_BASE_RANDOM_H_
