#include "vigil/ingest/fhir_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "vigil/base/file.h"
#include "vigil/ingest/fhir_file.h"
#include "vigil/ingest/fhir_input.h"
#include "vigil/ingest/fhir_mapping.h"
#include "vigil/ingest/session.h"

namespace vigil::ingest {
namespace fs = std::filesystem;
using base::Result;
using base::Status;

namespace {

int FileRank(const fs::path& path) {
  std::string name = path.filename().string();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (name.starts_with("patient")) return 0;
  if (name.starts_with("encounter")) return 1;
  return 2;
}

// How a file is read: as NDJSON (a resource per line) or as one JSON document.
std::string Reading(const fs::path& path) {
  return fhir::IsNdjson(path) ? "fhir/ndjson" : "fhir/json";
}

Result<fhir::Context> LoadContext(store::Store& store) {
  fhir::Context context;
  VIGIL_ASSIGN_OR_RETURN(context.patients, store.SubjectIds());
  VIGIL_ASSIGN_OR_RETURN(context.encounters, store.StayIds());
  VIGIL_RETURN_IF_ERROR(store.ForEachRecordVersion(
      [&context](store::RecordVersion& v) { context.versions.Add(v, /*from_this_run=*/false); }));
  return context;
}

Status IngestAll(store::Store& store, IngestSession& session, const std::vector<fs::path>& files,
                 fhir::HashAhead& hashes, size_t commit_events) {
  VIGIL_ASSIGN_OR_RETURN(fhir::Context context, LoadContext(store));
  simdjson::ondemand::parser parser;
  for (size_t i = 0; i < files.size(); ++i) {
    Result<std::string> hashed = hashes.Get(i);
    const std::string reading = Reading(files[i]);
    if (!hashed.ok()) {  // unreadable: one rejected record, and the run goes on
      store::Batch part;
      AddReject(part, files[i], "file", UnreadableReason(hashed.status()), "");
      VIGIL_RETURN_IF_ERROR(session.AddPart(std::move(part), 0));
      VIGIL_RETURN_IF_ERROR(session.EndFile(files[i], "", reading));
      continue;
    }
    const std::string sha256 = std::move(hashed).value();
    if (session.AlreadyIngested(sha256, reading)) {
      std::error_code ec;
      session.CountUnchanged(static_cast<int64_t>(fs::file_size(files[i], ec)));
      continue;
    }
    const fhir::PartSink sink = {[&session](store::Batch part, int64_t bytes) {
                                   return session.AddPart(std::move(part), bytes);
                                 },
                                 [&session] { return session.WritePending(); }, commit_events,
                                 [&store, &session](const std::vector<std::string>& sources)
                                     -> Result<std::vector<store::RecordVersion>> {
                                   // The store is the session writer's until it is done.
                                   VIGIL_RETURN_IF_ERROR(session.Sync());
                                   return store.RecordVersionsOf(sources);
                                 }};
    VIGIL_RETURN_IF_ERROR(fhir::ReadFile(files[i], context, parser, sink));
    VIGIL_RETURN_IF_ERROR(session.EndFile(files[i], sha256, reading));
  }
  return Status::Ok();
}

}  // namespace

Result<store::RunSummary> IngestFhir(store::Store& store, const IngestRequest& request,
                                     const FhirOptions& options) {
  store::OpeningStore open(store);
  return IngestFhir(open, request, options);
}

Result<store::RunSummary> IngestFhir(store::OpeningStore& opening, const IngestRequest& request,
                                     const FhirOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(
      std::vector<fs::path> files,
      base::ListInputFiles(request.inputs, {".json", ".ndjson", ".json.gz", ".ndjson.gz"}));
  std::stable_sort(files.begin(), files.end(),
                   [](const fs::path& a, const fs::path& b) { return FileRank(a) < FileRank(b); });
  // The files are hashed (to skip those already ingested) while the store is being opened.
  fhir::HashAhead hashes(files);
  VIGIL_ASSIGN_OR_RETURN(store::Store * store, opening.Get());
  SessionOptions session_options;
  session_options.commit_events = options.commit_events;
  session_options.replace_stays = true;  // FHIR versions decide what replaces what
  session_options.progress = request.progress;
  // The reader is one thread: each finished file is written while the next one is read.
  session_options.background_writes = true;
  VIGIL_ASSIGN_OR_RETURN(auto session,
                         IngestSession::Start(*store, "fhir", request.arguments,
                                              static_cast<int64_t>(files.size()), session_options));
  Status s = IngestAll(*store, *session, files, hashes, options.commit_events);
  if (!s.ok()) {
    (void)session->Finish(/*failed=*/true);
    return s;
  }
  return session->Finish();
}

}  // namespace vigil::ingest
