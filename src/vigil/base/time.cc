#include "vigil/base/time.h"

#include <fmt/format.h>

namespace vigil::base {
namespace {

using std::chrono::year_month_day;

// Reads exactly `n` digits at `pos`; false when any is not a digit or the text is too short.
bool ReadDigits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

Status Bad(std::string_view what) {
  return InvalidArgumentError(fmt::format("invalid ISO 8601 date/time: {}", what));
}

}  // namespace

Instant MakeInstant(int year, unsigned month, unsigned day, int hour, int minute, int second,
                    int64_t micros) {
  std::chrono::sys_days d{
      year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}}};
  return Instant(std::chrono::duration_cast<Duration>(d.time_since_epoch())) +
         std::chrono::hours(hour) + std::chrono::minutes(minute) + std::chrono::seconds(second) +
         Duration(micros);
}

Result<ParsedTime> ParseIso8601(std::string_view s) {
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int64_t micros = 0;
  if (!ReadDigits(s, 0, 4, year) || year < 1) return Bad("year");
  if (s.size() == 4) return ParsedTime{MakeInstant(year, 1, 1), TimePrecision::kYear};
  if (s[4] != '-' || !ReadDigits(s, 5, 2, month) || month < 1 || month > 12) return Bad("month");
  if (s.size() == 7) return ParsedTime{MakeInstant(year, month, 1), TimePrecision::kMonth};
  if (s[7] != '-' || !ReadDigits(s, 8, 2, day)) return Bad("day");
  year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                     std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return Bad("day out of range for the month");
  if (s.size() == 10) return ParsedTime{MakeInstant(year, month, day), TimePrecision::kDay};
  if ((s[10] != 'T' && s[10] != ' ') || !ReadDigits(s, 11, 2, hour) || hour > 23 || s.size() < 16 ||
      s[13] != ':' || !ReadDigits(s, 14, 2, minute) || minute > 59) {
    return Bad("time of day");
  }
  TimePrecision precision = TimePrecision::kMinute;
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    // 60 is allowed for a leap second and folded into the next minute by the arithmetic.
    if (!ReadDigits(s, pos + 1, 2, second) || second > 60) return Bad("seconds");
    precision = TimePrecision::kSecond;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      size_t digits = 0;
      int64_t scale = 100000;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (digits < 6) micros += (s[pos] - '0') * scale;
        scale /= 10;
        ++digits;
        ++pos;
      }
      if (digits == 0) return Bad("fraction of a second");
      precision = TimePrecision::kFraction;
    }
  }
  Duration offset{0};
  if (pos < s.size()) {
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
      ++pos;
    } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
      int oh = 0, om = 0;
      if (!ReadDigits(s, pos + 1, 2, oh) || !ReadDigits(s, pos + 4, 2, om) || oh > 14 || om > 59) {
        return Bad("time zone offset");
      }
      offset = std::chrono::hours(oh) + std::chrono::minutes(om);
      if (s[pos] == '-') offset = -offset;
      pos = s.size();
    } else {
      return Bad("trailing characters");
    }
  }
  Instant local = MakeInstant(year, month, day, hour, minute, second, micros);
  return ParsedTime{local - offset, precision};
}

std::string FormatIso8601(Instant t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  year_month_day ymd{day};
  std::chrono::hh_mm_ss<Duration> hms{t - day};
  int64_t frac = hms.subseconds().count();
  std::string out =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  hms.hours().count(), hms.minutes().count(), hms.seconds().count());
  if (frac != 0) out += fmt::format(".{:06}", frac);
  out += 'Z';
  return out;
}

std::string FormatOffsetHoursMinutes(Duration d) {
  const char sign = d.count() < 0 ? '-' : '+';
  int64_t minutes = std::chrono::duration_cast<std::chrono::minutes>(d).count();
  if (minutes < 0) minutes = -minutes;
  return fmt::format("{}{:02}:{:02}", sign, minutes / 60, minutes % 60);
}

}  // namespace vigil::base
