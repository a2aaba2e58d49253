// vigil predict --model DIR|NAME[@V] --store S --out FILE.csv [--explain [K]]
#include <spdlog/spdlog.h>

#include <cstdio>

#include "vigil/base/file.h"
#include "vigil/base/text.h"
#include "vigil/cli/command.h"
#include "vigil/cli/model_arg.h"
#include "vigil/cli/progress.h"
#include "vigil/workflow/workflow.h"

namespace vigil::cli {
namespace {

struct PredictFlags {
  std::string model;
  std::string registry = kDefaultRegistry;
  std::string store = "vigil.duckdb";
  std::string out;
  size_t explain = 5;
  bool explain_flag = false;
  int threads = 0;
};

int Run(const PredictFlags& flags, const GlobalOptions& global) {
  if (base::Status s = base::CheckOutputFile(flags.out); !s.ok()) return ReportError(s, true);
  auto stored = LoadModelArg(flags.model, flags.registry);
  if (!stored.ok()) return ReportError(stored.status(), /*usage=*/true);
  auto store = store::Store::Open(flags.store, store::Store::Mode::kReadOnly);
  if (!store.ok()) return ReportError(store.status());
  TerminalProgress progress(global.verbosity > 0);
  workflow::PredictRequest request;
  request.threads = flags.threads;
  request.explain_top = flags.explain_flag ? flags.explain : 0;
  request.progress = [&](std::string_view line) { progress.Update(std::string(line)); };
  auto r = workflow::PredictToFile(*stored, **store, flags.out, request);
  progress.Done();
  if (!r.ok()) return ReportError(r.status());
  if (r->rows == 0) {
    spdlog::warn(
        "the model's task has no prediction times in this store (no stay fits its cohort): {} "
        "holds only its header",
        flags.out);
  }
  if (global.verbosity > 0) {
    std::printf("vigil predict: %s rows of %s patients, %s alerts (threshold %.4g)\n",
                base::WithThousands(r->rows).c_str(), base::WithThousands(r->patients).c_str(),
                base::WithThousands(r->alerts).c_str(), stored->model.threshold());
    std::printf("  written   %s\n", flags.out.c_str());
  }
  return kExitOk;
}

}  // namespace

void AddPredictCommand(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto flags = std::make_shared<PredictFlags>();
  CLI::App* sub = app.add_subcommand(
      "predict",
      "Predict every prediction time of the model's task in a store: a CSV with subject_id, "
      "stay_id, time, probability, alert, label (empty when unknown), sorted by subject and time");
  sub->add_option("--model", flags->model, "A model folder, or NAME[@VERSION] in --registry")
      ->required();
  sub->add_option("--registry", flags->registry, "The model registry")->capture_default_str();
  sub->add_option("--store", flags->store, "The store")->capture_default_str();
  sub->add_option("--out", flags->out, "The CSV file to write")->required();
  sub->add_flag("--explain", flags->explain_flag,
                "Add an 'explanation' column: the largest SHAP contributions of each row (JSON "
                "[{feature, name, value, contribution}], on the log-odds scale)");
  sub->add_option("--explain-top", flags->explain, "How many contributions --explain lists")
      ->capture_default_str()
      ->check(Between(1, 100));
  AddThreadsOption(*sub, flags->threads);
  sub->callback([flags, &global, &exit_code] { exit_code = Run(*flags, global); });
}

}  // namespace vigil::cli
