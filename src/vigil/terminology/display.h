// Short clinical names for the codes vigil's built-in tasks, scores and readers use, for people:
// the model report shows "Respiratory rate" where the feature matrix says LOINC/9279-1.
//
// The table covers the vital signs, blood gases and laboratory values of the PhysioNet readers and
// the scores (NEWS2, qSOFA, SIRS), the synthetic hospital's measurements, and vigil's own outcome
// codes. A code it does not name is shown with the name the data gave it (CodeNames), or as the
// code itself; nothing depends on a name being present. Immutable static data: thread-safe.
#ifndef VIGIL_TERMINOLOGY_DISPLAY_H_
#define VIGIL_TERMINOLOGY_DISPLAY_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace vigil::terminology {

// "LOINC/9279-1" -> "Respiratory rate"; empty for a code without a built-in name.
std::string_view CodeDisplay(std::string_view code);

// vigil's own short name for `code` when it has one, else `from_data` (the name the data gave the
// code; may be empty). The rule every reader of code names follows.
std::string_view PreferredName(std::string_view code, std::string_view from_data);

// Names for codes: vigil's own short name first (CodeDisplay), else the name the data gave the
// code (a FHIR coding's display, kept in the store: store::Store::CodeDisplays), else none.
// Read-only after construction: thread-safe.
class CodeNames {
 public:
  CodeNames() = default;  // vigil's own names only
  explicit CodeNames(std::map<std::string, std::string, std::less<>> from_data)
      : from_data_(std::move(from_data)) {}

  // Empty when the code has no name.
  std::string_view Display(std::string_view code) const;

 private:
  std::map<std::string, std::string, std::less<>> from_data_;
};

namespace internal {
// Whether the table is sorted by code, as the lookup needs (for the tests).
bool DisplayTableIsSorted();
}  // namespace internal

}  // namespace vigil::terminology

#endif  // VIGIL_TERMINOLOGY_DISPLAY_H_
