// The input formats `vigil ingest --format NAME` knows. Each reader registers itself here, in one
// table.
#ifndef VIGIL_INGEST_FORMATS_H_
#define VIGIL_INGEST_FORMATS_H_

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/ingest/session.h"
#include "vigil/store/store.h"

namespace vigil::ingest {

struct IngestRequest {
  std::vector<std::filesystem::path> inputs;    // files or folders
  std::vector<std::filesystem::path> outcomes;  // --outcomes files (formats that take them)
  std::string arguments;                        // the command line, recorded in the run
  ProgressFn progress;
  size_t commit_events = 0;  // events per transaction; 0: the session's default (tests use small)
};

struct Format {
  std::string name;         // e.g. "physionet2019"
  std::string description;  // one line for --help
  bool takes_outcomes;      // whether --outcomes files mean anything to it
  // Ingests `request` into the store being opened (a reader may start on its files meanwhile).
  std::function<base::Result<store::RunSummary>(store::OpeningStore&, const IngestRequest&)> run;
};

// Every known format, in the order --help lists them.
const std::vector<Format>& Formats();
// The format called `name`, or nullptr.
const Format* FindFormat(const std::string& name);

}  // namespace vigil::ingest

#endif  // VIGIL_INGEST_FORMATS_H_
