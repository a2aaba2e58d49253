// Integers read from JSON that a user, a disk or another program may have written: a model folder's
// files, a hyperparameters file, an evaluation. Generic over the JSON type (nlohmann::json or
// ordered_json), so base needs no JSON library of its own.
//
// nlohmann's get<int>() (and value("key", 0)) casts a floating-point value to the integer type, and
// a value such as 1e30 does not fit: undefined behaviour (UndefinedBehaviorSanitizer reports it;
// found by the model_json fuzz target). These accept only whole numbers that fit the type (6 or
// 6.0, not 6.5 or 1e30), and otherwise throw nlohmann's own type_error, which every caller already
// turns into a Status.
#ifndef VIGIL_BASE_JSON_INTEGER_H_
#define VIGIL_BASE_JSON_INTEGER_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace vigil::base {

// The text of a nlohmann::json exception for people: without its "[json.exception.type_error.302] "
// tag ("type must be string, but is number").
inline std::string JsonErrorText(std::string_view what) {
  if (what.starts_with("[json.exception.")) {
    const size_t end = what.find("] ");
    if (end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  return std::string(what);
}

// `v` as a T; throws Json::type_error unless it is a whole number within T's range.
template <typename T, typename Json>
T IntegerValue(const Json& v, std::string_view name) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  if (v.is_number_unsigned()) {
    const auto u = v.template get<uint64_t>();
    if (std::in_range<T>(u)) return static_cast<T>(u);
  } else if (v.is_number_integer()) {
    const auto i = v.template get<int64_t>();
    if (std::in_range<T>(i)) return static_cast<T>(i);
  } else if (v.is_number_float()) {
    // Whole and within [min, max] of T: the bounds are powers of two, exact as doubles.
    const double d = v.template get<double>();
    const double bound = std::ldexp(1.0, std::numeric_limits<T>::digits);
    const double low = std::is_signed_v<T> ? -bound : 0.0;
    if (std::isfinite(d) && d == std::trunc(d) && d >= low && d < bound) return static_cast<T>(d);
  }
  throw Json::type_error::create(
      302, "'" + std::string(name) + "' is not an integer in the range of its type", &v);
}

// j[key] as a T (throws when it is absent or not such an integer).
template <typename T, typename Json>
T IntegerAt(const Json& j, std::string_view key) {
  return IntegerValue<T>(j.at(std::string(key)), key);
}

// j[key] as a T, or `fallback` when j has no such key (throws when it is there but not such an
// integer, or when j is not an object).
template <typename T, typename Json>
T IntegerOr(const Json& j, std::string_view key, T fallback) {
  if (!j.is_object()) return IntegerAt<T>(j, key);  // throws nlohmann's type_error
  const auto it = j.find(std::string(key));
  return it == j.end() ? fallback : IntegerValue<T>(*it, key);
}

}  // namespace vigil::base

#endif  // VIGIL_BASE_JSON_INTEGER_H_
