// libFuzzer target: the PhysioNet 2019 reader on arbitrary bytes. Checks that nothing crashes, the
// accounting balances, and every measurement event comes from a stored record.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "vigil/ingest/physionet2019.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::ingest::FileOutput out;
  out.path = "training/stay.psv";
  out.content.assign(reinterpret_cast<const char*>(data), size);
  vigil::ingest::ReadPhysioNet2019(out);
  const vigil::store::Batch& b = out.batch;
  Check(b.counts.Balanced());
  Check(static_cast<int64_t>(b.rejects.size()) == b.counts.rejected);
  int64_t measurements = 0;
  for (size_t i = 0; i < b.events.size(); ++i) {
    const vigil::store::Event e = b.events.Get(i);
    if (std::string_view(e.code).starts_with("VIGIL/")) continue;
    ++measurements;
    Check(e.numeric_value && std::isfinite(*e.numeric_value));
  }
  Check(measurements <= b.counts.stored);
  Check(b.stays.size() <= 1 && b.subjects.size() == b.stays.size());
  return 0;
}
