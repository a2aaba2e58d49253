#include "vigil/terminology/display.h"

#include <algorithm>
#include <array>
#include <utility>

#include "vigil/terminology/code.h"

namespace vigil::terminology {
namespace {

using Entry = std::pair<std::string_view, std::string_view>;

// Sorted by code (a test checks), for binary search.
constexpr std::array kDisplays = std::to_array<Entry>({
    {"LOINC/10839-9", "Troponin I"},
    {"LOINC/1742-6", "ALT"},
    {"LOINC/1751-7", "Albumin"},
    {"LOINC/17861-6", "Calcium"},
    {"LOINC/19123-9", "Magnesium"},
    {"LOINC/1920-8", "AST"},
    {"LOINC/1925-7", "Base excess"},
    {"LOINC/1963-8", "Bicarbonate"},
    {"LOINC/1968-7", "Bilirubin (direct)"},
    {"LOINC/1975-2", "Bilirubin (total)"},
    {"LOINC/19891-1", "End-tidal CO2"},
    {"LOINC/2019-8", "PaCO2"},
    {"LOINC/2075-0", "Chloride"},
    {"LOINC/2093-3", "Cholesterol"},
    {"LOINC/2160-0", "Creatinine"},
    {"LOINC/2339-0", "Blood glucose"},
    {"LOINC/2345-7", "Glucose"},
    {"LOINC/2524-7", "Lactate"},
    {"LOINC/2703-7", "PaO2"},
    {"LOINC/2708-6", "Arterial O2 saturation (SaO2)"},
    {"LOINC/2744-1", "pH"},
    {"LOINC/2777-1", "Phosphate"},
    {"LOINC/2823-3", "Potassium"},
    {"LOINC/29463-7", "Weight"},
    {"LOINC/2951-2", "Sodium"},
    {"LOINC/30525-0", "Age"},
    {"LOINC/3094-0", "Urea nitrogen (BUN)"},
    {"LOINC/3141-9", "Weight (measured)"},
    {"LOINC/3150-0", "Inspired oxygen (FiO2)"},
    {"LOINC/3151-8", "Oxygen flow"},
    {"LOINC/3173-2", "Partial thromboplastin time"},
    {"LOINC/3255-7", "Fibrinogen"},
    {"LOINC/38483-4", "Blood creatinine"},
    {"LOINC/4544-3", "Haematocrit"},
    {"LOINC/49765-1", "Blood calcium"},
    {"LOINC/59408-5", "Oxygen saturation (SpO2)"},
    {"LOINC/6299-2", "Blood urea nitrogen"},
    {"LOINC/6598-7", "Troponin T"},
    {"LOINC/6690-2", "White cell count"},
    {"LOINC/6768-6", "Alkaline phosphatase"},
    {"LOINC/67775-7", "Consciousness (ACVPU)"},
    {"LOINC/718-7", "Haemoglobin"},
    {"LOINC/764-1", "Band neutrophils"},
    {"LOINC/777-3", "Platelets"},
    {"LOINC/8302-2", "Height"},
    {"LOINC/8310-5", "Temperature"},
    {"LOINC/8331-1", "Oral temperature"},
    {"LOINC/8462-4", "Diastolic blood pressure"},
    {"LOINC/8478-0", "Mean arterial pressure"},
    {"LOINC/8480-6", "Systolic blood pressure"},
    {"LOINC/8867-4", "Heart rate"},
    {"LOINC/9187-6", "Urine output"},
    {"LOINC/9269-2", "Glasgow Coma Score"},
    {"LOINC/9279-1", "Respiratory rate"},
    {"PHYSIONET2012/MechVent", "Mechanical ventilation"},
    {kCardiacArrest, "Cardiac arrest"},
    {kDeath, "Death"},
    {kHospitalDischarge, "Hospital discharge"},
    {kIcuAdmission, "ICU admission"},
    {kIcuDischarge, "ICU discharge"},
    {kSepsisOnset, "Sepsis onset"},
});

}  // namespace

std::string_view CodeDisplay(std::string_view code) {
  const auto it = std::lower_bound(kDisplays.begin(), kDisplays.end(), code,
                                   [](const Entry& e, std::string_view c) { return e.first < c; });
  return it != kDisplays.end() && it->first == code ? it->second : std::string_view();
}

std::string_view PreferredName(std::string_view code, std::string_view from_data) {
  const std::string_view own = CodeDisplay(code);
  return own.empty() ? from_data : own;
}

std::string_view CodeNames::Display(std::string_view code) const {
  const auto it = from_data_.find(code);
  return PreferredName(code, it == from_data_.end() ? std::string_view() : it->second);
}

namespace internal {
bool DisplayTableIsSorted() {
  return std::is_sorted(kDisplays.begin(), kDisplays.end(),
                        [](const Entry& a, const Entry& b) { return a.first < b.first; });
}
}  // namespace internal

}  // namespace vigil::terminology
