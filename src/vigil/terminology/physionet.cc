#include "vigil/terminology/physionet.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace vigil::terminology {
namespace {

// Units (UCUM).
constexpr std::string_view kPerMin = "/min";
constexpr std::string_view kMmHg = "mm[Hg]";
constexpr std::string_view kPercent = "%";
constexpr std::string_view kCelsius = "Cel";
constexpr std::string_view kMgDl = "mg/dL";
constexpr std::string_view kGDl = "g/dL";
constexpr std::string_view kMmolL = "mmol/L";
constexpr std::string_view kUL = "U/L";
constexpr std::string_view kUgL = "ug/L";
constexpr std::string_view kThousandPerUl = "10*3/uL";
constexpr std::string_view kScore = "{score}";
constexpr std::string_view kPh = "[pH]";

// FiO2: PhysioNet gives a fraction (0.21-1); the store keeps percent (21 = room air).
constexpr double kFractionToPercent = 100;

// Concentration bounds that only say "a concentration is not negative" and catch unit or typing
// errors; docs/terminology.md explains each upper bound.
constexpr std::string_view kConcentrationBasis =
    "a concentration cannot be negative; the upper bound only catches unit and typing errors";

constexpr std::array<PhysiologicalRange, 48> kRanges = {{
    // Vital signs and bedside measurements.
    {"LOINC/8867-4", 0, 600,
     "0 is asystole; 600/min is the fastest documented human rate (Chhabra et al., Indian Pacing "
     "Electrophysiol J 2012;12:32-35)"},
    {"LOINC/9279-1", 0, 200,
     "0 is apnoea; conventional and jet ventilation stay below 200/min, spontaneous breathing far "
     "below"},
    {"LOINC/59408-5", 0, 100, "a saturation is a percentage"},
    {"LOINC/2708-6", 0, 100, "a saturation is a percentage"},
    {"LOINC/8310-5", 10, 47,
     "lowest core temperature survived 13.7 Cel (Gilbert et al., Lancet 2000;355:375-376), highest "
     "46.5 Cel (Slovis et al., Ann Emerg Med 1982;11:269-271), with a margin"},
    {"LOINC/8480-6", 0, 500,
     "0 in circulatory arrest; the highest intra-arterial pressure measured is 480/350 mm[Hg] "
     "(MacDougall et al., J Appl Physiol 1985;58:785-790)"},
    {"LOINC/8462-4", 0, 500, "as systolic pressure"},
    {"LOINC/8478-0", 0, 500, "as systolic pressure"},
    {"LOINC/19891-1", 0, 713,
     "0 without exhaled CO2; a partial pressure cannot exceed barometric minus water vapour "
     "pressure (760 - 47 mm[Hg] at sea level)"},
    {"LOINC/3150-0", 20, 100,
     "room air is 20.9 %; ICUs give no hypoxic mixtures; a fraction cannot exceed 100 %"},
    {"LOINC/9269-2", 3, 15, "definition (Teasdale and Jennett, Lancet 1974;2:81-84)"},
    {"PHYSIONET2012/MechVent", 0, 1, "definition (0 false, 1 true)"},
    {"LOINC/9187-6", 0, 25000,
     "a volume cannot be negative; 25 L is above the largest daily urine volumes (diabetes "
     "insipidus, up to about 20 L/day)"},
    // Blood gases.
    {"LOINC/2744-1", 6.0, 8.0,
     "survival is reported at pH 6.33 (Opdahl, Crit Care Med 1997;25:1431-1436); 6.0-8.0 leaves a "
     "margin at both ends; 735 is 7.35 typed without its decimal point"},
    {"LOINC/2019-8", 5, 713,
     "even at 8,400 m PaCO2 stays above 10 mm[Hg] (Grocott et al., N Engl J Med 2009;360:140-149); "
     "a partial pressure cannot exceed 760 - 47 mm[Hg] at sea level"},
    {"LOINC/2703-7", 10, 713,
     "the lowest arterial PO2 measured in living people is 19.1 mm[Hg] (Grocott et al. 2009); a "
     "partial pressure cannot exceed 760 - 47 mm[Hg] at sea level (no hyperbaric care here)"},
    {"LOINC/1963-8", 0, 100, kConcentrationBasis},
    {"LOINC/1925-7", -100, 100, "base excess is signed; +-100 mmol/L is far beyond any survivor"},
    // Chemistry.
    {"LOINC/2524-7", 0, 50, kConcentrationBasis},
    {"LOINC/1751-7", 0, 10,
     "albumin cannot exceed total plasma protein (6-8 g/dL, at most about 12 g/dL in myeloma)"},
    {"LOINC/6768-6", 0, 50000, kConcentrationBasis},
    {"LOINC/1742-6", 0, 50000, kConcentrationBasis},
    {"LOINC/1920-8", 0, 50000, kConcentrationBasis},
    {"LOINC/1975-2", 0, 100, kConcentrationBasis},
    {"LOINC/1968-7", 0, 100, kConcentrationBasis},
    {"LOINC/3094-0", 0, 500, kConcentrationBasis},
    {"LOINC/2093-3", 0, 5000, kConcentrationBasis},
    {"LOINC/2160-0", 0, 100, kConcentrationBasis},
    {"LOINC/2345-7", 0, 3000,
     "the highest blood glucose survived is 2,656 mg/dL (Guinness World Records, 2008)"},
    {"LOINC/2823-3", 0, 20,
     "a concentration cannot be negative; hyperkalaemia stops the heart near 10 mmol/L, so 20 is "
     "a handling or typing error"},
    {"LOINC/19123-9", 0, 30, kConcentrationBasis},
    {"LOINC/2951-2", 0, 300, kConcentrationBasis},
    {"LOINC/17861-6", 0, 40, kConcentrationBasis},
    {"LOINC/2075-0", 0, 300, kConcentrationBasis},
    {"LOINC/2777-1", 0, 50, kConcentrationBasis},
    {"LOINC/10839-9", 0, 10000, kConcentrationBasis},
    {"LOINC/6598-7", 0, 10000, kConcentrationBasis},
    // Haematology and coagulation.
    {"LOINC/4544-3", 0, 100, "a volume fraction is a percentage"},
    {"LOINC/718-7", 0, 36,
     "haemoglobin cannot exceed the red-cell haemoglobin concentration (at most 36 g/dL) at a "
     "haematocrit of 100 %"},
    {"LOINC/6690-2", 0, 2000, "a count cannot be negative; the upper bound catches unit errors"},
    {"LOINC/777-3", 0, 10000, "a count cannot be negative; the upper bound catches unit errors"},
    {"LOINC/3173-2", 0, 1000, "a clotting time cannot be negative; analysers stop far earlier"},
    {"LOINC/3255-7", 0, 5000, kConcentrationBasis},
    // Stay descriptors and outcome scores.
    {kAgeCode, 0, 125, "the oldest verified human lived 122 years (Guinness World Records)"},
    {kBodyHeightCode, 20, 275,
     "newborns measure at least about 20 cm; the tallest human measured 272 cm (Guinness World "
     "Records)"},
    {kBodyWeightCode, 0.2, 650,
     "the smallest surviving newborns weigh about 0.25 kg; the heaviest human weighed about "
     "635 kg (Guinness World Records); 0 means 'not weighed', not a weight"},
    {kSapsICode, 0, 56,
     "definition: 14 variables scored 0-4 (Le Gall et al., Crit Care Med 1984;12:975-977)"},
    {kSofaCode, 0, 24,
     "definition: 6 organ systems scored 0-4 (Vincent et al., Intensive Care Med 1996;22:707-710)"},
}};

constexpr std::array<PhysioNetVariable, 37> k2012 = {{
    {"Albumin", "LOINC/1751-7", kGDl, 1, "g/dL"},
    {"ALP", "LOINC/6768-6", kUL, 1, "IU/L"},
    {"ALT", "LOINC/1742-6", kUL, 1, "IU/L"},
    {"AST", "LOINC/1920-8", kUL, 1, "IU/L"},
    {"Bilirubin", "LOINC/1975-2", kMgDl, 1, "mg/dL"},
    {"BUN", "LOINC/3094-0", kMgDl, 1, "mg/dL"},
    {"Cholesterol", "LOINC/2093-3", kMgDl, 1, "mg/dL"},
    {"Creatinine", "LOINC/2160-0", kMgDl, 1, "mg/dL"},
    {"DiasABP", "LOINC/8462-4", kMmHg, 1, "mmHg (invasive)"},
    {"FiO2", "LOINC/3150-0", kPercent, kFractionToPercent, "fraction 0-1"},
    {"GCS", "LOINC/9269-2", kScore, 1, "3-15"},
    {"Glucose", "LOINC/2345-7", kMgDl, 1, "mg/dL"},
    {"HCO3", "LOINC/1963-8", kMmolL, 1, "mmol/L"},
    {"HCT", "LOINC/4544-3", kPercent, 1, "%"},
    {"HR", "LOINC/8867-4", kPerMin, 1, "bpm"},
    {"K", "LOINC/2823-3", kMmolL, 1, "mEq/L"},
    {"Lactate", "LOINC/2524-7", kMmolL, 1, "mmol/L"},
    {"Mg", "LOINC/19123-9", kMgDl, 1, "mmol/L (documented; the values are mg/dL)"},
    {"MAP", "LOINC/8478-0", kMmHg, 1, "mmHg (invasive)"},
    {"MechVent", "PHYSIONET2012/MechVent", "1", 1, "0/1"},
    {"Na", "LOINC/2951-2", kMmolL, 1, "mEq/L"},
    {"NIDiasABP", "LOINC/8462-4", kMmHg, 1, "mmHg (non-invasive)"},
    {"NIMAP", "LOINC/8478-0", kMmHg, 1, "mmHg (non-invasive)"},
    {"NISysABP", "LOINC/8480-6", kMmHg, 1, "mmHg (non-invasive)"},
    {"PaCO2", "LOINC/2019-8", kMmHg, 1, "mmHg"},
    {"PaO2", "LOINC/2703-7", kMmHg, 1, "mmHg"},
    {"pH", "LOINC/2744-1", kPh, 1, "0-14"},
    {"Platelets", "LOINC/777-3", kThousandPerUl, 1, "cells/nL"},
    {"RespRate", "LOINC/9279-1", kPerMin, 1, "bpm"},
    {"SaO2", "LOINC/2708-6", kPercent, 1, "%"},
    {"SysABP", "LOINC/8480-6", kMmHg, 1, "mmHg (invasive)"},
    {"Temp", "LOINC/8310-5", kCelsius, 1, "degrees C"},
    {"TroponinI", "LOINC/10839-9", kUgL, 1, "ug/L"},
    {"TroponinT", "LOINC/6598-7", kUgL, 1, "ug/L"},
    {"Urine", "LOINC/9187-6", "mL", 1, "mL"},
    {"WBC", "LOINC/6690-2", kThousandPerUl, 1, "cells/nL"},
    {"Weight", kBodyWeightCode, "kg", 1, "kg"},
}};

constexpr std::array<PhysioNetVariable, 34> k2019 = {{
    {"HR", "LOINC/8867-4", kPerMin, 1, "beats per minute"},
    {"O2Sat", "LOINC/59408-5", kPercent, 1, "% (pulse oximetry)"},
    {"Temp", "LOINC/8310-5", kCelsius, 1, "deg C"},
    {"SBP", "LOINC/8480-6", kMmHg, 1, "mm Hg"},
    {"MAP", "LOINC/8478-0", kMmHg, 1, "mm Hg"},
    {"DBP", "LOINC/8462-4", kMmHg, 1, "mm Hg"},
    {"Resp", "LOINC/9279-1", kPerMin, 1, "breaths per minute"},
    {"EtCO2", "LOINC/19891-1", kMmHg, 1, "mm Hg"},
    {"BaseExcess", "LOINC/1925-7", kMmolL, 1, "mmol/L"},
    {"HCO3", "LOINC/1963-8", kMmolL, 1, "mmol/L"},
    {"FiO2", "LOINC/3150-0", kPercent, kFractionToPercent,
     "% (documented; the values are fractions)"},
    {"pH", "LOINC/2744-1", kPh, 1, "N/A"},
    {"PaCO2", "LOINC/2019-8", kMmHg, 1, "mm Hg"},
    {"SaO2", "LOINC/2708-6", kPercent, 1, "% (arterial blood)"},
    {"AST", "LOINC/1920-8", kUL, 1, "IU/L"},
    {"BUN", "LOINC/3094-0", kMgDl, 1, "mg/dL"},
    {"Alkalinephos", "LOINC/6768-6", kUL, 1, "IU/L"},
    {"Calcium", "LOINC/17861-6", kMgDl, 1, "mg/dL"},
    {"Chloride", "LOINC/2075-0", kMmolL, 1, "mmol/L"},
    {"Creatinine", "LOINC/2160-0", kMgDl, 1, "mg/dL"},
    {"Bilirubin_direct", "LOINC/1968-7", kMgDl, 1, "mg/dL"},
    {"Glucose", "LOINC/2345-7", kMgDl, 1, "mg/dL"},
    {"Lactate", "LOINC/2524-7", kMmolL, 1, "mg/dL (documented; the values are mmol/L)"},
    {"Magnesium", "LOINC/19123-9", kMgDl, 1, "mmol/dL (documented; the values are mg/dL)"},
    {"Phosphate", "LOINC/2777-1", kMgDl, 1, "mg/dL"},
    {"Potassium", "LOINC/2823-3", kMmolL, 1, "mmol/L"},
    {"Bilirubin_total", "LOINC/1975-2", kMgDl, 1, "mg/dL"},
    {"TroponinI", "LOINC/10839-9", kUgL, 1, "ng/mL"},
    {"Hct", "LOINC/4544-3", kPercent, 1, "%"},
    {"Hgb", "LOINC/718-7", kGDl, 1, "g/dL"},
    {"PTT", "LOINC/3173-2", "s", 1, "seconds"},
    {"WBC", "LOINC/6690-2", kThousandPerUl, 1, "count x 10^3/uL"},
    {"Fibrinogen", "LOINC/3255-7", kMgDl, 1, "mg/dL"},
    {"Platelets", "LOINC/777-3", kThousandPerUl, 1, "count x 10^3/uL"},
}};

// "600", "0.2", "-100": the shortest text that reads back as the bound.
std::string FormatBound(double v) { return fmt::format("{}", v); }

}  // namespace

std::span<const PhysioNetVariable> PhysioNet2012Parameters() { return k2012; }

const PhysioNetVariable* FindPhysioNet2012Parameter(std::string_view name) {
  for (const PhysioNetVariable& v : k2012) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

std::span<const PhysioNetVariable> PhysioNet2019Columns() { return k2019; }

std::span<const PhysiologicalRange> PhysiologicalRanges() { return kRanges; }

const PhysiologicalRange* FindPhysiologicalRange(std::string_view code) {
  for (const PhysiologicalRange& r : kRanges) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

std::string RangeReason(std::string_view name, const PhysiologicalRange& range,
                        std::string_view unit) {
  return fmt::format("value out of range: {} outside [{}, {}]{}{}", name, FormatBound(range.low),
                     FormatBound(range.high), unit.empty() ? "" : " ", unit);
}

std::optional<std::string_view> PhysioNet2012IcuType(int icu_type) {
  // Silva et al., CinC 2012: 1 Coronary Care Unit, 2 Cardiac Surgery Recovery Unit, 3 Medical
  // ICU, 4 Surgical ICU.
  static constexpr std::array<std::string_view, 4> kUnits = {"CCU", "CSRU", "MICU", "SICU"};
  if (icu_type < 1 || icu_type > static_cast<int>(kUnits.size())) return std::nullopt;
  return kUnits[static_cast<size_t>(icu_type - 1)];
}

}  // namespace vigil::terminology
