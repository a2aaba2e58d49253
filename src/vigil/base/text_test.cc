#include "vigil/base/text.h"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <optional>
#include <random>
#include <string>

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

// ParseDouble's fast path for plain decimals must give exactly what from_chars gives (bit for bit,
// signed zeros included), and leave every other spelling to from_chars.
TEST(TextTest, PlainDecimalsParseExactlyAsFromChars) {
  std::mt19937_64 rng(7);
  const std::string alphabet = "0123456789.-+eE";
  const auto from_chars = [](const std::string& s) -> std::optional<double> {
    double v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) {
      return std::nullopt;
    }
    return v;
  };
  const auto check = [&](const std::string& s) {
    const auto want = from_chars(s);
    const auto got = ParseDouble(s);
    ASSERT_EQ(got.has_value(), want.has_value()) << s;
    if (want) {
      ASSERT_EQ(std::bit_cast<uint64_t>(*got), std::bit_cast<uint64_t>(*want)) << s;
    }
  };
  for (const char* s : {"0", "-0", "0.0", "-0.000", "1.", ".5", "-", ".", "-.5", "00012.5000",
                        "999999999999999", "9999999999999999", "0.1", "0.30000000000000004",
                        "123456789012345.6", "1e5", "7.", "+1", "4503599627370497.5"}) {
    check(s);
  }
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    if (i % 2 == 0) {  // plain decimals of every length
      if (rng() % 4 == 0) s += '-';
      const int int_digits = 1 + static_cast<int>(rng() % 12);
      for (int d = 0; d < int_digits; ++d) s += static_cast<char>('0' + rng() % 10);
      if (rng() % 3 != 0) {
        s += '.';
        const int frac_digits = 1 + static_cast<int>(rng() % 10);
        for (int d = 0; d < frac_digits; ++d) s += static_cast<char>('0' + rng() % 10);
      }
    } else {  // anything made of number characters
      const int len = 1 + static_cast<int>(rng() % 8);
      for (int d = 0; d < len; ++d) s += alphabet[rng() % alphabet.size()];
    }
    check(s);
  }
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
  EXPECT_EQ(Utf8Prefix("caf\xc3\xa9 au lait", 4), "caf");  // not half of the e-acute
  EXPECT_EQ(Utf8Prefix("caf\xc3\xa9 au lait", 5), "caf\xc3\xa9");
  EXPECT_EQ(Utf8Prefix("short", 10), "short");
  EXPECT_EQ(Utf8Prefix("\xe2\x82\xac", 2), "");  // a 3-byte euro sign
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
