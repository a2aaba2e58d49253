// The PhysioNet terminology: every PhysioNet/CinC Challenge 2012 parameter and every 2019
// measurement column mapped to a vigil code (LOINC where one exists, else PHYSIONET2012/<name> or
// PHYSIONET2019/<name>) and a UCUM unit, plus the physiological range table.
//
// The range table says which values are impossible in a living patient (or impossible by
// definition, such as a Glasgow Coma Score of 2). It is keyed by code in the canonical unit, so it
// applies to every source that stores that code. The PhysioNet 2012 reader rejects values outside
// it; the 2019 reader stores every well-formed cell (docs/ingest.md says why). docs/terminology.md
// documents the whole table with the source of each range; a test keeps the two in step.
//
// Everything here is immutable static data: thread-safe, owned by the module, valid for the life of
// the program.
#ifndef VIGIL_TERMINOLOGY_PHYSIONET_H_
#define VIGIL_TERMINOLOGY_PHYSIONET_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace vigil::terminology {

// Values outside [low, high] (inclusive, canonical unit) are impossible. `basis` is the source or
// the physiological argument, one line (docs/terminology.md has the full text).
struct PhysiologicalRange {
  std::string_view code;
  double low = 0;
  double high = 0;
  std::string_view basis;
};

// One PhysioNet variable: a 2012 parameter or a 2019 column.
struct PhysioNetVariable {
  std::string_view name;         // as the files spell it: "HR", "NISysABP", "Bilirubin_total"
  std::string_view code;         // "LOINC/8867-4", "PHYSIONET2012/MechVent"
  std::string_view unit;         // UCUM: the store's canonical unit for `code`
  double scale = 1;              // canonical value = file value x scale (FiO2: fraction -> %)
  std::string_view source_unit;  // the unit the challenge documents for this variable
};

// The 2012 time-series parameters (not the descriptors RecordID, Age, Gender, Height, ICUType,
// Weight at 00:00), in the challenge's order.
std::span<const PhysioNetVariable> PhysioNet2012Parameters();
// The 2012 parameter called `name` (case-sensitive, as in the files), or nullptr.
const PhysioNetVariable* FindPhysioNet2012Parameter(std::string_view name);

// The 34 measurement columns of a 2019 file, in file order.
std::span<const PhysioNetVariable> PhysioNet2019Columns();

// The whole range table, and the range for `code`, or nullptr when the code has none.
std::span<const PhysiologicalRange> PhysiologicalRanges();
const PhysiologicalRange* FindPhysiologicalRange(std::string_view code);

// True when `value` (canonical unit) lies in `range`.
inline bool InRange(const PhysiologicalRange& range, double value) {
  return value >= range.low && value <= range.high;
}
// The short, stable reject reason for a value outside `range`, e.g.
// "value out of range: HR outside [0, 600] /min". `name` is the variable as the source names it.
std::string RangeReason(std::string_view name, const PhysiologicalRange& range,
                        std::string_view unit);

// Codes of the stay descriptors and outcome scores (ranges in the table above).
inline constexpr std::string_view kAgeCode = "LOINC/30525-0";           // years
inline constexpr std::string_view kBodyHeightCode = "LOINC/8302-2";     // cm
inline constexpr std::string_view kBodyWeightCode = "LOINC/29463-7";    // kg
inline constexpr std::string_view kSapsICode = "PHYSIONET2012/SAPS-I";  // {score}
inline constexpr std::string_view kSofaCode = "PHYSIONET2012/SOFA";     // {score}

// PhysioNet 2012 ICUType 1-4 -> the unit name stored in stays.unit; nullopt for other values.
std::optional<std::string_view> PhysioNet2012IcuType(int icu_type);
// PhysioNet 2019 units: Unit1 = medical ICU, Unit2 = surgical ICU.
inline constexpr std::string_view kMedicalIcu = "MICU";
inline constexpr std::string_view kSurgicalIcu = "SICU";

}  // namespace vigil::terminology

#endif  // VIGIL_TERMINOLOGY_PHYSIONET_H_
