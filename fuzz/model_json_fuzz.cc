// Fuzzes the readers of a model folder's JSON files (calibration, logistic model, threshold,
// fingerprint): malformed input must give a Status, never a crash or an out-of-bounds read.
#include <cmath>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "vigil/model/calibration.h"
#include "vigil/model/fingerprint.h"
#include "vigil/model/logistic.h"
#include "vigil/model/trained_model.h"

namespace {

constexpr size_t kMaxFeatures = 4096;

void Exercise(const vigil::model::Calibrator& c) {
  for (double m : {-1e300, -30.0, -1.0, 0.0, 0.5, 2.0, 1e300, std::nan("")}) (void)c.Probability(m);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::model;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return 0;

  if (auto c = Calibrator::FromJson(json); c.ok()) Exercise(*c);
  (void)DataFingerprint::FromJson(json);

  auto logistic = LogisticModel::FromJson(json);
  if (logistic.ok() && logistic->num_features() <= kMaxFeatures) {
    const size_t n = logistic->num_features();
    std::vector<float> row(n, 0.5f), missing(n, NAN), out(n + 1);
    (void)logistic->Margin(row.data());
    logistic->Contributions(missing.data(), out);
    std::vector<std::string> names;
    for (size_t j = 0; j < n; ++j) names.push_back("f" + std::to_string(j));
    // The same text as a whole logistic model with a fixed calibration, and as a threshold.
    const auto calibration =
        nlohmann::json::parse(R"({"method": "platt", "slope": 1, "intercept": 0})");
    const auto threshold = nlohmann::json::parse(
        R"({"threshold": 0.5, "rule": "fixed", "target": 0.5, "held_out": {}})");
    const std::map<std::string, std::string> files = {{"logistic.json", text}};
    (void)TrainedModel::FromFiles(ModelKind::kLogistic, files, calibration, threshold, {}, names);
    (void)TrainedModel::FromFiles(ModelKind::kLogistic, files, calibration, json, {}, names);
  }
  return 0;
}
