// Fuzzes evaluate::EvaluationFromJsonText (model registry metrics files). Invariants: never
// crashes; a document that reads back writes out again and reads back to the same text.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "vigil/evaluate/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto ev = vigil::evaluate::EvaluationFromJsonText(text);
  if (!ev.ok()) return 0;
  const std::string once = vigil::evaluate::EvaluationToJsonText(*ev);
  const auto again = vigil::evaluate::EvaluationFromJsonText(once);
  if (!again.ok() || vigil::evaluate::EvaluationToJsonText(*again) != once) std::abort();
  return 0;
}
