// Reads one FHIR input file (a Bundle or single resource in .json, or Bulk Data .ndjson; gzip of
// either) into batches, resource by resource: each is stored (its rows committed to the current
// part), skipped or rejected (with its location: "line N", "entry N", "resource" or "file").
// Internal to the FHIR reader; the fuzz target drives it directly.
#ifndef VIGIL_INGEST_FHIR_FILE_H_
#define VIGIL_INGEST_FHIR_FILE_H_

#include <simdjson.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/ingest/fhir_mapping.h"
#include "vigil/store/store.h"

namespace vigil::ingest::fhir {

// Where a file's parts go (the ingest session).
struct PartSink {
  // Takes a part: its rows, rejects, skips and counts, and `bytes` of the file read for it.
  std::function<base::Status(store::Batch part, int64_t bytes)> add_part;
  // Writes what was handed over so far (a later part replaces some of its rows).
  std::function<base::Status()> write_pending;
  // A part is handed over once it holds this many events or records, bounding what the reader
  // holds between hand-overs. Parts as large as the session's commit groups avoid re-interning.
  size_t part_events = 1 << 20;
  // The stored versions of `sources` (those the store has), for resources the version index only
  // may know (VersionIndex kMaybe); called after write_pending, so it sees every resource handed
  // over before. Empty: the store holds none.
  std::function<base::Result<std::vector<store::RecordVersion>>(const std::vector<std::string>&)>
      lookup_versions = {};
};

// True for the files read as NDJSON (.ndjson, .ndjson.gz).
bool IsNdjson(const std::filesystem::path& path);

// Reads `path` (.ndjson / .ndjson.gz streamed by line, anything else as one JSON document) with
// `parser`, updating `context` as resources are stored. Errors are I/O or sink errors only: bad
// records become rejects.
base::Status ReadFile(const std::filesystem::path& path, Context& context,
                      simdjson::ondemand::parser& parser, const PartSink& sink);

}  // namespace vigil::ingest::fhir

#endif  // VIGIL_INGEST_FHIR_FILE_H_
