// vigil train --store S --task T [--out DIR] [--model xgboost|logistic] [--seed N] ...
#include <fmt/format.h>

#include <cmath>
#include <cstdio>

#include "vigil/base/file.h"
#include "vigil/base/json_integer.h"
#include "vigil/base/text.h"
#include "vigil/cli/command.h"
#include "vigil/cli/evaluation_text.h"
#include "vigil/cli/model_arg.h"
#include "vigil/cli/progress.h"
#include "vigil/model/calibration.h"
#include "vigil/task/builtin.h"
#include "vigil/workflow/workflow.h"

namespace vigil::cli {
namespace {

struct TrainFlags {
  std::string store = "vigil.duckdb";
  std::string task;
  std::string out;
  std::string registry = kDefaultRegistry;
  std::string model = "xgboost";
  std::string hyperparameters;
  std::string test_fold;
  uint64_t seed = 1;
  int folds = 5;
  int bags = 1;
  int threads = 0;
  int bootstrap = 200;
};

void PrintTest(const evaluate::Evaluation& ev) {
  const auto& o = ev.overall;
  std::printf("  test      AUROC %s, AUPRC %s, Brier %s\n", Est(o.discrimination.auroc).c_str(),
              Est(o.discrimination.auprc).c_str(), Est(o.calibration.brier).c_str());
  std::printf("            calibration intercept %s, slope %s\n",
              Est(o.calibration.intercept).c_str(), Est(o.calibration.slope).c_str());
  if (!std::isnan(o.at_threshold.threshold)) {
    std::printf("            at threshold %.4g: sensitivity %s, PPV %s, alert rate %s\n",
                o.at_threshold.threshold, Est(o.at_threshold.sensitivity).c_str(),
                Est(o.at_threshold.ppv).c_str(), Est(o.at_threshold.alert_rate).c_str());
  }
  PrintTaskScores(o.task);
  PrintBaselines(ev, /*sensitivity=*/false);
}

int Run(const TrainFlags& flags, const GlobalOptions& global) {
  auto source = task::FindTask(flags.task);
  if (!source.ok()) return ReportError(source.status(), /*usage=*/true);
  auto spec = task::ParseTaskSpec(source->text, source->file_name);
  if (!spec.ok()) return ReportError(spec.status(), /*usage=*/true);
  std::string task_text = source->text;
  if (!flags.test_fold.empty()) {
    if (spec->split.method != task::SplitMethod::kStratified) {
      return ReportError(
          base::InvalidArgumentError("--test-fold applies to a stratified split (the task's is "
                                     "temporal)"),
          true);
    }
    if (base::Status s = task::SetTestFold(flags.test_fold, spec->split); !s.ok()) {
      return ReportError(base::InvalidArgumentError("--test-fold: " + s.message()), true);
    }
    // The model folder keeps the task as given; this line records the override.
    task_text += fmt::format(
        "\n# vigil train --test-fold {}: the test patients are part {} of {} of this split\n",
        flags.test_fold, spec->split.test_fold, spec->split.folds);
  }
  auto kind = model::ParseModelKind(flags.model);
  if (!kind) {
    return ReportError(base::InvalidArgumentError("--model: expected xgboost, logistic or blend"),
                       true);
  }
  workflow::TrainRequest request;
  request.out = flags.out;
  request.registry = flags.registry;
  request.kind = *kind;
  request.seed = flags.seed;
  request.folds = flags.folds;
  if (flags.bags > 1 && *kind == model::ModelKind::kLogistic) {
    return ReportError(base::InvalidArgumentError("--bags applies to --model xgboost or blend"),
                       true);
  }
  request.bags = flags.bags;
  request.threads = flags.threads;
  request.bootstrap = flags.bootstrap;
  if (!flags.hyperparameters.empty()) {
    if (*kind == model::ModelKind::kLogistic) {
      return ReportError(
          base::InvalidArgumentError("--hyperparameters applies to --model xgboost or blend"),
          true);
    }
    auto text = base::ReadFile(flags.hyperparameters);
    if (!text.ok()) return ReportError(text.status(), true);
    auto params = workflow::ParseXgboostParams(*text);
    if (!params.ok()) return ReportError(params.status(), true);
    request.xgboost_params = *params;
  }
  auto store = store::Store::Open(flags.store, store::Store::Mode::kReadOnly);
  if (!store.ok()) return ReportError(store.status());
  TerminalProgress progress(global.verbosity > 0);
  request.progress = [&](std::string_view line) { progress.Update(std::string(line)); };
  auto r = workflow::TrainTask(**store, *spec, task_text, request);
  progress.Done();
  if (!r.ok()) return ReportError(r.status());
  if (global.verbosity > 0) {
    const auto& t = r->training_json;
    std::printf("vigil train: task %s, model %s, seed %llu\n", spec->name.c_str(),
                flags.model.c_str(), static_cast<unsigned long long>(flags.seed));
    std::printf(
        "  rows      %s training (%s patients), %s held-out test (%s patients)\n",
        base::WithThousands(r->rows_train).c_str(), base::WithThousands(r->patients_train).c_str(),
        base::WithThousands(r->rows_test).c_str(), base::WithThousands(r->patients_test).c_str());
    if (t.contains("held_out")) {
      std::string calibration = t["held_out"].value("calibration", std::string("?"));
      if (const auto method = model::ParseCalibrationMethod(calibration)) {
        calibration = model::CalibrationMethodDisplay(*method);
      }
      std::printf("  cv        %d folds by patient: out-of-fold AUROC %.3f, %s calibration\n",
                  base::IntegerOr<int>(t, "folds", 0), t["held_out"].value("auroc", 0.0),
                  calibration.c_str());
    }
    if (r->test) PrintTest(*r->test);
    std::printf("  time      features %.1f s, training %.1f s, test evaluation %.1f s\n",
                r->seconds_features, r->seconds_train, r->seconds_evaluate);
    std::printf("  model     %s\n", r->dir.string().c_str());
  }
  return kExitOk;
}

}  // namespace

void AddTrainCommand(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto flags = std::make_shared<TrainFlags>();
  CLI::App* sub = app.add_subcommand(
      "train",
      "Train a calibrated model for a task on the store's training patients (the task's "
      "patient-level split); hyperparameters, calibration and threshold are chosen by "
      "patient-grouped cross-validation, and the held-out test patients are evaluated once at "
      "the end (docs/models.md)");
  sub->add_option("--store", flags->store, "The store")->capture_default_str();
  sub->add_option("--task", flags->task, "A built-in task (vigil tasks list) or a task file (YAML)")
      ->required();
  sub->add_option("--out", flags->out,
                  "The model folder to write (must not exist); default: the next version of "
                  "TASK in --registry");
  sub->add_option("--registry", flags->registry, "The model registry (when --out is not given)")
      ->capture_default_str();
  sub->add_option("--model", flags->model,
                  "xgboost, logistic, or blend (both, their margins mixed with a weight chosen by "
                  "validation)")
      ->capture_default_str()
      ->check(CLI::IsMember({"xgboost", "logistic", "blend"}));
  AddSeedOption(*sub, flags->seed, "Seed of folds, subsampling and the bootstrap");
  sub->add_option("--folds", flags->folds, "Cross-validation folds (by patient)")
      ->capture_default_str()
      ->check(Between(2, 20));
  sub->add_option("--bags", flags->bags,
                  "XGBoost: refit the final model this many times with consecutive seeds and "
                  "average them into one booster (lower variance; costs that many final fits)")
      ->capture_default_str()
      ->check(Between(1, 100));
  sub->add_option("--test-fold", flags->test_fold,
                  "K/N: test on part K of N of the task's stratified split instead of its "
                  "test_fraction (outer cross-validation: run K = 1..N, evals/cross_validate.sh)");
  sub->add_option("--hyperparameters", flags->hyperparameters,
                  "A JSON file with one XGBoost hyperparameter set (max_depth, learning_rate, "
                  "min_child_weight, subsample, colsample_bytree, reg_lambda, reg_alpha, "
                  "max_bin, class_weighting: balanced or none), or a model folder's "
                  "hyperparameters.json, instead of the default search (for a blend: of its "
                  "XGBoost part");
  sub->add_option("--bootstrap", flags->bootstrap,
                  "Patient-bootstrap replicates for the test-set intervals (0: none)")
      ->capture_default_str()
      ->check(Between(0, kMaxBootstrap));
  AddThreadsOption(*sub, flags->threads);
  sub->callback([flags, &global, &exit_code] { exit_code = Run(*flags, global); });
}

}  // namespace vigil::cli
