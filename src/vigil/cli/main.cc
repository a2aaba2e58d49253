// vigil: the command-line entry point. Subcommands live in *_command.cc.
#include <duckdb.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <functional>

#include "vigil/base/logging.h"
#include "vigil/base/memory.h"
#include "vigil/base/version.h"
#include "vigil/cli/command.h"

namespace {

// Ctrl-C or a termination request: say what becomes of the work, then end as the signal would
// (status 128 + signal). Only async-signal-safe calls here. Whatever was committed stays; files and
// models are written whole or not at all, and an ingest is completed by running it again.
extern "C" void OnInterrupt(int signal) {
  constexpr char kMessage[] =
      "\nvigil: interrupted; what was committed is kept (run an interrupted ingest again to "
      "complete it)\n";
  (void)!::write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
  ::_exit(128 + signal);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vigil;
  base::ReserveThreadHeaps();
  struct sigaction interrupt {};
  interrupt.sa_handler = OnInterrupt;
  sigemptyset(&interrupt.sa_mask);
  ::sigaction(SIGINT, &interrupt, nullptr);
  ::sigaction(SIGTERM, &interrupt, nullptr);
  CLI::App app{
      "vigil: a clinical machine-learning engine (ingest, store, tasks, features, models, "
      "evaluation)",
      "vigil"};
  app.set_version_flag(
      "--version", fmt::format("vigil {} (DuckDB {})", base::Version(), duckdb_library_version()));
  app.require_subcommand(1);
  app.fallthrough();

  cli::GlobalOptions global;
  bool quiet = false;
  bool verbose = false;
  app.add_flag("-q,--quiet", quiet, "Only warnings and errors; no progress display");
  app.add_flag("-v,--verbose", verbose, "Debug logging");
  app.parse_complete_callback([&] {
    // Before any command runs: an empty value (`--store ""`) names no file and means no number;
    // taken as given it wrote a store nobody could find, or quietly meant the default.
    std::function<void(const CLI::App*)> refuse_empty = [&](const CLI::App* a) {
      for (const CLI::Option* o : a->get_options()) {
        for (const std::string& value : o->results()) {
          if (value.empty())
            throw CLI::ValidationError(o->get_name(), "an empty value is not allowed");
        }
      }
      for (const CLI::App* sub : a->get_subcommands()) refuse_empty(sub);
    };
    refuse_empty(&app);
    global.verbosity = quiet ? 0 : verbose ? 2 : 1;
    base::InitLogging(global.verbosity);
  });

  int exit_code = cli::kExitOk;
  const std::string command_line = cli::CommandLine(argc, argv);
  cli::AddIngestCommand(app, global, command_line, exit_code);
  cli::AddStatsCommand(app, global, exit_code);
  cli::AddTimelineCommand(app, global, exit_code);
  cli::AddModelsCommand(app, global, exit_code);
  cli::AddQueryCommand(app, exit_code);
  cli::AddTasksCommand(app, global, exit_code);
  cli::AddFeaturesCommand(app, global, exit_code);
  cli::AddSynthCommand(app, global, exit_code);
  cli::AddTrainCommand(app, global, exit_code);
  cli::AddEvaluateCommand(app, global, exit_code);
  cli::AddPredictCommand(app, global, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    (void)app.exit(e);
    return cli::kExitUsage;
  }
  return exit_code;
}
