#include "vigil/evaluate/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "vigil/base/quantile.h"

namespace vigil::evaluate {
namespace {

constexpr double kLowerQuantile = 0.025;
constexpr double kUpperQuantile = 0.975;
constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;
constexpr uint64_t kReplicateStride = 0xD1B54A32D192ED03ULL;

}  // namespace

uint64_t SplitMix64::Below(uint64_t n) {
  // Reject the top partial block so every residue is equally likely.
  const uint64_t limit =
      std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % n;
  uint64_t x;
  do {
    x = Next();
  } while (x >= limit);
  return x % n;
}

uint64_t DeriveSeed(uint64_t seed, std::string_view stream) {
  uint64_t h = kFnvOffset;
  for (unsigned char c : stream) {
    h ^= c;
    h *= kFnvPrime;
  }
  SplitMix64 mix(seed ^ h);
  return mix.Next();
}

std::vector<uint32_t> ResampleCounts(uint64_t seed, uint32_t replicate, size_t num_patients) {
  std::vector<uint32_t> counts(num_patients, 0);
  if (num_patients == 0) return counts;
  SplitMix64 rng(seed + kReplicateStride * (static_cast<uint64_t>(replicate) + 1));
  for (size_t i = 0; i < num_patients; ++i) ++counts[rng.Below(num_patients)];
  return counts;
}

Estimate PercentileInterval(double value, std::vector<double> replicate_values) {
  const size_t drawn = replicate_values.size();
  std::erase_if(replicate_values, [](double v) { return std::isnan(v); });
  Estimate e = PointOnly(value);
  e.replicates = static_cast<int>(replicate_values.size());
  const size_t needed = std::max<size_t>(2, (drawn + 1) / 2);
  if (std::isnan(value) || replicate_values.size() < needed) return e;
  e.lower = base::Quantile(std::span(replicate_values), kLowerQuantile);
  e.upper = base::Quantile(std::span(replicate_values), kUpperQuantile);
  return e;
}

Estimate PointOnly(double value) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return Estimate{value, nan, nan, 0};
}

}  // namespace vigil::evaluate
