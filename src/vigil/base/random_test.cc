#include "vigil/base/random.h"

#include <gtest/gtest.h>

namespace vigil::base {
namespace {

// The reference sequences of SplitMix64 for seeds 0 and 1234567 (Vigna's C implementation).
TEST(SplitMix64Test, MatchesTheReferenceSequence) {
  SplitMix64 zero(0);
  EXPECT_EQ(zero.Next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(zero.Next(), 0x6E789E6AA1B965F4ULL);
  SplitMix64 rng(1234567);
  EXPECT_EQ(rng.Next(), 6457827717110365317ULL);
  EXPECT_EQ(rng.Next(), 3203168211198807973ULL);
  EXPECT_EQ(rng.Next(), 9817491932198370423ULL);
  EXPECT_EQ(rng.Next(), 4593380528125082431ULL);
  EXPECT_EQ(rng.Next(), 16408922859458223821ULL);
}

TEST(SplitMix64Test, MixIsTheFirstOutputOfASeed) {
  for (uint64_t seed : {0ULL, 1ULL, 42ULL, 0xffffffffffffffffULL}) {
    EXPECT_EQ(Mix64(seed), SplitMix64(seed).Next());
  }
  static_assert(Mix64(1234567) == 6457827717110365317ULL);
}

}  // namespace
}  // namespace vigil::base
