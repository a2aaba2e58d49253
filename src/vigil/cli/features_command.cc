// vigil features --store S --task T --out FILE
#include <fmt/format.h>

#include <cstdio>

#include "vigil/base/file.h"
#include "vigil/base/text.h"
#include "vigil/cli/command.h"
#include "vigil/cli/progress.h"
#include "vigil/features/export.h"
#include "vigil/features/extract.h"
#include "vigil/store/table_file.h"
#include "vigil/task/builtin.h"

namespace vigil::cli {
namespace {

struct FeaturesFlags {
  std::string store = "vigil.duckdb";
  std::string task;
  std::string out;
  int threads = 0;
};

constexpr size_t kAbsentCodesShown = 5;

std::string N(int64_t n) { return base::WithThousands(n); }

void PrintSummary(const task::TaskSpec& spec, const features::Extraction& x,
                  const task::Split& split, double extract_seconds, double total_seconds,
                  const std::string& out) {
  const task::CohortReport& c = x.cohort;
  const features::FeatureMatrix& m = x.matrix;
  std::printf("vigil features: task %s, %s rows x %s features in %.2f s\n", spec.name.c_str(),
              N(static_cast<int64_t>(m.num_rows())).c_str(),
              N(static_cast<int64_t>(m.num_cols())).c_str(), total_seconds);
  std::printf("  stays     %s seen, %s in the cohort\n", N(c.stays_seen).c_str(),
              N(c.stays_included).c_str());
  for (const auto& [reason, n] : c.stays_excluded) {
    std::printf("  excluded  %s %s\n", N(n).c_str(), reason.c_str());
  }
  std::printf("  rows      %s: %s positive, %s unlabelled", N(c.rows).c_str(),
              N(c.positive_rows).c_str(), N(c.unlabelled_rows).c_str());
  if (c.rows_dropped_prior_outcome > 0) {
    std::printf("; %s dropped (after the stay's outcome)", N(c.rows_dropped_prior_outcome).c_str());
  }
  std::printf("\n");
  for (task::SplitSide side : {task::SplitSide::kTrain, task::SplitSide::kValidation,
                               task::SplitSide::kTest, task::SplitSide::kDropped}) {
    const auto i = static_cast<size_t>(side);
    if (split.counts.rows[i] == 0) continue;
    const int64_t patients = split.counts.subjects[i], rows = split.counts.rows[i];
    std::printf("  split     %-10s %s patient%s, %s row%s, %s positive\n",
                std::string(task::SplitSideName(side)).c_str(), N(patients).c_str(),
                patients == 1 ? "" : "s", N(rows).c_str(), rows == 1 ? "" : "s",
                N(split.counts.positive_rows[i]).c_str());
  }
  if (m.num_rows() == 0) {
    std::printf(
        "  note      no stay in this store fits the task's cohort: the file has the header "
        "only\n");
  }
  if (!x.absent_codes.empty()) {
    std::string codes;
    for (size_t i = 0; i < x.absent_codes.size() && i < kAbsentCodesShown; ++i) {
      codes += (i > 0 ? ", " : "") + x.absent_codes[i];
    }
    if (x.absent_codes.size() > kAbsentCodesShown) codes += ", ...";
    std::printf(
        "  note      %zu feature codes do not occur in the store (their columns are empty): %s\n",
        x.absent_codes.size(), codes.c_str());
  }
  if (extract_seconds > 0) {
    std::printf("  speed     %s events read, %.2f million events/s\n", N(x.events_read).c_str(),
                static_cast<double>(x.events_read) / extract_seconds / 1e6);
  }
  std::printf("  written   %s\n", out.c_str());
}

int Run(const FeaturesFlags& flags, const GlobalOptions& global) {
  auto format = store::TableFileFormatFor(flags.out);
  if (!format.ok()) return ReportError(format.status(), /*usage=*/true);
  if (base::Status s = base::CheckOutputFile(flags.out); !s.ok()) return ReportError(s, true);
  auto spec = task::LoadTask(flags.task);
  if (!spec.ok()) return ReportError(spec.status(), /*usage=*/true);
  auto store = store::Store::Open(flags.store, store::Store::Mode::kReadOnly);
  if (!store.ok()) return ReportError(store.status());

  TerminalProgress progress(global.verbosity > 0);
  features::ExtractOptions options;
  options.threads = flags.threads;
  options.progress = [&progress](const features::ExtractProgress& p) {
    progress.Update(fmt::format("features: {} events read, {}/{} patients, {} rows",
                                N(p.events_read), N(p.subjects_done), N(p.subjects_total),
                                N(p.rows)));
  };
  auto x = features::ExtractFeatures(**store, *spec, options);
  const double extract_seconds = progress.Elapsed();
  if (!x.ok()) {
    progress.Done();
    return ReportError(x.status());
  }
  progress.Update(fmt::format("features: writing {}", flags.out));
  base::Status written = features::WriteFeatureFile(x->matrix, flags.out);
  progress.Done();
  if (!written.ok()) return ReportError(written);
  auto split = features::SplitMatrix(spec->split, x->matrix);
  if (!split.ok()) return ReportError(split.status());
  if (global.verbosity > 0) {
    PrintSummary(*spec, *x, *split, extract_seconds, progress.Elapsed(), flags.out);
  }
  return kExitOk;
}

}  // namespace

void AddFeaturesCommand(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto flags = std::make_shared<FeaturesFlags>();
  CLI::App* sub = app.add_subcommand(
      "features",
      "Build a task's point-in-time features from the store: one row per prediction time, "
      "columns subject_id, stay_id, time, label, then the features (docs/features.md). Nothing "
      "after a prediction time reaches its row.");
  sub->add_option("--store", flags->store, "The store")->capture_default_str();
  sub->add_option("--task", flags->task, "A built-in task (vigil tasks list) or a task file (YAML)")
      ->required();
  sub->add_option("--out", flags->out, "Output file: .csv or .parquet")->required();
  AddThreadsOption(*sub, flags->threads);
  sub->callback([flags, &global, &exit_code] { exit_code = Run(*flags, global); });
}

}  // namespace vigil::cli
