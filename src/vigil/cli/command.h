// Shared pieces of the `vigil` subcommands. The CLI is thin: it parses flags and calls modules.
#ifndef VIGIL_CLI_COMMAND_H_
#define VIGIL_CLI_COMMAND_H_

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "vigil/base/status.h"

namespace vigil::cli {

// Exit statuses (README, "Exit status").
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRejected = 3;  // the work completed, but some input records were rejected

// Global options every subcommand sees.
struct GlobalOptions {
  int verbosity = 1;  // 0 quiet, 1 normal, 2 verbose
};

// Prints "vigil: error: ..." to stderr and returns kExitFailure (kExitUsage for InvalidArgument
// when `usage` is set).
int ReportError(const base::Status& status, bool usage = false);

// A flag check for a smallest allowed number: "--patients: must be at least 1 (got 0)" where
// CLI11's own PositiveNumber prints the whole range of a double.
CLI::Validator AtLeast(double minimum);
// The same with a largest allowed number: "must be between 0 and 1024 (got 100000)".
CLI::Validator Between(double minimum, double maximum);
// The most patient-bootstrap replicates --bootstrap takes (each holds every metric it resamples).
inline constexpr int kMaxBootstrap = 100'000;

// The most worker threads a --threads flag accepts. OpenMP (inside XGBoost) sets up its threads on
// the stack and overflows it at about 100,000; more threads than cores only slow the work down.
inline constexpr int kMaxThreads = 1024;
// The --threads flag: a number from 0 (one per core) to kMaxThreads, lowered to the number of cores
// (1,024 OpenMP threads on 2 cores made a small training take over 5 minutes instead of 20 s).
void AddThreadsOption(CLI::App& sub, int& threads);

// A --seed flag: a whole number from 0 to 2^64 - 1 ("--seed: must be a whole number from 0 to
// 18446744073709551615 (got -1)"; CLI11 alone wrapped -1 around to the largest seed).
void AddSeedOption(CLI::App& sub, uint64_t& seed, const std::string& description);

// The command line as typed, for the run records (arguments, not patient data).
std::string CommandLine(int argc, char** argv);

// Each subcommand registers itself on `app`; its callback stores the exit status in `exit_code`.
void AddIngestCommand(CLI::App& app, const GlobalOptions& global, const std::string& command_line,
                      int& exit_code);
void AddStatsCommand(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddTimelineCommand(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddModelsCommand(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddQueryCommand(CLI::App& app, int& exit_code);
void AddTasksCommand(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddFeaturesCommand(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddSynthCommand(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddTrainCommand(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddEvaluateCommand(CLI::App& app, const GlobalOptions& global, int& exit_code);
void AddPredictCommand(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_COMMAND_H_
