#include "vigil/base/text.h"

#include <gtest/gtest.h>

#include "vigil/base/hash.h"

namespace vigil::base {
namespace {

TEST(TextTest, ParsesNumbersStrictly) {
  EXPECT_EQ(ParseDouble("92.5"), 92.5);
  EXPECT_EQ(ParseDouble("-1"), -1.0);
  EXPECT_FALSE(ParseDouble(""));
  EXPECT_FALSE(ParseDouble("9 2"));
  EXPECT_FALSE(ParseDouble("NaN"));
  EXPECT_FALSE(ParseDouble("inf"));
  EXPECT_FALSE(ParseDouble("12abc"));
  EXPECT_EQ(ParseInt64("132539"), 132539);
  EXPECT_FALSE(ParseInt64("1.5"));
}

TEST(TextTest, SplitsKeepingEmptyFields) {
  auto parts = Split("a||b|", '|');
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(parts[3], "");
}

TEST(TextTest, Utf8AndBase64) {
  EXPECT_TRUE(
      IsValidUtf8("37.2 \xc2\xb0"
                  "C"));
  EXPECT_FALSE(IsValidUtf8("\xff\xfe"));
  EXPECT_EQ(Base64Encode("hello"), "aGVsbG8=");
  EXPECT_EQ(WithThousands(1234567), "1,234,567");
  EXPECT_EQ(WithThousands(12), "12");
}

TEST(HashTest, Sha256MatchesKnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(h.FinishHex(), Sha256Hex("abc"));
}

}  // namespace
}  // namespace vigil::base
