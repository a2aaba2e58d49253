// Feature column names for people: "LOINC/8867-4.max.6h" -> "Heart rate, highest over 6 h".
//
// The model report shows these where a data scientist's table would show the column names
// (docs/features.md lists the names this reads). Codes get their short clinical name from
// terminology::CodeNames (vigil's own, else the data's), and stay as codes when it has none
// ("SNOMED/91302008, hours since last recorded"). A name that follows none of the patterns comes
// back unchanged. Pure function: thread-safe.
#ifndef VIGIL_FEATURES_DISPLAY_NAME_H_
#define VIGIL_FEATURES_DISPLAY_NAME_H_

#include <string>
#include <string_view>

#include "vigil/terminology/display.h"

namespace vigil::features {

// `names` gives the codes their names (vigil's own, else those the data gave: the store's
// CodeDisplays); the one-argument form uses vigil's own only.
std::string FeatureDisplayName(std::string_view column, const terminology::CodeNames& names);
std::string FeatureDisplayName(std::string_view column);

}  // namespace vigil::features

#endif  // VIGIL_FEATURES_DISPLAY_NAME_H_
