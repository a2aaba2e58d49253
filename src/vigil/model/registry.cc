#include "vigil/model/registry.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "vigil/base/file.h"
#include "vigil/base/hash.h"
#include "vigil/base/json_integer.h"
#include "vigil/base/time.h"
#include "vigil/base/version.h"
#include "vigil/model/model_card.h"

namespace vigil::model {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kFormat = "vigil-model";
constexpr int kFormatVersion = 1;
constexpr size_t kMaxNameLength = 128;
constexpr int kMaxSaveAttempts = 20;  // concurrent writers of one name each retry the next version

nlohmann::ordered_json Hyperparameters(const nlohmann::ordered_json& training) {
  nlohmann::ordered_json h;
  for (const char* key : {"model", "hyperparameters", "final_rounds", "bags", "class_weighting",
                          "positive_weight", "folds", "seed"}) {
    if (training.contains(key)) h[key] = training[key];
  }
  if (training.contains("held_out"))
    h["calibration"] = training["held_out"].value("calibration", "");
  // A blend: its logistic part and the mix ("hyperparameters" stays the XGBoost part's).
  if (training.contains("logistic") && training["logistic"].contains("hyperparameters"))
    h["logistic_hyperparameters"] = training["logistic"]["hyperparameters"];
  if (training.contains("blend"))
    h["xgboost_weight"] = training["blend"].value("xgboost_weight", 1.0);
  return h;
}

base::Result<nlohmann::ordered_json> ReadJson(const fs::path& path) {
  VIGIL_ASSIGN_OR_RETURN(std::string text, base::ReadFile(path));
  auto j = nlohmann::ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return base::DataLossError(fmt::format("{} is not valid JSON", path.string()));
  }
  return j;
}

std::string NowIso() {
  return base::FormatIso8601(
      std::chrono::time_point_cast<base::Duration>(std::chrono::system_clock::now()));
}

// The manifest lists every other file with its SHA-256.
nlohmann::ordered_json Manifest(std::string_view name, int version, ModelKind kind,
                                std::string_view created,
                                const std::map<std::string, std::string>& files) {
  nlohmann::ordered_json m;
  m["format"] = kFormat;
  m["format_version"] = kFormatVersion;
  m["name"] = name;
  m["version"] = version;
  m["kind"] = ModelKindName(kind);
  m["created"] = created;
  m["vigil_version"] = base::Version();
  m["xgboost_version"] = xgb::LibraryVersion();
  auto& f = m["files"] = nlohmann::ordered_json::object();
  for (const auto& [file, content] : files) f[file] = base::Sha256Hex(content);
  return m;
}

base::Result<std::map<std::string, std::string>> FolderFiles(std::string_view name, int version,
                                                             std::string_view created,
                                                             const TrainedModel& model,
                                                             const ModelMetadata& meta) {
  VIGIL_ASSIGN_OR_RETURN(auto files, model.ModelFiles());
  files["features.json"] = nlohmann::ordered_json{{"names", model.feature_names()},
                                                  {"definitions", meta.feature_definitions}}
                               .dump(2);
  files["task.yaml"] = meta.task_yaml;
  files["calibration.json"] = model.calibrator().ToJson().dump(2);
  files["threshold.json"] = model.ThresholdJson().dump(2);
  files["hyperparameters.json"] = Hyperparameters(model.training_report()).dump(2);
  files["training.json"] = model.training_report().dump(2);
  files["metrics.json"] = meta.metrics.dump(2);
  files["fingerprint.json"] = meta.fingerprint.ToJson().dump(2);
  files["card.json"] = nlohmann::ordered_json{
      {"intended_use", meta.intended_use},
      {"limitations",
       meta.limitations}}.dump(2);
  if (!meta.training_patients.is_null()) {
    files["training_patients.json"] = meta.training_patients.dump();
  }
  files["MODEL_CARD.md"] = RenderModelCard(name, version, created, model, meta);
  return files;
}

base::Status WriteFiles(const fs::path& dir, const std::map<std::string, std::string>& files,
                        const nlohmann::ordered_json& manifest) {
  for (const auto& [file, content] : files) {
    VIGIL_RETURN_IF_ERROR(base::WriteFileAtomically(dir / file, content));
  }
  return base::WriteFileAtomically(dir / "manifest.json", manifest.dump(2));
}

base::Result<int> ParseVersion(std::string_view s) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), ::isdigit) || s[0] == '0') {
    return base::InvalidArgumentError("a model version is a positive integer");
  }
  return std::stoi(std::string(s));
}

}  // namespace

base::Result<ModelSpec> ParseModelSpec(std::string_view text) {
  ModelSpec spec;
  const size_t at = text.find('@');
  spec.name = std::string(text.substr(0, at));
  const auto& n = spec.name;
  const bool valid_chars = std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
  if (n.empty() || n.size() > kMaxNameLength || !valid_chars || n[0] == '.' || n[0] == '-') {
    return base::InvalidArgumentError(
        "a model name is 1-128 letters, digits, '.', '_' or '-', not starting with '.' or '-'");
  }
  if (at != std::string_view::npos) {
    VIGIL_ASSIGN_OR_RETURN(spec.version, ParseVersion(text.substr(at + 1)));
  }
  return spec;
}

base::Status WriteModelFolder(const fs::path& dir, std::string_view name, int version,
                              const TrainedModel& model, const ModelMetadata& metadata) {
  std::error_code ec;
  if (fs::exists(dir, ec)) return base::AlreadyExistsError(fmt::format("{} exists", dir.string()));
  const std::string created = NowIso();
  VIGIL_ASSIGN_OR_RETURN(auto files, FolderFiles(name, version, created, model, metadata));
  const auto manifest = Manifest(name, version, model.kind(), created, files);
  const fs::path tmp =
      dir.parent_path() / fmt::format(".{}.tmp-{}", dir.filename().string(), ::getpid());
  fs::remove_all(tmp, ec);
  if (!fs::create_directories(tmp, ec) || ec) {
    return base::IoError(fmt::format("cannot create {}: {}", tmp.string(), ec.message()));
  }
  base::Status written = WriteFiles(tmp, files, manifest);
  if (written.ok()) {
    fs::rename(tmp, dir, ec);
    if (ec) {
      written =
          fs::exists(dir)
              ? base::AlreadyExistsError(fmt::format("{} exists", dir.string()))
              : base::IoError(fmt::format("cannot rename into {}: {}", dir.string(), ec.message()));
    }
  }
  if (!written.ok()) fs::remove_all(tmp, ec);
  return written;
}

base::Result<StoredModel> ReadModelFolder(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return base::NotFoundError(fmt::format("no model folder at {}", dir.string()));
  }
  VIGIL_ASSIGN_OR_RETURN(auto manifest, ReadJson(dir / "manifest.json"));
  std::string_view part = "manifest.json";  // the file being read, for errors
  try {
    if (manifest.at("format").get<std::string>() != kFormat) {
      return base::DataLossError("manifest.json is not a vigil model manifest");
    }
    if (base::IntegerAt<int>(manifest, "format_version") > kFormatVersion) {
      return base::FailedPreconditionError("the model folder was written by a newer vigil");
    }
    std::map<std::string, std::string> files;
    for (const auto& [file, digest] : manifest.at("files").items()) {
      if (!fs::exists(dir / file, ec)) {
        return base::DataLossError(fmt::format("{} is missing from {}", file, dir.string()));
      }
      VIGIL_ASSIGN_OR_RETURN(files[file], base::ReadFile(dir / file));
      if (base::Sha256Hex(files[file]) != digest.get<std::string>()) {
        return base::DataLossError(
            fmt::format("{} in {} does not match its manifest digest", file, dir.string()));
      }
    }
    auto kind = ParseModelKind(manifest.at("kind").get<std::string>());
    if (!kind) return base::DataLossError("manifest.json names an unknown model kind");
    auto parse = [&](const std::string& file) -> base::Result<nlohmann::ordered_json> {
      if (!files.contains(file)) return base::DataLossError(fmt::format("{} is missing", file));
      auto j = nlohmann::ordered_json::parse(files[file], nullptr, false);
      if (j.is_discarded()) return base::DataLossError(fmt::format("{} is not valid JSON", file));
      return j;
    };
    VIGIL_ASSIGN_OR_RETURN(auto features, parse("features.json"));
    VIGIL_ASSIGN_OR_RETURN(auto calibration, parse("calibration.json"));
    VIGIL_ASSIGN_OR_RETURN(auto threshold, parse("threshold.json"));
    VIGIL_ASSIGN_OR_RETURN(auto training, parse("training.json"));
    VIGIL_ASSIGN_OR_RETURN(auto metrics, parse("metrics.json"));
    VIGIL_ASSIGN_OR_RETURN(auto fingerprint, parse("fingerprint.json"));
    VIGIL_ASSIGN_OR_RETURN(auto card, parse("card.json"));
    if (!files.contains("task.yaml")) return base::DataLossError("task.yaml is missing");
    part = "features.json";
    const auto feature_names = features.at("names").get<std::vector<std::string>>();
    part = "threshold.json, calibration.json or training.json";
    VIGIL_ASSIGN_OR_RETURN(
        TrainedModel model,
        TrainedModel::FromFiles(*kind, files, nlohmann::json::parse(calibration.dump()),
                                nlohmann::json::parse(threshold.dump()), training, feature_names));
    ModelMetadata meta;
    meta.task_yaml = files["task.yaml"];
    part = "features.json";
    meta.feature_definitions = features.at("definitions");
    meta.metrics = metrics;
    part = "fingerprint.json";
    VIGIL_ASSIGN_OR_RETURN(meta.fingerprint,
                           DataFingerprint::FromJson(nlohmann::json::parse(fingerprint.dump())));
    part = "card.json";
    meta.intended_use = card.value("intended_use", "");
    meta.limitations = card.value("limitations", std::vector<std::string>{});
    part = "manifest.json";
    if (files.contains("training_patients.json")) {
      VIGIL_ASSIGN_OR_RETURN(meta.training_patients, parse("training_patients.json"));
    }
    return StoredModel{manifest.at("name").get<std::string>(),
                       base::IntegerAt<int>(manifest, "version"),
                       dir,
                       std::move(manifest),
                       std::move(model),
                       std::move(meta)};
  } catch (const nlohmann::json::exception& e) {
    return base::DataLossError(
        fmt::format("model folder {}: {}: {}", dir.string(), part, base::JsonErrorText(e.what())));
  }
}

base::Result<std::vector<int>> Registry::Versions(const std::string& name) const {
  std::vector<int> versions;
  std::error_code ec;
  const fs::path dir = root_ / name;
  if (!fs::is_directory(dir, ec)) return versions;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto v = ParseVersion(entry.path().filename().string());
    if (v.ok() && entry.is_directory()) versions.push_back(*v);
  }
  if (ec) return base::IoError(fmt::format("cannot list {}: {}", dir.string(), ec.message()));
  std::sort(versions.begin(), versions.end());
  return versions;
}

base::Result<ModelSummary> Registry::Save(std::string_view name, const TrainedModel& model,
                                          const ModelMetadata& metadata) const {
  VIGIL_ASSIGN_OR_RETURN(ModelSpec spec, ParseModelSpec(name));
  if (spec.version) return base::InvalidArgumentError("Save takes a name without a version");
  for (int attempt = 0; attempt < kMaxSaveAttempts; ++attempt) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<int> versions, Versions(spec.name));
    const int version = versions.empty() ? 1 : versions.back() + 1;
    const fs::path dir = root_ / spec.name / std::to_string(version);
    base::Status s = WriteModelFolder(dir, spec.name, version, model, metadata);
    if (s.code() == base::StatusCode::kAlreadyExists) continue;
    VIGIL_RETURN_IF_ERROR(s);
    VIGIL_ASSIGN_OR_RETURN(auto manifest, ReadJson(dir / "manifest.json"));
    return ModelSummary{spec.name, version, std::string(ModelKindName(model.kind())),
                        manifest.value("created", ""), dir};
  }
  return base::FailedPreconditionError("too many concurrent saves of one model name");
}

base::Result<fs::path> Registry::Resolve(std::string_view text) const {
  VIGIL_ASSIGN_OR_RETURN(ModelSpec spec, ParseModelSpec(text));
  VIGIL_ASSIGN_OR_RETURN(std::vector<int> versions, Versions(spec.name));
  if (versions.empty()) {
    return base::NotFoundError(fmt::format("no model named '{}' in {}", spec.name, root_.string()));
  }
  const int version = spec.version.value_or(versions.back());
  if (!std::binary_search(versions.begin(), versions.end(), version)) {
    return base::NotFoundError(fmt::format("model '{}' has no version {}", spec.name, version));
  }
  return root_ / spec.name / std::to_string(version);
}

base::Result<StoredModel> Registry::Load(std::string_view spec) const {
  VIGIL_ASSIGN_OR_RETURN(fs::path dir, Resolve(spec));
  return ReadModelFolder(dir);
}

base::Result<std::vector<ModelSummary>> Registry::List() const {
  std::vector<ModelSummary> out;
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) return out;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(root_, ec)) {
    const std::string n = entry.path().filename().string();
    if (entry.is_directory() && ParseModelSpec(n).ok()) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<int> versions, Versions(n));
    for (int v : versions) {
      const fs::path dir = root_ / n / std::to_string(v);
      ModelSummary s{n, v, "?", "?", dir};
      auto manifest = ReadJson(dir / "manifest.json");
      if (manifest.ok()) {
        s.kind = manifest->value("kind", "?");
        s.created = manifest->value("created", "?");
      }
      out.push_back(std::move(s));
    }
  }
  return out;
}

base::Status Registry::UpdateMetrics(std::string_view spec,
                                     const nlohmann::ordered_json& metrics) const {
  VIGIL_ASSIGN_OR_RETURN(StoredModel stored, Load(spec));
  stored.metadata.metrics = metrics;
  const std::string created = stored.manifest.value("created", "");
  VIGIL_ASSIGN_OR_RETURN(
      auto files, FolderFiles(stored.name, stored.version, created, stored.model, stored.metadata));
  nlohmann::ordered_json manifest = stored.manifest;
  for (const char* file : {"metrics.json", "MODEL_CARD.md"}) {
    VIGIL_RETURN_IF_ERROR(base::WriteFileAtomically(stored.dir / file, files[file]));
    manifest["files"][file] = base::Sha256Hex(files[file]);
  }
  return base::WriteFileAtomically(stored.dir / "manifest.json", manifest.dump(2));
}

}  // namespace vigil::model
