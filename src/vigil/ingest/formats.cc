#include "vigil/ingest/formats.h"

#include "vigil/ingest/fhir_reader.h"
#include "vigil/ingest/physionet2012.h"
#include "vigil/ingest/physionet2019.h"

namespace vigil::ingest {

const std::vector<Format>& Formats() {
  // One entry per reader; each reader's header declares the function named here.
  static const std::vector<Format> kFormats = {
      {"fhir", "FHIR R4 Bundles and resources (.json), Bulk Data NDJSON (.ndjson), gzip of either",
       /*takes_outcomes=*/false,
       [](store::OpeningStore& s, const IngestRequest& r) { return IngestFhir(s, r); }},
      {"physionet2012",
       "PhysioNet 2012 record files (*.txt); outcomes with --outcomes Outcomes-a.txt",
       /*takes_outcomes=*/true, IngestPhysioNet2012},
      {"physionet2019", "PhysioNet 2019 hourly files (*.psv)", /*takes_outcomes=*/false,
       IngestPhysioNet2019},
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
