// vigil ingest --store S --format F PATH... [--outcomes FILE...]
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

#include "vigil/base/file.h"
#include "vigil/base/text.h"
#include "vigil/cli/command.h"
#include "vigil/cli/progress.h"
#include "vigil/ingest/formats.h"

namespace vigil::cli {
namespace {

struct IngestFlags {
  std::string store = "vigil.duckdb";
  std::string format;
  std::vector<std::string> inputs;
  std::vector<std::string> outcomes;
  size_t commit_events = 0;
};

std::string FormatList() {
  std::string out;
  for (const auto& f : ingest::Formats())
    out += fmt::format("\n  {:<14} {}", f.name, f.description);
  return out;
}

void PrintSummary(const store::RunSummary& run, double seconds, const std::string& reject_file,
                  const std::vector<store::Reject>& rejects) {
  const auto& c = run.counts;
  std::printf("vigil ingest: %s, run %lld, %s in %.2f s\n", run.format.c_str(),
              static_cast<long long>(run.run_id), run.status.c_str(), seconds);
  std::printf("  files     %s named, %s ingested, %s unchanged (already in the store)\n",
              base::WithThousands(run.files_in).c_str(),
              base::WithThousands(run.files_ingested).c_str(),
              base::WithThousands(run.files_unchanged).c_str());
  std::printf("  records   %s in = %s stored + %s rejected + %s skipped\n",
              base::WithThousands(c.records_in).c_str(), base::WithThousands(c.stored).c_str(),
              base::WithThousands(c.rejected).c_str(), base::WithThousands(c.skipped).c_str());
  for (const auto& s : run.skips) {
    std::printf("  skipped   %s %s\n", base::WithThousands(s.count).c_str(), s.reason.c_str());
  }
  std::map<std::string, int64_t> counted;
  for (const auto& r : rejects) ++counted[r.reason];
  std::vector<std::pair<std::string, int64_t>> reasons(counted.begin(), counted.end());
  std::stable_sort(reasons.begin(), reasons.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [reason, n] : reasons) {
    std::printf("  rejected  %s %s\n", base::WithThousands(n).c_str(), reason.c_str());
  }
  if (c.rejected > 0)
    std::printf("  rejects   kept with file and location in %s\n", reject_file.c_str());
  if (seconds > 0 && c.stored > 0) {
    std::printf("  speed     %.2f million stored values/s\n",
                static_cast<double>(c.stored) / seconds / 1e6);
  }
}

int Run(const IngestFlags& flags, const GlobalOptions& global, const std::string& command_line) {
  const ingest::Format* format = ingest::FindFormat(flags.format);
  if (format == nullptr) {
    return ReportError(base::InvalidArgumentError(fmt::format(
                           "unknown format '{}'; known formats:{}", flags.format, FormatList())),
                       /*usage=*/true);
  }
  // Usage errors and mistyped paths fail before the store is opened, so they leave no new, empty
  // store behind.
  if (!flags.outcomes.empty() && !format->takes_outcomes) {
    std::string takers;
    for (const auto& f : ingest::Formats()) {
      if (f.takes_outcomes) takers += (takers.empty() ? "" : ", ") + f.name;
    }
    return ReportError(
        base::InvalidArgumentError(fmt::format("--outcomes is only for --format {}", takers)),
        /*usage=*/true);
  }
  if (flags.inputs.empty() && flags.outcomes.empty()) {
    return ReportError(base::InvalidArgumentError("give the files or folders to ingest"),
                       /*usage=*/true);
  }
  ingest::IngestRequest request;
  for (const auto& p : flags.inputs) request.inputs.emplace_back(p);
  for (const auto& p : flags.outcomes) request.outcomes.emplace_back(p);
  // The readers' own path checks, made here before the store is opened.
  if (auto s = base::CheckInputPaths(request.outcomes, /*files_only=*/true); !s.ok()) {
    return ReportError(s);
  }
  if (auto s = base::CheckInputPaths(request.inputs); !s.ok()) return ReportError(s);
  // Opened on a thread of its own while the reader lists and parses the input.
  store::OpeningStore opening(flags.store, store::Store::Mode::kReadWrite);

  TerminalProgress progress(global.verbosity > 0);
  request.arguments = command_line;
  request.commit_events = flags.commit_events;
  request.progress = [&progress](const ingest::Progress& p) {
    if (!progress.Due()) return;
    progress.Update(fmt::format(
        "ingest: {}/{} files, {:.1f} MB, {} stored, {} rejected", base::WithThousands(p.files_done),
        base::WithThousands(p.files_total), static_cast<double>(p.bytes_done) / 1e6,
        base::WithThousands(p.counts.stored), base::WithThousands(p.counts.rejected)));
  };
  auto run = format->run(opening, request);
  progress.Done();
  // A format refusing its arguments (--outcomes where it takes none) is a usage error.
  if (!run.ok()) {
    return ReportError(run.status(),
                       /*usage=*/run.status().code() == base::StatusCode::kInvalidArgument);
  }
  if (run->files_in == 0) {
    spdlog::warn("no input file of format {} was found under the paths given ({})", format->name,
                 format->description);
  }
  store::Store* store = *opening.Get();  // open: the run succeeded
  auto rejects = store->GetRejects(run->run_id);
  if (!rejects.ok()) return ReportError(rejects.status());
  if (global.verbosity > 0) {
    PrintSummary(*run, progress.Elapsed(), store->RejectFilePath().string(), *rejects);
  }
  return run->counts.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace

void AddIngestCommand(CLI::App& app, const GlobalOptions& global, const std::string& command_line,
                      int& exit_code) {
  auto flags = std::make_shared<IngestFlags>();
  CLI::App* sub = app.add_subcommand(
      "ingest",
      "Load health records into the patient store, checking every record. Rejected records are "
      "kept "
      "with file, location and reason in the store's rejects table and in <store>.rejects.ndjson; "
      "files already ingested are skipped. Exit status 3 when records were rejected." +
          FormatList());
  sub->add_option("--store", flags->store, "The store (a DuckDB file; created when missing)")
      ->capture_default_str();
  sub->add_option("--format", flags->format, "Input format (see above)")->required();
  sub->add_option("--outcomes", flags->outcomes, "Outcome files (physionet2012: Outcomes-a.txt)");
  sub->add_option("inputs", flags->inputs,
                  "Files or folders to ingest (none with --outcomes: outcomes for stays already "
                  "in the store)");
  // Hidden: events per transaction (tests make it small to commit often).
  sub->add_option("--commit-events", flags->commit_events)->group("");
  sub->callback([flags, &global, command_line, &exit_code] {
    exit_code = Run(*flags, global, command_line);
  });
}

}  // namespace vigil::cli
