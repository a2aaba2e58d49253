// The model registry: every trained model is a folder of plain files that XGBoost, a text editor
// and a reviewer can each read (docs/models.md, "Model registry").
//
//   REGISTRY/NAME/VERSION/     VERSION = 1, 2, 3, ... (one per Save of NAME)
//     manifest.json            name, version, kind, created, vigil and XGBoost versions, and the
//                              SHA-256 of every other file (checked on load)
//     model.json               XGBoost's own JSON model format (kind xgboost), or
//     logistic.json            vigil's logistic model: standardization and coefficients
//     features.json            {"names": [...], "definitions": <from the features module>}
//     task.yaml                the task specification, exactly as given
//     calibration.json         calibration.h
//     threshold.json           rule, threshold and its held-out operating point
//     hyperparameters.json     the chosen hyperparameters and the training options that matter
//     training.json            the cross-validation report (train.h, TrainingReport)
//     metrics.json             from the evaluate module ({} until it supplies one)
//     fingerprint.json         fingerprint.h
//     card.json                the card's free text: intended use and extra limitations
//     training_patients.json   optional: salted digests of the training patients' identifiers
//     MODEL_CARD.md            model_card.h
//
// A folder is written under a temporary name and renamed into place, so a reader never sees a
// partial model; folders are never modified afterwards except by UpdateMetrics (metrics.json,
// MODEL_CARD.md and manifest.json, each replaced atomically).
//
// Thread-safety: Registry holds only its root path; concurrent Saves of one name from several
// processes each get a distinct version (the rename fails for all but one and the others retry).
#ifndef VIGIL_MODEL_REGISTRY_H_
#define VIGIL_MODEL_REGISTRY_H_

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/model/fingerprint.h"
#include "vigil/model/trained_model.h"

namespace vigil::model {

// What a model folder holds besides the model: supplied by the task, features and evaluate modules
// (and the user, for the card).
struct ModelMetadata {
  std::string task_yaml;  // the task spec text, copied in as given
  nlohmann::ordered_json feature_definitions = nlohmann::ordered_json::object();
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  DataFingerprint fingerprint;
  std::string intended_use;              // model card; when empty the card says it is not stated
  std::vector<std::string> limitations;  // model card, in addition to the standard ones
  // training_patients.json when not null: which patients the model was fitted on, as salted
  // digests (workflow/held_out.h), so that evaluation can leave them out. Optional.
  nlohmann::ordered_json training_patients;
};

struct StoredModel {
  std::string name;
  int version = 0;
  std::filesystem::path dir;
  nlohmann::ordered_json manifest;
  TrainedModel model;
  ModelMetadata metadata;
};

// Writes a model folder at `dir` (which must not exist: AlreadyExists).
base::Status WriteModelFolder(const std::filesystem::path& dir, std::string_view name, int version,
                              const TrainedModel& model, const ModelMetadata& metadata);
// Reads and checks a model folder: NotFound when absent, DataLoss when a file is missing, altered
// (SHA-256 differs from the manifest) or malformed, FailedPrecondition for a newer format.
base::Result<StoredModel> ReadModelFolder(const std::filesystem::path& dir);

// "NAME" or "NAME@VERSION". Names: 1-128 of [A-Za-z0-9._-], not starting with '.' or '-'.
struct ModelSpec {
  std::string name;
  std::optional<int> version;  // unset: the latest
};
base::Result<ModelSpec> ParseModelSpec(std::string_view text);

struct ModelSummary {
  std::string name;
  int version = 0;
  std::string kind;
  std::string created;
  std::filesystem::path dir;
};

class Registry {
 public:
  explicit Registry(std::filesystem::path root) : root_(std::move(root)) {}

  // Saves as the next version of `name` (1 for a new name) and returns the stored reference.
  base::Result<ModelSummary> Save(std::string_view name, const TrainedModel& model,
                                  const ModelMetadata& metadata) const;
  // `spec` as ParseModelSpec reads it.
  base::Result<StoredModel> Load(std::string_view spec) const;
  base::Result<std::filesystem::path> Resolve(std::string_view spec) const;
  // Every stored model, by name then version. An absent root holds no models.
  base::Result<std::vector<ModelSummary>> List() const;
  // Replaces the metrics of a stored model (and the card and manifest that show them).
  base::Status UpdateMetrics(std::string_view spec, const nlohmann::ordered_json& metrics) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  base::Result<std::vector<int>> Versions(const std::string& name) const;
  std::filesystem::path root_;
};

}  // namespace vigil::model

#endif  // VIGIL_MODEL_REGISTRY_H_
