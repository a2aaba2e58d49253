// vigil synth --patients N --seed S --out DIR [--start DATE] [--days D] [--spo2-bias X]
//             [--threads T] [--no-truth]
#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "vigil/base/text.h"
#include "vigil/base/time.h"
#include "vigil/cli/command.h"
#include "vigil/cli/progress.h"
#include "vigil/synth/generator.h"

namespace vigil::cli {
namespace {

struct SynthFlags {
  int64_t patients = 1000;
  uint64_t seed = 1;
  std::string out;
  std::string start = "2024-01-01";
  int days = 365;
  double spo2_bias = synth::PopulationOptions{}.spo2_bias_black;
  int threads = 0;
  bool no_truth = false;
  bool dry_run = false;
};

std::string Megabytes(int64_t bytes) {
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
}

void PrintSummary(const SynthFlags& flags, const synth::SynthSummary& s) {
  using base::WithThousands;
  const auto& t = s.tally;
  const double secs = std::max(s.seconds, 1e-9);
  std::printf(
      "vigil synth: %s patients (seed %llu) in %.1f s on %d threads: %s patients/s, %.1f MB/s\n",
      WithThousands(t.patients).c_str(), static_cast<unsigned long long>(flags.seed), s.seconds,
      s.threads, WithThousands(static_cast<int64_t>(t.patients / secs)).c_str(),
      static_cast<double>(s.total_bytes) / 1e6 / secs);
  std::printf("  admissions  %s (%s emergency), %s ICU stays, %s readmissions within 30 days\n",
              WithThousands(t.admissions).c_str(), WithThousands(t.emergency_admissions).c_str(),
              WithThousands(t.icu_stays).c_str(), WithThousands(t.readmissions_30d).c_str());
  std::printf("  outcomes    %s deaths (%.1f %% of admissions), %s cardiac arrests, %s sepsis\n",
              WithThousands(t.deaths).c_str(),
              t.admissions > 0 ? 100.0 * static_cast<double>(t.deaths) / t.admissions : 0.0,
              WithThousands(t.cardiac_arrests).c_str(), WithThousands(t.sepsis).c_str());
  if (flags.dry_run) {
    std::printf("  dry run     nothing written (%s generated)\n", Megabytes(s.total_bytes).c_str());
  } else {
    std::printf("  files in    %s (%s)\n", flags.out.c_str(), Megabytes(s.total_bytes).c_str());
  }
  for (int f = 0; f < synth::kOutFileCount; ++f) {
    if (f >= synth::kFhirFileCount && flags.no_truth) continue;
    std::printf("    %-34s %14s records %10s\n",
                std::string(synth::OutFileName(static_cast<synth::OutFile>(f))).c_str(),
                WithThousands(t.records[f]).c_str(), Megabytes(s.bytes[f]).c_str());
  }
  if (!flags.no_truth && !flags.dry_run) {
    std::printf("  truth/ holds the ground truth; load only the *.ndjson files as FHIR\n");
  }
}

int Run(const SynthFlags& flags, const GlobalOptions& global) {
  auto start = base::ParseIso8601(flags.start);
  if (!start.ok()) {
    return ReportError(base::InvalidArgumentError("--start: " + start.status().message()),
                       /*usage=*/true);
  }
  synth::SynthOptions options;
  options.patients = flags.patients;
  options.threads = flags.threads;
  options.out = flags.out;
  options.dry_run = flags.dry_run;
  if (flags.out.empty() && !flags.dry_run) {
    return ReportError(base::InvalidArgumentError("--out is required (or --dry-run)"),
                       /*usage=*/true);
  }
  options.cohort.seed = flags.seed;
  options.cohort.days = flags.days;
  options.cohort.truth = !flags.no_truth;
  options.cohort.population.spo2_bias_black = flags.spo2_bias;
  options.cohort.start_day =
      std::chrono::floor<std::chrono::days>(start->instant).time_since_epoch().count();

  TerminalProgress progress(global.verbosity > 0);
  auto summary = synth::Generate(options, [&](const synth::SynthProgress& p) {
    progress.Update(fmt::format("synth: {}/{} patients, {} written",
                                base::WithThousands(p.patients_done),
                                base::WithThousands(flags.patients), Megabytes(p.bytes_written)));
  });
  progress.Done();
  if (!summary.ok()) {
    return ReportError(summary.status(),
                       summary.status().code() == base::StatusCode::kInvalidArgument);
  }
  if (global.verbosity > 0) PrintSummary(flags, *summary);
  return kExitOk;
}

}  // namespace

void AddSynthCommand(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto flags = std::make_shared<SynthFlags>();
  CLI::App* sub = app.add_subcommand(
      "synth",
      "Generate a synthetic hospital: a FHIR R4 Bulk Data export (Patient, Encounter, "
      "Observation, Condition, MedicationAdministration .ndjson) with its ground truth in "
      "OUT/truth/ (docs/synth.md)");
  sub->add_option("--patients", flags->patients, "How many patients")
      ->capture_default_str()
      ->check(AtLeast(1));
  AddSeedOption(*sub, flags->seed,
                "Random seed: the same seed and options give byte-identical files");
  sub->add_option("--out", flags->out,
                  "Output folder (created; an earlier data set there is replaced)");
  sub->add_option("--start", flags->start,
                  "First day of admissions (YYYY-MM-DD, UTC; 1900-01-01 to 2200-12-31)")
      ->capture_default_str();
  sub->add_option("--days", flags->days, "First admissions are spread over this many days")
      ->capture_default_str()
      ->check(Between(1, 36'525));
  sub->add_option("--spo2-bias", flags->spo2_bias,
                  "Mean overestimation of SpO2 by pulse oximetry for Black patients, in "
                  "percentage points (Sjoding et al., NEJM 2020); 0 disables it")
      ->capture_default_str()
      ->check(AtLeast(0));
  AddThreadsOption(*sub, flags->threads);
  sub->add_flag("--no-truth", flags->no_truth, "Do not write OUT/truth/");
  sub->add_flag("--dry-run", flags->dry_run,
                "Generate and serialize everything but write nothing (measures speed and memory "
                "at any scale)");
  sub->callback([flags, &global, &exit_code] { exit_code = Run(*flags, global); });
}

}  // namespace vigil::cli
