#include "vigil/base/text.h"

#include <openssl/evp.h>
#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstdint>

namespace vigil::base {

namespace {

// Exact powers of ten as doubles (10^22 is the largest one a double holds exactly).
constexpr double kExactPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// Plain decimals ("-?digits(.digits)?") with at most 15 digits: the digits make an integer below
// 2^53 and the fraction a division by an exact power of ten, so one correctly rounded IEEE division
// gives the correctly rounded value, the same as from_chars (Clinger 1990). Most clinical values
// look like this; anything else returns nullopt and goes to from_chars.
std::optional<double> ParsePlainDecimal(std::string_view s) {
  const char* p = s.data();
  const char* end = p + s.size();
  const bool negative = *p == '-';
  if (negative) ++p;
  uint64_t mantissa = 0;
  int digits = 0, fraction = 0;
  const char* start = p;
  for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p, ++digits) {
    mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
  }
  if (p == start) return std::nullopt;
  if (p < end) {
    if (*p != '.') return std::nullopt;
    const char* frac_start = ++p;
    for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p, ++digits, ++fraction) {
      mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
    }
    if (p == frac_start || p != end) return std::nullopt;
  }
  if (digits > 15) return std::nullopt;
  const double v = static_cast<double>(mantissa) / kExactPowersOfTen[fraction];
  return negative ? -v : v;
}

}  // namespace

std::optional<double> ParseDouble(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (auto v = ParsePlainDecimal(s)) return v;
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<int64_t> ParseInt64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

bool IsValidUtf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

std::string_view StripByteOrderMark(std::string_view content) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (content.starts_with(kBom)) content.remove_prefix(kBom.size());
  return content;
}

std::string_view Utf8Prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  // Back off continuation bytes (10xxxxxx): the cut then falls before a character's first byte.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::string Base64Encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string WithThousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace vigil::base
