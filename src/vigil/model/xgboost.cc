#include "vigil/model/xgboost.h"

#include <fmt/format.h>
#include <xgboost/c_api.h>

#include <cctype>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "vigil/base/json_integer.h"
#include "vigil/base/text.h"

namespace vigil::model::xgb {
namespace {

// The one place where an XGBoost return code becomes a Status.
base::Status Check(int rc, std::string_view call) {
  if (rc == 0) return base::Status::Ok();
  const char* last = XGBGetLastError();
  std::string_view reason = last != nullptr ? last : "(no message)";
  // The library appends its C++ stack trace, which says nothing to a user.
  if (const size_t trace = reason.find("Stack trace:"); trace != std::string_view::npos) {
    reason = reason.substr(0, trace);
  }
  while (!reason.empty() && std::isspace(static_cast<unsigned char>(reason.back()))) {
    reason.remove_suffix(1);
  }
  return base::InternalError(fmt::format("XGBoost {} failed: {}", call, reason));
}

#define VIGIL_XGB_CALL(call) VIGIL_RETURN_IF_ERROR(Check((call), #call))

std::vector<const char*> CStrings(const std::vector<std::string>& names) {
  std::vector<const char*> out;
  out.reserve(names.size());
  for (const auto& n : names) out.push_back(n.c_str());
  return out;
}

}  // namespace

std::string LibraryVersion() {
  int major = 0, minor = 0, patch = 0;
  XGBoostVersion(&major, &minor, &patch);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

void DMatrix::Free::operator()(void* handle) const { XGDMatrixFree(handle); }
void Booster::Free::operator()(void* handle) const { XGBoosterFree(handle); }

base::Result<DMatrix> DMatrix::FromDense(std::span<const float> values, size_t rows, size_t cols,
                                         int num_threads) {
  if (values.size() != rows * cols) {
    return base::InvalidArgumentError(
        fmt::format("matrix has {} values for {} rows x {} columns", values.size(), rows, cols));
  }
  if (rows == 0 || cols == 0) return base::InvalidArgumentError("matrix is empty");
  DMatrixHandle handle = nullptr;
  VIGIL_XGB_CALL(XGDMatrixCreateFromMat_omp(
      values.data(), rows, cols, std::numeric_limits<float>::quiet_NaN(), &handle, num_threads));
  return DMatrix(handle, rows, cols);
}

base::Status DMatrix::SetLabels(std::span<const float> labels) {
  if (labels.size() != rows_) return base::InvalidArgumentError("one label per row expected");
  VIGIL_XGB_CALL(XGDMatrixSetFloatInfo(handle_.get(), "label", labels.data(), labels.size()));
  return base::Status::Ok();
}

base::Status DMatrix::SetWeights(std::span<const float> weights) {
  if (weights.size() != rows_) return base::InvalidArgumentError("one weight per row expected");
  VIGIL_XGB_CALL(XGDMatrixSetFloatInfo(handle_.get(), "weight", weights.data(), weights.size()));
  return base::Status::Ok();
}

base::Status DMatrix::SetFeatureNames(const std::vector<std::string>& names) {
  if (names.size() != cols_) return base::InvalidArgumentError("one name per column expected");
  auto c = CStrings(names);
  VIGIL_XGB_CALL(XGDMatrixSetStrFeatureInfo(handle_.get(), "feature_name", c.data(), c.size()));
  return base::Status::Ok();
}

Booster::Booster(void* handle) : handle_(handle), mutex_(std::make_unique<std::mutex>()) {}

base::Result<Booster> Booster::Create(const std::vector<const DMatrix*>& cache) {
  std::vector<DMatrixHandle> handles;
  for (const DMatrix* m : cache) handles.push_back(m->handle_.get());
  BoosterHandle handle = nullptr;
  VIGIL_XGB_CALL(XGBoosterCreate(handles.data(), handles.size(), &handle));
  return Booster(handle);
}

base::Result<Booster> Booster::FromJson(std::string_view json) {
  BoosterHandle handle = nullptr;
  VIGIL_XGB_CALL(XGBoosterCreate(nullptr, 0, &handle));
  Booster booster(handle);
  VIGIL_XGB_CALL(XGBoosterLoadModelFromBuffer(handle, json.data(), json.size()));
  return booster;
}

base::Status Booster::SetParam(const std::string& name, const std::string& value) {
  std::lock_guard lock(*mutex_);
  VIGIL_XGB_CALL(XGBoosterSetParam(handle_.get(), name.c_str(), value.c_str()));
  return base::Status::Ok();
}

base::Status Booster::UpdateOneIter(int iteration, const DMatrix& train) {
  std::lock_guard lock(*mutex_);
  VIGIL_XGB_CALL(XGBoosterUpdateOneIter(handle_.get(), iteration, train.handle_.get()));
  return base::Status::Ok();
}

base::Result<double> Booster::Evaluate(int iteration, const DMatrix& data) const {
  std::lock_guard lock(*mutex_);
  DMatrixHandle handles[] = {data.handle_.get()};
  const char* names[] = {"data"};
  const char* out = nullptr;
  VIGIL_XGB_CALL(XGBoosterEvalOneIter(handle_.get(), iteration, handles, names, 1, &out));
  // "[3]\tdata-logloss:0.52341"
  std::string_view text(out);
  const size_t colon = text.rfind(':');
  std::optional<double> value;
  if (colon != std::string_view::npos) value = base::ParseDouble(text.substr(colon + 1));
  if (!value) return base::InternalError("XGBoost evaluation output has no metric value");
  return *value;
}

base::Result<std::vector<float>> Booster::Predict(const DMatrix& data, PredictKind kind,
                                                  int rounds) const {
  std::lock_guard lock(*mutex_);
  const int type = kind == PredictKind::kMargin ? 1 : 2;
  const std::string config =
      fmt::format(R"({{"type": {}, "training": false, "iteration_begin": 0, "iteration_end": {}, )"
                  R"("strict_shape": false}})",
                  type, rounds);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  VIGIL_XGB_CALL(XGBoosterPredictFromDMatrix(handle_.get(), data.handle_.get(), config.c_str(),
                                             &shape, &dim, &result));
  size_t total = 1;
  for (bst_ulong i = 0; i < dim; ++i) total *= shape[i];
  const size_t expected =
      kind == PredictKind::kMargin ? data.rows() : data.rows() * (data.cols() + 1);
  if (total != expected) {
    return base::InternalError(
        fmt::format("XGBoost prediction has {} values, expected {}", total, expected));
  }
  return std::vector<float>(result, result + total);
}

base::Result<Booster> Booster::Slice(int rounds) const {
  std::lock_guard lock(*mutex_);
  BoosterHandle out = nullptr;
  VIGIL_XGB_CALL(XGBoosterSlice(handle_.get(), 0, rounds, 1, &out));
  return Booster(out);
}

base::Result<int> Booster::BoostedRounds() const {
  std::lock_guard lock(*mutex_);
  int rounds = 0;
  VIGIL_XGB_CALL(XGBoosterBoostedRounds(handle_.get(), &rounds));
  return rounds;
}

base::Result<size_t> Booster::NumFeatures() const {
  std::lock_guard lock(*mutex_);
  bst_ulong n = 0;
  VIGIL_XGB_CALL(XGBoosterGetNumFeature(handle_.get(), &n));
  return static_cast<size_t>(n);
}

base::Status Booster::SetFeatureNames(const std::vector<std::string>& names) {
  std::lock_guard lock(*mutex_);
  auto c = CStrings(names);
  VIGIL_XGB_CALL(XGBoosterSetStrFeatureInfo(handle_.get(), "feature_name", c.data(), c.size()));
  return base::Status::Ok();
}

base::Result<std::vector<std::string>> Booster::FeatureNames() const {
  std::lock_guard lock(*mutex_);
  bst_ulong n = 0;
  const char** names = nullptr;
  VIGIL_XGB_CALL(XGBoosterGetStrFeatureInfo(handle_.get(), "feature_name", &n, &names));
  return std::vector<std::string>(names, names + n);
}

base::Result<std::string> Booster::SaveJson() const {
  std::lock_guard lock(*mutex_);
  bst_ulong len = 0;
  const char* data = nullptr;
  VIGIL_XGB_CALL(XGBoosterSaveModelToBuffer(handle_.get(), R"({"format": "json"})", &len, &data));
  return std::string(data, len);
}

namespace {

// Divides a gbtree model's leaf values and node weights by `n` (in place).
base::Status ScaleTrees(nlohmann::json& trees, double n) {
  for (auto& tree : trees) {
    auto& left = tree.at("left_children");
    auto& values = tree.at("split_conditions");
    auto& weights = tree.at("base_weights");
    if (left.size() != values.size() || weights.size() != values.size()) {
      return base::InternalError("XGBoost tree arrays differ in length");
    }
    for (size_t i = 0; i < values.size(); ++i) {
      weights[i] = weights[i].get<double>() / n;
      if (left[i].get<int64_t>() == -1) values[i] = values[i].get<double>() / n;
    }
  }
  return base::Status::Ok();
}

}  // namespace

base::Result<Booster> AverageBoosters(std::span<const Booster* const> members) {
  if (members.empty()) return base::InvalidArgumentError("no boosters to average");
  if (members.size() == 1) {
    VIGIL_ASSIGN_OR_RETURN(std::string json, members[0]->SaveJson());
    return Booster::FromJson(json);
  }
  try {
    nlohmann::json merged;
    nlohmann::json all_trees = nlohmann::json::array();
    for (size_t b = 0; b < members.size(); ++b) {
      VIGIL_ASSIGN_OR_RETURN(std::string text, members[b]->SaveJson());
      nlohmann::json model = nlohmann::json::parse(text);
      auto& learner = model.at("learner");
      auto& gbtree = learner.at("gradient_booster");
      if (gbtree.at("name") != "gbtree") {
        return base::InvalidArgumentError("only tree boosters (gbtree) can be averaged");
      }
      auto& trees = gbtree.at("model").at("trees");
      VIGIL_RETURN_IF_ERROR(ScaleTrees(trees, static_cast<double>(members.size())));
      for (auto& tree : trees) all_trees.push_back(std::move(tree));
      if (b == 0) {
        merged = std::move(model);  // its trees are replaced by all members' below
        continue;
      }
      const auto& first = merged.at("learner");
      for (const char* key : {"learner_model_param", "objective", "feature_names"}) {
        if (learner.at(key) != first.at(key)) {
          return base::InvalidArgumentError(
              fmt::format("boosters to average differ in their {}", key));
        }
      }
    }
    auto& model = merged.at("learner").at("gradient_booster").at("model");
    // One tree per round and one output: every tree belongs to output group 0.
    if (model.at("gbtree_model_param").at("num_parallel_tree") != "1" ||
        merged.at("learner").at("learner_model_param").at("num_class") != "0") {
      return base::InvalidArgumentError(
          "only single-output boosters with one tree per round can be averaged");
    }
    for (size_t i = 0; i < all_trees.size(); ++i) all_trees[i]["id"] = i;
    model["tree_info"] = std::vector<int>(all_trees.size(), 0);
    model["gbtree_model_param"]["num_trees"] = std::to_string(all_trees.size());
    model["trees"] = std::move(all_trees);
    merged["learner"]["attributes"] = nlohmann::json::object();
    return Booster::FromJson(merged.dump());
  } catch (const nlohmann::json::exception& e) {
    return base::InternalError(fmt::format("XGBoost model JSON has an unexpected shape: {}",
                                           base::JsonErrorText(e.what())));
  }
}

}  // namespace vigil::model::xgb
