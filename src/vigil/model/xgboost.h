// The RAII layer over XGBoost's C API: the only vigil file that includes <xgboost/c_api.h> is
// xgboost.cc, and no raw XGBoost handle leaves it.
//
// DMatrix and Booster own one XGBoost handle each (freed in the destructor; move-only). Every C API
// call goes through one checker that turns a failure into a base::Status carrying XGBGetLastError()
// (XGBoost's messages name parameters and shapes, never data values).
//
// Thread-safety: a DMatrix is immutable once built and may be read by several threads. A Booster
// serializes its own calls through an internal mutex (XGBoost returns prediction buffers in
// thread-local storage that the next call overwrites; the wrapper copies them out under the lock),
// so a const Booster can be shared between threads.
#ifndef VIGIL_MODEL_XGBOOST_H_
#define VIGIL_MODEL_XGBOOST_H_

#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/base/status.h"

namespace vigil::model::xgb {

// "1.7.4": the XGBoost library this build links.
std::string LibraryVersion();

class DMatrix {
 public:
  // Copies `rows` x `cols` row-major floats (NaN = missing) into a new XGBoost matrix.
  static base::Result<DMatrix> FromDense(std::span<const float> values, size_t rows, size_t cols,
                                         int num_threads);

  DMatrix(DMatrix&&) noexcept = default;
  DMatrix& operator=(DMatrix&&) noexcept = default;
  ~DMatrix() = default;

  // Label and weight vectors: one entry per row.
  base::Status SetLabels(std::span<const float> labels);
  base::Status SetWeights(std::span<const float> weights);
  // One name per column; XGBoost then checks them against the booster's at prediction.
  base::Status SetFeatureNames(const std::vector<std::string>& names);

  size_t rows() const { return rows_; }
  size_t cols() const { return cols_; }

 private:
  friend class Booster;
  struct Free {
    void operator()(void* handle) const;
  };
  DMatrix(void* handle, size_t rows, size_t cols) : handle_(handle), rows_(rows), cols_(cols) {}

  std::unique_ptr<void, Free> handle_;
  size_t rows_ = 0;
  size_t cols_ = 0;
};

// What a prediction returns per row.
enum class PredictKind {
  kMargin,         // the raw log-odds: one value per row
  kContributions,  // TreeSHAP: cols + 1 values per row (the last one is the bias)
};

class Booster {
 public:
  // A new booster whose prediction cache covers `cache` (the training and evaluation matrices).
  // The matrices must outlive every training call made with them.
  static base::Result<Booster> Create(const std::vector<const DMatrix*>& cache);
  // A booster read from XGBoost's own JSON model format.
  static base::Result<Booster> FromJson(std::string_view json);

  Booster(Booster&&) noexcept = default;
  Booster& operator=(Booster&&) noexcept = default;
  ~Booster() = default;

  base::Status SetParam(const std::string& name, const std::string& value);
  // One boosting round on `train`.
  base::Status UpdateOneIter(int iteration, const DMatrix& train);
  // The value of the booster's (single) eval_metric on `data` after the rounds done so far.
  base::Result<double> Evaluate(int iteration, const DMatrix& data) const;
  // Row-major predictions from the first `rounds` rounds (0 = all). kMargin: rows values;
  // kContributions: rows x (cols + 1).
  base::Result<std::vector<float>> Predict(const DMatrix& data, PredictKind kind,
                                           int rounds = 0) const;
  // A new booster with only the first `rounds` rounds.
  base::Result<Booster> Slice(int rounds) const;

  base::Result<int> BoostedRounds() const;
  base::Result<size_t> NumFeatures() const;
  base::Status SetFeatureNames(const std::vector<std::string>& names);
  base::Result<std::vector<std::string>> FeatureNames() const;
  // XGBoost's own JSON model format (what Python's Booster.save_model("x.json") writes).
  base::Result<std::string> SaveJson() const;

 private:
  struct Free {
    void operator()(void* handle) const;
  };
  explicit Booster(void* handle);

  std::unique_ptr<void, Free> handle_;
  std::unique_ptr<std::mutex> mutex_;
};

// One booster whose margin is the mean of the members' margins (a bag of boosters fitted with
// different seeds): every member's trees, each leaf value (and node weight) divided by the number
// of members, in XGBoost's own JSON format, so that XGBoost (from C, Python or R) predicts and
// explains it as any other model. The members must share objective, base score, feature count and
// names. InvalidArgument on an empty list or members that differ; Internal when XGBoost's JSON is
// not the expected shape.
base::Result<Booster> AverageBoosters(std::span<const Booster* const> members);

}  // namespace vigil::model::xgb

#endif  // VIGIL_MODEL_XGBOOST_H_
