// A fingerprint of the data a model was trained on: a SHA-256 over the feature names, the row keys,
// the values and the labels, with the counts and time range a reader needs to recognize the data.
// It identifies a training set without containing it (no identifier or value can be read back).
#ifndef VIGIL_MODEL_FINGERPRINT_H_
#define VIGIL_MODEL_FINGERPRINT_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "vigil/base/status.h"
#include "vigil/features/matrix.h"

namespace vigil::model {

struct DataFingerprint {
  std::string sha256;  // lower-case hex; "" when unknown
  size_t rows = 0;
  size_t features = 0;
  size_t subjects = 0;
  size_t labelled_rows = 0;
  size_t positives = 0;
  std::string first_time;  // ISO 8601 of the earliest and latest prediction time; "" when no rows
  std::string last_time;

  nlohmann::ordered_json ToJson() const;
  static base::Result<DataFingerprint> FromJson(const nlohmann::json& json);
};

// Deterministic: the same matrix gives the same digest on every platform (floats are hashed as
// little-endian IEEE bits with one canonical NaN).
DataFingerprint Fingerprint(const features::FeatureMatrix& matrix);

}  // namespace vigil::model

#endif  // VIGIL_MODEL_FINGERPRINT_H_
