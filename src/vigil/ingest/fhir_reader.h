// `vigil ingest --format fhir`: FHIR R4 Bundles (.json), single resources (.json), Bulk Data
// NDJSON (.ndjson), and gzip of either (.gz), into the patient store. docs/fhir.md describes the
// mapping, the order files are read in, updates, and the reject reasons.
//
// Memory: an NDJSON file is streamed line by line and written in parts inside one transaction
// (IngestSession::AddPart), so the reader's memory is bounded by the longest line plus one commit
// group plus 8-16 bytes per resource (fhir_versions.h); DuckDB's state for the open transaction
// still grows with the file (about 140 bytes per resource, docs/decisions.md D11). A .json file is
// one JSON document and is held whole while it is read.
#ifndef VIGIL_INGEST_FHIR_READER_H_
#define VIGIL_INGEST_FHIR_READER_H_

#include <cstddef>

#include "vigil/base/status.h"
#include "vigil/ingest/formats.h"
#include "vigil/store/store.h"

namespace vigil::ingest {

struct FhirOptions {
  // Events pending before the session writes a commit group (for tests: small values exercise
  // multi-part files). 250,000 rather than 1 million: a 2 GB NDJSON file peaked at 1.07 GB of
  // resident memory with groups of a million, 0.75 GB with this, for the same CPU time
  // (docs/decisions.md D11).
  size_t commit_events = 250'000;
};

// Ingests every .json, .ndjson, .json.gz and .ndjson.gz file under `request.inputs`. Files whose
// name starts with Patient are read first, then Encounter, then the rest (each group by path).
// The files are listed and hashing starts while `opening` opens the store.
base::Result<store::RunSummary> IngestFhir(store::OpeningStore& opening,
                                           const IngestRequest& request,
                                           const FhirOptions& options = {});
base::Result<store::RunSummary> IngestFhir(store::Store& store, const IngestRequest& request,
                                           const FhirOptions& options = {});

}  // namespace vigil::ingest

#endif  // VIGIL_INGEST_FHIR_READER_H_
