#include "vigil/ingest/formats.h"

#include "vigil/ingest/fhir_reader.h"

namespace vigil::ingest {

const std::vector<Format>& Formats() {
  // One entry per reader; each reader's header declares the function named here.
  static const std::vector<Format> kFormats = {
      {"fhir", "FHIR R4 Bundles and resources (.json), Bulk Data NDJSON (.ndjson), gzip of either",
       [](store::Store& s, const IngestRequest& r) { return IngestFhir(s, r); }},
  };
  return kFormats;
}

const Format* FindFormat(const std::string& name) {
  for (const Format& f : Formats()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace vigil::ingest
