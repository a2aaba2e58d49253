// libFuzzer target: the PhysioNet 2012 readers (record files, and outcomes files when the input
// starts with the outcomes header) on arbitrary bytes. Checks that nothing crashes, the accounting
// balances, and no stored measurement lies outside the physiological range table.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <unordered_set>

#include "vigil/ingest/physionet2012.h"
#include "vigil/terminology/physionet.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckBatch(const vigil::store::Batch& b) {
  Check(b.counts.Balanced());
  Check(b.counts.records_in >= 0 && b.counts.stored >= 0 && b.counts.skipped >= 0);
  Check(static_cast<int64_t>(b.rejects.size()) == b.counts.rejected);
  for (size_t i = 0; i < b.events.size(); ++i) {
    const vigil::store::Event e = b.events.Get(i);
    if (!e.numeric_value) continue;
    Check(std::isfinite(*e.numeric_value));
    const auto* range = vigil::terminology::FindPhysiologicalRange(e.code);
    Check(range == nullptr || vigil::terminology::InRange(*range, *e.numeric_value));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::ingest::FileOutput out;
  out.path = "set-a/132539.txt";
  out.content.assign(reinterpret_cast<const char*>(data), size);
  if (out.content.starts_with("RecordID,SAPS-I")) {
    std::unordered_set<std::string> with_outcome = {"2"};
    vigil::ingest::OutcomeStays stays;
    stays.known = [](const std::string& id) { return id.size() <= 6; };
    stays.with_outcome = &with_outcome;
    vigil::ingest::ReadPhysioNet2012Outcomes(out, stays);
  } else {
    vigil::ingest::ReadPhysioNet2012(out);
  }
  CheckBatch(out.batch);
  return 0;
}
