// Fuzzes task::ParseTaskSpec (task YAML files). Invariants: never crashes or throws; a spec that
// parses has a valid name and resolves into a task plan and a feature layout (with an empty code
// dictionary) without crashing; every error names the file.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vigil/features/layout.h"
#include "vigil/task/plan.h"
#include "vigil/task/spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto spec = vigil::task::ParseTaskSpec(text, "fuzz.yaml");
  if (!spec.ok()) {
    if (spec.status().message().rfind("fuzz.yaml", 0) != 0) std::abort();
    return 0;
  }
  if (spec->name.empty()) std::abort();
  const std::vector<vigil::store::CodeEntry> codes = {{1, "LOINC/8867-4", "/min"},
                                                      {2, "VIGIL/DEATH", ""}};
  const auto plan = vigil::task::TaskPlan::Create(*spec, codes);
  const auto layout = vigil::features::FeatureLayout::Create(*spec, codes, plan);
  (void)layout;
  return 0;
}
