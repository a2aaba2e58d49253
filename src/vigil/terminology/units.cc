#include "vigil/terminology/units.h"

#include <fmt/format.h>

#include <array>

namespace vigil::terminology {
namespace {

// ---- exact definitions (UCUM, NIST SP 811 appendix B) ----
constexpr double kKgPerPound = 0.45359237;      // international avoirdupois pound, exact
constexpr double kKgPerOunce = 0.028349523125;  // avoirdupois ounce = 1/16 lb, exact
constexpr double kMetresPerInch = 0.0254;       // international inch, exact
constexpr double kMetresPerFoot = 0.3048;       // international foot, exact
// 1 mm[Hg] = 133.322387415 Pa (UCUM: 13.5951 g/cm3 x 9.80665 m/s2 x 1 mm).
constexpr double kPascalPerMmHg = 133.322387415;
// 1 cm[H2O] = 98.0665 Pa (UCUM: 1 g/cm3 x 9.80665 m/s2 x 1 cm).
constexpr double kPascalPerCmH2O = 98.0665;
constexpr double kFahrenheitPerCelsius = 1.8;  // degree size ratio, exact
constexpr double kFahrenheitAtZeroCelsius = 32;

// ---- molar masses, g/mol (IUPAC standard atomic weights; PubChem compound records) ----
constexpr double kGlucoseGramsPerMol = 180.156;      // C6H12O6, PubChem CID 5793
constexpr double kCreatinineGramsPerMol = 113.12;    // C4H7N3O, PubChem CID 588
constexpr double kBilirubinGramsPerMol = 584.66;     // C33H36N4O6, PubChem CID 5280352
constexpr double kLactateGramsPerMol = 90.08;        // C3H6O3 (lactic acid), PubChem CID 612
constexpr double kCalciumGramsPerMol = 40.078;       // Ca, IUPAC standard atomic weight
constexpr double kUreaNitrogenGramsPerMol = 28.014;  // N2 of urea (BUN is reported as nitrogen)
constexpr double kCholesterolGramsPerMol = 386.65;   // C27H46O, PubChem CID 5997

// The dimensions vigil converts within. Molar and mass concentrations convert into each other
// only through a known molar mass.
enum class Dimension {
  kNone,
  kTemperature,  // base Cel (affine)
  kMass,         // base kg
  kLength,       // base m
  kPressure,     // base Pa
  kRate,         // base /min
  kFlow,         // base L/min
  kFraction,     // base 1 (% = 0.01)
  kCellCount,    // base 10*3/uL
  kMassConc,     // base g/L
  kMolarConc,    // base mol/L
};

struct UnitDef {
  std::string_view unit;  // UCUM code or accepted spelling
  Dimension dimension;
  double factor;  // value in this unit x factor = value in the base unit (not for temperature)
};

constexpr std::array kUnits = std::to_array<UnitDef>({
    {"Cel", Dimension::kTemperature, 1},
    {"[degF]", Dimension::kTemperature, 1},
    {"kg", Dimension::kMass, 1},
    {"g", Dimension::kMass, 1e-3},
    {"[lb_av]", Dimension::kMass, kKgPerPound},
    {"[oz_av]", Dimension::kMass, kKgPerOunce},
    {"m", Dimension::kLength, 1},
    {"cm", Dimension::kLength, 1e-2},
    {"mm", Dimension::kLength, 1e-3},
    {"[in_i]", Dimension::kLength, kMetresPerInch},
    {"[ft_i]", Dimension::kLength, kMetresPerFoot},
    {"Pa", Dimension::kPressure, 1},
    {"kPa", Dimension::kPressure, 1e3},
    {"mm[Hg]", Dimension::kPressure, kPascalPerMmHg},
    {"cm[H2O]", Dimension::kPressure, kPascalPerCmH2O},
    {"/min", Dimension::kRate, 1},
    {"/s", Dimension::kRate, 60},
    {"/h", Dimension::kRate, 1.0 / 60},
    {"L/min", Dimension::kFlow, 1},
    {"mL/min", Dimension::kFlow, 1e-3},
    {"1", Dimension::kFraction, 1},
    {"%", Dimension::kFraction, 1e-2},
    {"10*3/uL", Dimension::kCellCount, 1},
    {"10*9/L", Dimension::kCellCount, 1},
    {"/nL", Dimension::kCellCount, 1},
    {"10*3/mm3", Dimension::kCellCount, 1},
    {"/uL", Dimension::kCellCount, 1e-3},
    {"/mm3", Dimension::kCellCount, 1e-3},
    {"g/L", Dimension::kMassConc, 1},
    {"g/dL", Dimension::kMassConc, 10},
    {"mg/dL", Dimension::kMassConc, 1e-2},
    {"mg/L", Dimension::kMassConc, 1e-3},
    {"ug/dL", Dimension::kMassConc, 1e-5},
    {"mol/L", Dimension::kMolarConc, 1},
    {"mmol/L", Dimension::kMolarConc, 1e-3},
    {"umol/L", Dimension::kMolarConc, 1e-6},
});

// Common non-UCUM spellings seen in FHIR `Quantity.unit`, mapped to UCUM codes.
constexpr std::array kAliases = std::to_array<std::pair<std::string_view, std::string_view>>({
    {"°C", "Cel"},          {"degC", "Cel"},          {"C", "Cel"},
    {"celsius", "Cel"},     {"°F", "[degF]"},         {"degF", "[degF]"},
    {"F", "[degF]"},        {"fahrenheit", "[degF]"}, {"lb", "[lb_av]"},
    {"lbs", "[lb_av]"},     {"[lb_us]", "[lb_av]"},   {"oz", "[oz_av]"},
    {"in", "[in_i]"},       {"inch", "[in_i]"},       {"ft", "[ft_i]"},
    {"mmHg", "mm[Hg]"},     {"mm Hg", "mm[Hg]"},      {"cmH2O", "cm[H2O]"},
    {"bpm", "/min"},        {"1/min", "/min"},        {"min-1", "/min"},
    {"l/min", "L/min"},     {"ml/min", "mL/min"},     {"K/uL", "10*3/uL"},
    {"10^3/uL", "10*3/uL"}, {"x10^3/uL", "10*3/uL"},  {"10^9/L", "10*9/L"},
    {"mg/dl", "mg/dL"},     {"g/dl", "g/dL"},         {"mmol/l", "mmol/L"},
    {"umol/l", "umol/L"},   {"µmol/L", "umol/L"},     {"μmol/L", "umol/L"},
    {"percent", "%"},
});

struct Canonical {
  std::string_view code;
  std::string_view unit;
  double grams_per_mol;  // 0 when mass <-> molar conversion is not defined for the analyte
};

// The shared code table (BRIEF / docs/terminology.md) plus the analytes vigil converts.
constexpr std::array kCanonical = std::to_array<Canonical>({
    {"LOINC/8867-4", "/min", 0},     // heart rate
    {"LOINC/9279-1", "/min", 0},     // respiratory rate
    {"LOINC/59408-5", "%", 0},       // SpO2
    {"LOINC/2708-6", "%", 0},        // SaO2
    {"LOINC/8310-5", "Cel", 0},      // body temperature
    {"LOINC/8331-1", "Cel", 0},      // oral temperature
    {"LOINC/8480-6", "mm[Hg]", 0},   // systolic BP
    {"LOINC/8462-4", "mm[Hg]", 0},   // diastolic BP
    {"LOINC/8478-0", "mm[Hg]", 0},   // mean arterial pressure
    {"LOINC/3150-0", "%", 0},        // FiO2
    {"LOINC/3151-8", "L/min", 0},    // inhaled O2 flow rate
    {"LOINC/9269-2", "{score}", 0},  // Glasgow Coma Score total
    {"LOINC/2524-7", "mmol/L", kLactateGramsPerMol},
    {"LOINC/6690-2", "10*3/uL", 0},  // white cells
    {"LOINC/777-3", "10*3/uL", 0},   // platelets
    {"LOINC/2160-0", "mg/dL", kCreatinineGramsPerMol},
    {"LOINC/38483-4", "mg/dL", kCreatinineGramsPerMol},  // creatinine in blood
    {"LOINC/1975-2", "mg/dL", kBilirubinGramsPerMol},
    {"LOINC/2019-8", "mm[Hg]", 0},                   // PaCO2
    {"LOINC/2339-0", "mg/dL", kGlucoseGramsPerMol},  // glucose in blood
    {"LOINC/2345-7", "mg/dL", kGlucoseGramsPerMol},  // glucose in serum or plasma
    {"LOINC/17861-6", "mg/dL", kCalciumGramsPerMol},
    {"LOINC/49765-1", "mg/dL", kCalciumGramsPerMol},
    {"LOINC/3094-0", "mg/dL", kUreaNitrogenGramsPerMol},
    {"LOINC/6299-2", "mg/dL", kUreaNitrogenGramsPerMol},
    {"LOINC/2093-3", "mg/dL", kCholesterolGramsPerMol},
    {"LOINC/29463-7", "kg", 0},  // body weight
    {"LOINC/3141-9", "kg", 0},   // body weight measured
    {"LOINC/8302-2", "cm", 0},   // body height
});

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// UCUM annotations ({beats}, {score}) carry no dimension: "{beats}/min" is "/min", "{score}" is 1.
std::string StripAnnotations(std::string_view unit) {
  std::string out;
  int depth = 0;
  for (char c : unit) {
    if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (depth > 0) --depth;
    } else if (depth == 0) {
      out.push_back(c);
    }
  }
  return out;
}

const UnitDef* FindUnit(std::string_view given) {
  std::string_view unit = Trim(given);
  for (const auto& [alias, ucum] : kAliases) {
    if (alias == unit) {
      unit = ucum;
      break;
    }
  }
  const std::string stripped = StripAnnotations(unit);
  // A bare annotation such as {score} is dimensionless.
  const std::string_view key = stripped.empty() ? std::string_view("1") : stripped;
  for (const UnitDef& u : kUnits) {
    if (u.unit == key) return &u;
  }
  return nullptr;
}

const Canonical* FindCanonical(std::string_view code) {
  for (const Canonical& c : kCanonical) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

}  // namespace

std::optional<std::string_view> CanonicalUnit(std::string_view code) {
  const Canonical* c = FindCanonical(code);
  if (c == nullptr) return std::nullopt;
  return c->unit;
}

base::Result<Measurement> ToCanonical(std::string_view code, double value, std::string_view unit) {
  const Canonical* canonical = FindCanonical(code);
  if (canonical == nullptr) return Measurement{value, std::string(Trim(unit))};
  const UnitDef* to = FindUnit(canonical->unit);
  const UnitDef* from = FindUnit(unit);
  const auto fail = [&](std::string_view why) {
    return base::InvalidArgumentError(
        fmt::format("unit {} for {} (stored in {})", why, code, canonical->unit));
  };
  const bool is_score = canonical->unit == "{score}";
  // A score is dimensionless: "1", "{score}" and an empty unit are the same.
  if (Trim(unit).empty() && !is_score) return fail("missing");
  if (from == nullptr) return fail("unknown");
  const std::string out_unit(canonical->unit);
  if (is_score) {
    if (from->dimension != Dimension::kFraction || from->factor != 1)
      return fail("not convertible");
    return Measurement{value, out_unit};
  }
  if (from->dimension == to->dimension) {
    if (from->dimension == Dimension::kTemperature) {
      if (from->unit == to->unit) return Measurement{value, out_unit};
      // Only Cel and [degF] exist in this dimension.
      const double celsius = (value - kFahrenheitAtZeroCelsius) / kFahrenheitPerCelsius;
      return Measurement{
          to->unit == "Cel" ? celsius : value * kFahrenheitPerCelsius + kFahrenheitAtZeroCelsius,
          out_unit};
    }
    return Measurement{value * from->factor / to->factor, out_unit};
  }
  const double m = canonical->grams_per_mol;
  if (m > 0 && from->dimension == Dimension::kMolarConc && to->dimension == Dimension::kMassConc) {
    return Measurement{value * from->factor * m / to->factor, out_unit};
  }
  if (m > 0 && from->dimension == Dimension::kMassConc && to->dimension == Dimension::kMolarConc) {
    return Measurement{value * from->factor / m / to->factor, out_unit};
  }
  return fail("not convertible");
}

}  // namespace vigil::terminology
