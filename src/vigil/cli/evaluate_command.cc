// vigil evaluate --model DIR|NAME[@V] --store S [--report OUT.html] [--json OUT.json]
#include <fmt/format.h>

#include <cmath>
#include <cstdio>

#include "vigil/base/file.h"
#include "vigil/base/text.h"
#include "vigil/cli/command.h"
#include "vigil/cli/evaluation_text.h"
#include "vigil/cli/model_arg.h"
#include "vigil/cli/progress.h"
#include "vigil/evaluate/json.h"
#include "vigil/report/report.h"
#include "vigil/workflow/workflow.h"

namespace vigil::cli {
namespace {

struct EvaluateFlags {
  std::string model;
  std::string registry = kDefaultRegistry;
  std::string store = "vigil.duckdb";
  std::string report;
  std::string json;
  int bootstrap = 200;
  uint64_t seed = 20240601;
  int threads = 0;
  bool include_training = false;
};

void PrintSummary(const workflow::EvaluateResult& r) {
  const auto& o = r.evaluation.overall;
  std::printf("vigil evaluate: %s rows of %s patients",
              base::WithThousands(r.rows.rows_evaluated).c_str(),
              base::WithThousands(r.rows.patients_evaluated).c_str());
  if (r.rows.rows_training_patients > 0) {
    std::printf(" (%s rows of training patients left out)",
                base::WithThousands(r.rows.rows_training_patients).c_str());
  }
  std::printf(", prevalence %.3f\n", o.counts.prevalence);
  std::printf("  model     AUROC %s, AUPRC %s\n", Est(o.discrimination.auroc).c_str(),
              Est(o.discrimination.auprc).c_str());
  const auto& hl = o.calibration.hosmer_lemeshow;
  std::printf("            Brier %s, calibration intercept %s, slope %s\n",
              Est(o.calibration.brier).c_str(), Est(o.calibration.intercept).c_str(),
              Est(o.calibration.slope).c_str());
  std::printf("            Hosmer-Lemeshow C %.1f (%d df, p %.2g)\n", hl.statistic,
              hl.degrees_of_freedom, hl.p_value);
  if (!std::isnan(o.at_threshold.threshold)) {
    std::printf("            at threshold %.4g: sensitivity %s, specificity %s, PPV %s\n",
                o.at_threshold.threshold, Est(o.at_threshold.sensitivity).c_str(),
                Est(o.at_threshold.specificity).c_str(), Est(o.at_threshold.ppv).c_str());
    if (r.evaluation.row_interval_hours <= 0) {
      std::printf("            alerts per patient-day: not reported (one prediction per stay)\n");
    } else {
      std::printf("            alerts per patient-day %s\n",
                  Est(o.at_threshold.alerts_per_patient_day).c_str());
    }
  }
  PrintTaskScores(o.task);
  PrintBaselines(r.evaluation, /*sensitivity=*/true);
  int flags = 0;
  for (const auto& s : r.evaluation.subgroups) flags += static_cast<int>(s.flags.size());
  std::printf("  subgroups %zu, fairness flags %d\n", r.evaluation.subgroups.size(), flags);
}

int Run(const EvaluateFlags& flags, const GlobalOptions& global) {
  for (const std::string& out : {flags.json, flags.report}) {
    if (out.empty()) continue;
    if (base::Status s = base::CheckOutputFile(out); !s.ok()) return ReportError(s, true);
  }
  auto stored = LoadModelArg(flags.model, flags.registry);
  if (!stored.ok()) return ReportError(stored.status(), /*usage=*/true);
  auto store = store::Store::Open(flags.store, store::Store::Mode::kReadOnly);
  if (!store.ok()) return ReportError(store.status());
  TerminalProgress progress(global.verbosity > 0);
  workflow::EvaluateRequest request;
  request.bootstrap = flags.bootstrap;
  request.seed = flags.seed;
  request.threads = flags.threads;
  request.include_training_patients = flags.include_training;
  request.shap = !flags.report.empty();  // only the report shows it
  request.progress = [&](std::string_view line) { progress.Update(std::string(line)); };
  auto r = workflow::EvaluateModel(*stored, **store, request);
  progress.Done();
  if (!r.ok()) return ReportError(r.status());
  if (!flags.json.empty()) {
    nlohmann::ordered_json j =
        nlohmann::ordered_json::parse(evaluate::EvaluationToJsonText(r->evaluation));
    j["rows"] = {{"rows", r->rows.rows},
                 {"rows_training_patients_left_out", r->rows.rows_training_patients},
                 {"rows_evaluated", r->rows.rows_evaluated},
                 {"patients_evaluated", r->rows.patients_evaluated}};
    j["validation"] = r->card.validation;
    base::Status s = base::WriteFileAtomically(flags.json, j.dump(2));
    if (!s.ok()) return ReportError(s);
  }
  if (!flags.report.empty()) {
    base::Status s =
        report::WriteReport(flags.report, r->card, r->evaluation, r->shap ? &*r->shap : nullptr);
    if (!s.ok()) return ReportError(s);
  }
  if (global.verbosity > 0) {
    PrintSummary(*r);
    if (!flags.json.empty()) std::printf("  json      %s\n", flags.json.c_str());
    if (!flags.report.empty()) std::printf("  report    %s\n", flags.report.c_str());
  }
  return kExitOk;
}

}  // namespace

void AddEvaluateCommand(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto flags = std::make_shared<EvaluateFlags>();
  CLI::App* sub = app.add_subcommand(
      "evaluate",
      "Validate a model on a store (the one it was trained on, or another hospital's): "
      "discrimination, calibration, clinical usefulness, challenge scores, subgroups and "
      "baseline scores, with patient-bootstrap intervals. Patients the model was trained on are "
      "left out (docs/evaluation.md)");
  sub->add_option("--model", flags->model, "A model folder, or NAME[@VERSION] in --registry")
      ->required();
  sub->add_option("--registry", flags->registry, "The model registry")->capture_default_str();
  sub->add_option("--store", flags->store, "The store")->capture_default_str();
  sub->add_option("--report", flags->report, "Write the HTML report here");
  sub->add_option("--json", flags->json, "Write every figure as JSON here");
  sub->add_option("--bootstrap", flags->bootstrap, "Patient-bootstrap replicates (0: none)")
      ->capture_default_str()
      ->check(Between(0, kMaxBootstrap));
  AddSeedOption(*sub, flags->seed, "Bootstrap seed");
  AddThreadsOption(*sub, flags->threads);
  sub->add_flag("--include-training-patients", flags->include_training,
                "Keep the model's training patients (apparent performance: the report says it "
                "is not a validation)");
  sub->callback([flags, &global, &exit_code] { exit_code = Run(*flags, global); });
}

}  // namespace vigil::cli
