// Units: the canonical UCUM unit of each code vigil knows, and conversion of measured values into
// it.
//
// Values are stored in one unit per code (the shared code table in docs/terminology.md and
// docs/fhir.md), so a model never mixes °F with °C. Readers call `ToCanonical` with the code and
// the unit as the source gives it (a UCUM code such as "[degF]", or a common spelling such as "°F"
// or "lbs"):
//   - a code with no canonical unit keeps its value and unit as given;
//   - a code with a canonical unit gets its value converted (identity for an equal unit, linear or
//     affine factors within a dimension, mass <-> molar concentration through the analyte's molar
//     mass), or an error when the unit is unknown or of another dimension.
// Every factor is a named constant with its source in units.cc.
//
// Thread-safe: pure functions over constant tables.
#ifndef VIGIL_TERMINOLOGY_UNITS_H_
#define VIGIL_TERMINOLOGY_UNITS_H_

#include <optional>
#include <string>
#include <string_view>

#include "vigil/base/status.h"

namespace vigil::terminology {

// The canonical UCUM unit vigil stores `code` in ("LOINC/8310-5" -> "Cel"), or nullopt when vigil
// keeps the code's unit as given.
std::optional<std::string_view> CanonicalUnit(std::string_view code);

struct Measurement {
  double value = 0;
  std::string unit;  // UCUM
};

// `value` in `unit` for `code`, converted to the code's canonical unit (or kept as given when the
// code has none; `unit` is then returned trimmed). InvalidArgument when the code has a canonical
// unit and `unit` is empty, unknown, or of another dimension; the message names the code, never the
// value.
base::Result<Measurement> ToCanonical(std::string_view code, double value, std::string_view unit);

}  // namespace vigil::terminology

#endif  // VIGIL_TERMINOLOGY_UNITS_H_
