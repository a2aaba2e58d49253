// libFuzzer target for the FHIR reader: the input is read both as an NDJSON file and as a JSON
// document (Bundle or single resource). Bad input must become rejects, never a crash, and every
// part must keep the reader's contracts: counts balance, and every event names a patient and
// stay the store would accept.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "vigil/ingest/fhir_file.h"

namespace {

namespace fs = std::filesystem;
using vigil::ingest::fhir::Context;

void Check(bool ok) {
  if (!ok) std::abort();
}

void ReadAs(const fs::path& path, const uint8_t* data, size_t size) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  Context context;
  context.patients = {"p1", "example"};
  context.encounters = {"e1"};
  simdjson::ondemand::parser parser;
  const vigil::ingest::fhir::PartSink sink = {[&context](vigil::store::Batch part, int64_t) {
                                                Check(part.counts.Balanced());
                                                for (const auto& s : part.events.subjects())
                                                  Check(context.patients.count(s) > 0);
                                                for (const auto& s : part.events.stays())
                                                  Check(context.encounters.count(s) > 0);
                                                for (const auto& s : part.stays)
                                                  Check(context.patients.count(s.subject_id) > 0);
                                                return vigil::base::Status::Ok();
                                              },
                                              [] { return vigil::base::Status::Ok(); }};
  Check(vigil::ingest::fhir::ReadFile(path, context, parser, sink).ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("vigil_fhir_fuzz_" + std::to_string(getpid()));
    fs::create_directories(d);
    return d;
  }();
  ReadAs(dir / "in.ndjson", data, size);
  ReadAs(dir / "in.json", data, size);
  return 0;
}
