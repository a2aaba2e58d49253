// Small text helpers shared by readers and writers.
#ifndef VIGIL_BASE_TEXT_H_
#define VIGIL_BASE_TEXT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::base {

// Parses the whole of `s` as a finite double (std::from_chars: no locale, no leading '+', no
// spaces).
std::optional<double> ParseDouble(std::string_view s);
// Parses the whole of `s` as a base-10 int64.
std::optional<int64_t> ParseInt64(std::string_view s);

// Splits on `sep`, keeping empty fields.
std::vector<std::string_view> Split(std::string_view s, char sep);

// True when `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);

// The longest prefix of `s` of at most `max_bytes` bytes that does not cut a UTF-8 character.
std::string_view Utf8Prefix(std::string_view s, size_t max_bytes);
// `content` without a leading UTF-8 byte order mark (EF BB BF), which some editors write.
std::string_view StripByteOrderMark(std::string_view content);

// Standard base64 (RFC 4648, with padding).
std::string Base64Encode(std::string_view data);

// "1,234,567".
std::string WithThousands(int64_t n);

}  // namespace vigil::base

#endif  // VIGIL_BASE_TEXT_H_
