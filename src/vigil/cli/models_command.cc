// vigil models list [--registry DIR] [--json]
// vigil models show NAME[@VERSION] | FOLDER [--registry DIR] [--card] [--json]
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "vigil/base/file.h"
#include "vigil/base/json_integer.h"
#include "vigil/base/text.h"
#include "vigil/cli/command.h"
#include "vigil/cli/model_arg.h"
#include "vigil/model/registry.h"

namespace vigil::cli {
namespace {

struct ModelsFlags {
  std::string registry = kDefaultRegistry;
  std::string model;
  bool json = false;
  bool card = false;
};

int RunList(const ModelsFlags& flags) {
  model::Registry registry(flags.registry);
  auto list = registry.List();
  if (!list.ok()) return ReportError(list.status());
  if (flags.json) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& m : *list) {
      out.push_back({{"name", m.name},
                     {"version", m.version},
                     {"kind", m.kind},
                     {"created", m.created},
                     {"path", m.dir.string()}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  if (list->empty()) {
    std::printf("no models in %s\n", flags.registry.c_str());
    return kExitOk;
  }
  std::printf("%-32s %7s  %-8s  %s\n", "name", "version", "kind", "created");
  for (const auto& m : *list) {
    std::printf("%-32s %7d  %-8s  %s\n", m.name.c_str(), m.version, m.kind.c_str(),
                m.created.c_str());
  }
  return kExitOk;
}

std::string Fixed(const nlohmann::ordered_json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number()) return "n/a";
  return fmt::format("{:.4f}", j[key].get<double>());
}

std::string Rate(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.3f}", v); }

void PrintText(const model::StoredModel& s) {
  const auto& m = s.model;
  const auto& t = m.training_report();
  const auto& fp = s.metadata.fingerprint;
  const auto& op = m.operating_point();
  std::printf("%s@%d  (%s)\n", s.name.c_str(), s.version, s.dir.string().c_str());
  std::printf("  kind             %s\n", std::string(model::ModelKindName(m.kind())).c_str());
  std::printf("  created          %s by vigil %s\n", s.manifest.value("created", "?").c_str(),
              s.manifest.value("vigil_version", "?").c_str());
  const auto count = [](size_t n) { return base::WithThousands(static_cast<int64_t>(n)); };
  std::printf("  features         %s\n", count(m.feature_names().size()).c_str());
  std::printf("  training data    %s rows, %s patients, %s positive; %s to %s\n",
              count(fp.rows).c_str(), count(fp.subjects).c_str(), count(fp.positives).c_str(),
              fp.first_time.c_str(), fp.last_time.c_str());
  std::printf("  fingerprint      %s\n", fp.sha256.c_str());
  if (t.contains("hyperparameters")) {
    std::string rounds;
    if (const int final_rounds = base::IntegerOr<int>(t, "final_rounds", 0); final_rounds > 0) {
      rounds = fmt::format("; {} rounds", final_rounds);
      const int bags = base::IntegerOr<int>(t, "bags", 1);
      if (bags > 1) rounds += fmt::format(", {} bags averaged", bags);
    }
    std::printf("  hyperparameters  %s%s\n", t["hyperparameters"].dump().c_str(), rounds.c_str());
  }
  if (m.kind() == model::ModelKind::kBlend) {
    const double w = m.xgboost_weight();
    std::string l2;
    if (t.contains("logistic") && t["logistic"].contains("hyperparameters") &&
        t["logistic"]["hyperparameters"].contains("l2")) {
      l2 = fmt::format(" (L2 {})", t["logistic"]["hyperparameters"]["l2"].dump());
    }
    std::printf(
        "  blend            %.2g x XGBoost + %.2g x logistic regression%s, on the log-odds "
        "scale\n",
        w, 1.0 - w, l2.c_str());
  }
  std::printf("  calibration      %s\n",
              std::string(model::CalibrationMethodDisplay(m.calibrator().method())).c_str());
  std::printf(
      "  threshold        %.4f (%s): held-out sensitivity %s, specificity %s, alert rate %s\n",
      op.threshold, std::string(model::ThresholdRuleName(m.threshold_rule().kind)).c_str(),
      Rate(op.sensitivity).c_str(), Rate(op.specificity).c_str(), Rate(op.alert_rate).c_str());
  if (t.contains("held_out")) {
    std::printf(
        "  cross-validated  AUROC %s, Brier %s (%d folds, patient-grouped)\n",
        Fixed(t["held_out"], "auroc").c_str(),
        Fixed(t["held_out"], t["held_out"].value("calibration", "") == "isotonic" ? "brier_isotonic"
                                                                                  : "brier_platt")
            .c_str(),
        base::IntegerOr<int>(t, "folds", 0));
  }
  std::printf("  validation       %s\n", s.metadata.metrics.empty()
                                             ? "none recorded (vigil evaluate)"
                                             : "metrics.json (see MODEL_CARD.md)");
}

int RunShow(const ModelsFlags& flags) {
  base::Result<model::StoredModel> stored = LoadModelArg(flags.model, flags.registry);
  if (!stored.ok()) return ReportError(stored.status(), /*usage=*/true);
  if (flags.card) {
    auto card = base::ReadFile(stored->dir / "MODEL_CARD.md");
    if (!card.ok()) return ReportError(card.status());
    std::fwrite(card->data(), 1, card->size(), stdout);
    return kExitOk;
  }
  if (flags.json) {
    nlohmann::ordered_json j;
    j["manifest"] = stored->manifest;
    j["path"] = stored->dir.string();
    j["features"] = stored->model.feature_names();
    j["calibration"] = stored->model.calibrator().ToJson();
    j["threshold"] = stored->model.ThresholdJson();
    j["training"] = stored->model.training_report();
    j["fingerprint"] = stored->metadata.fingerprint.ToJson();
    j["metrics"] = stored->metadata.metrics;
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  try {
    PrintText(*stored);
  } catch (const nlohmann::json::exception& e) {  // training.json's fields read here, not on load
    return ReportError(base::DataLossError(
        fmt::format("model folder {}: training.json: {}", stored->dir.string(), e.what())));
  }
  return kExitOk;
}

}  // namespace

void AddModelsCommand(CLI::App& app, const GlobalOptions&, int& exit_code) {
  auto flags = std::make_shared<ModelsFlags>();
  CLI::App* models = app.add_subcommand(
      "models", "The model registry: trained models by name and version (docs/models.md)");
  models->require_subcommand(1);

  CLI::App* list = models->add_subcommand("list", "Every registered model, by name then version");
  list->add_option("--registry", flags->registry, "The registry folder")->capture_default_str();
  list->add_flag("--json", flags->json,
                 "Machine-readable output: [{name, version, kind, created, path}]");
  list->callback([flags, &exit_code] { exit_code = RunList(*flags); });

  CLI::App* show = models->add_subcommand(
      "show", "One model: data, hyperparameters, calibration, threshold and held-out performance");
  show->add_option("model", flags->model,
                   "NAME (the latest version), NAME@VERSION, or the path of a model folder")
      ->required();
  show->add_option("--registry", flags->registry, "The registry folder")->capture_default_str();
  show->add_flag("--card", flags->card, "Print the model card (MODEL_CARD.md)");
  show->add_flag("--json", flags->json,
                 "Machine-readable output (manifest, features, calibration, threshold, training, "
                 "fingerprint, metrics)");
  show->callback([flags, &exit_code] { exit_code = RunShow(*flags); });
}

}  // namespace vigil::cli
