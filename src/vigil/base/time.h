// Time in vigil: UTC instants with microsecond resolution, the same resolution as DuckDB's
// TIMESTAMP.
//
// Instants are std::chrono::sys_time<microseconds>; arithmetic and comparison are the standard
// library's. Parsing accepts the ISO 8601 forms that FHIR and HL7 sources use; formatting writes
// ISO 8601 in UTC.
#ifndef VIGIL_BASE_TIME_H_
#define VIGIL_BASE_TIME_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/base/status.h"

namespace vigil::base {

using Duration = std::chrono::microseconds;
using Instant = std::chrono::sys_time<Duration>;

constexpr Duration Hours(int64_t h) { return std::chrono::hours(h); }
constexpr Duration Minutes(int64_t m) { return std::chrono::minutes(m); }
constexpr Duration Days(int64_t d) { return std::chrono::hours(24 * d); }

inline int64_t ToMicros(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromMicros(int64_t micros) { return Instant(Duration(micros)); }

// The precision an ISO 8601 text carried: "2012" is a year, "2012-03-04" a day, and so on.
enum class TimePrecision { kYear, kMonth, kDay, kMinute, kSecond, kFraction };

struct ParsedTime {
  Instant instant;  // the start of the period the text names, in UTC
  TimePrecision precision;
};

// Parses YYYY, YYYY-MM, YYYY-MM-DD, and YYYY-MM-DDThh:mm[:ss[.f+]][Z|(+|-)hh:mm]. A time without a
// zone is taken as UTC. Dates and times are range-checked (no 2021-02-30, no 25:00). Years
// 0001-9999. The error message quotes nothing from the text: it says what part is wrong.
Result<ParsedTime> ParseIso8601(std::string_view text);

// "2000-01-01T00:00:00Z", with ".ffffff" only when the instant has sub-second microseconds.
std::string FormatIso8601(Instant t);

// "+hh:mm" / "-hh:mm" for a duration, e.g. an offset from a stay's anchor (minutes are truncated).
std::string FormatOffsetHoursMinutes(Duration d);

// Builds an instant from a civil date and time in UTC. No range checks: callers validate.
Instant MakeInstant(int year, unsigned month, unsigned day, int hour = 0, int minute = 0,
                    int second = 0, int64_t micros = 0);

}  // namespace vigil::base

#endif  // VIGIL_BASE_TIME_H_
