#include "vigil/model/logistic.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "vigil/base/json_integer.h"
#include "vigil/base/quantile.h"
#include "vigil/model/linear_algebra.h"

namespace vigil::model {
namespace {

// Line search: Armijo sufficient-decrease constant and the most step halvings tried.
constexpr double kArmijo = 1e-4;
constexpr int kMaxHalvings = 40;
// A column whose standard deviation is below this is treated as constant.
constexpr double kMinScale = 1e-12;
// Keeps the (unpenalized) intercept's Hessian entry positive definite in degenerate cases.
constexpr double kInterceptRidge = 1e-12;
// Training rows whose Hessian terms are gathered together (LogisticFitter::Accumulate).
constexpr size_t kBlockRows = 64;

// hessian[a][b] += sum over the block's rows k of hz[k][a] * z[k][b], for b >= a (the upper
// triangle). Four rows at a time, so each Hessian entry is loaded and stored once per four rows.
// Compiled twice, with AVX2 where the processor has it; every entry still sees the same additions
// in the same order (no fused multiply-add), so both versions give the same bits.
__attribute__((target_clones("avx2", "default"))) void AddBlockHessian(const double* z,
                                                                       const double* hz,
                                                                       size_t rows, size_t q,
                                                                       double* hessian) {
  for (size_t a = 0; a < q; ++a) {
    double* hrow = hessian + a * q;
    size_t k = 0;
    for (; k + 4 <= rows; k += 4) {
      const double h0 = hz[k * q + a], h1 = hz[(k + 1) * q + a];
      const double h2 = hz[(k + 2) * q + a], h3 = hz[(k + 3) * q + a];
      const double* z0 = z + k * q;
      const double* z1 = z0 + q;
      const double* z2 = z1 + q;
      const double* z3 = z2 + q;
      for (size_t b = a; b < q; ++b) {
        hrow[b] += (h0 * z0[b] + h1 * z1[b]) + (h2 * z2[b] + h3 * z3[b]);
      }
    }
    for (; k < rows; ++k) {
      const double hk = hz[k * q + a];
      const double* zk = z + k * q;
      for (size_t b = a; b < q; ++b) hrow[b] += hk * zk[b];
    }
  }
}

double Softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

}  // namespace

// One Newton fit. Parameter 0 is the intercept; then one per term (a standardized feature or an
// indicator) of a non-constant column.
class LogisticFitter {
 public:
  LogisticFitter(const features::FeatureMatrix& m, std::span<const size_t> rows,
                 std::span<const float> weights, const LogisticOptions& options)
      : m_(m), rows_(rows), weights_(weights), options_(options) {}

  base::Result<LogisticModel> Run();

 private:
  struct Term {
    size_t column;
    bool indicator;
  };
  struct Sums {
    double loss = 0;
    std::vector<double> gradient;
    std::vector<double> hessian;  // q x q, upper triangle filled
  };

  void Standardize();
  void Design(const float* row, double* z) const;  // writes 1 + terms_.size() values
  // Weighted sums over rows [begin, end); the Hessian only when `hessian` is set.
  void Accumulate(size_t begin, size_t end, const std::vector<double>& theta, bool hessian,
                  Sums& out) const;
  Sums Total(const std::vector<double>& theta, bool hessian) const;
  double Objective(const Sums& s, const std::vector<double>& theta) const;

  const features::FeatureMatrix& m_;
  std::span<const size_t> rows_;
  std::span<const float> weights_;
  LogisticOptions options_;
  LogisticModel model_;
  std::vector<Term> terms_;
  double total_weight_ = 0;
};

void LogisticFitter::Standardize() {
  const size_t cols = m_.num_cols();
  model_.columns_.assign(cols, {});
  std::vector<float> present;
  present.reserve(rows_.size());
  for (size_t j = 0; j < cols; ++j) {
    present.clear();
    for (size_t r : rows_) {
      const float v = m_.at(r, j);
      if (!std::isnan(v)) present.push_back(v);
    }
    auto& c = model_.columns_[j];
    if (options_.clip_quantile > 0 && !present.empty()) {
      const double lower = base::Quantile(std::span(present), options_.clip_quantile);
      const double upper = base::Quantile(std::span(present), 1 - options_.clip_quantile);
      if (lower < upper) {  // a column clipping would make constant keeps its values
        c.lower = lower;
        c.upper = upper;
      }
    }
    double sum = 0, sum_sq = 0;
    for (float v : present) sum += c.Clip(v);
    const double mean = present.empty() ? 0.0 : sum / static_cast<double>(present.size());
    for (float v : present) {
      const double d = c.Clip(v) - mean;
      sum_sq += d * d;
    }
    c.mean = mean;
    const double sd =
        present.empty() ? 0.0 : std::sqrt(sum_sq / static_cast<double>(present.size()));
    c.scale = sd > kMinScale ? sd : 1.0;
    if (sd > kMinScale) terms_.push_back({j, false});
    if (!present.empty() && present.size() < rows_.size()) {
      const double p =
          1.0 - static_cast<double>(present.size()) / static_cast<double>(rows_.size());
      c.indicator = true;
      c.indicator_mean = p;
      c.indicator_scale = std::sqrt(p * (1 - p));
      terms_.push_back({j, true});
    }
  }
}

void LogisticFitter::Design(const float* row, double* z) const {
  z[0] = 1.0;
  for (size_t t = 0; t < terms_.size(); ++t) {
    const auto& c = model_.columns_[terms_[t].column];
    const float v = row[terms_[t].column];
    if (terms_[t].indicator) {
      z[t + 1] = ((std::isnan(v) ? 1.0 : 0.0) - c.indicator_mean) / c.indicator_scale;
    } else {
      z[t + 1] = std::isnan(v) ? 0.0 : (c.Clip(v) - c.mean) / c.scale;
    }
  }
}

void LogisticFitter::Accumulate(size_t begin, size_t end, const std::vector<double>& theta,
                                bool hessian, Sums& out) const {
  const size_t q = theta.size();
  out.loss = 0;
  out.gradient.assign(q, 0.0);
  if (hessian) out.hessian.assign(q * q, 0.0);
  // Rows are taken kBlockRows at a time: their design vectors (z) and weighted ones (h z) are kept,
  // and each Hessian row a then gathers sum_k h_k z_ka z_kb over the block in one pass while it
  // stays in cache. Adding row by row instead streamed the whole q x q Hessian through memory once
  // per training row, which made the fit memory-bound (bench/bench_logistic.sh).
  std::vector<double> z(kBlockRows * q);                 // row k of the block at z[k * q]
  std::vector<double> hz(hessian ? kBlockRows * q : 0);  // h_k z_k, the same layout
  for (size_t start = begin; start < end; start += kBlockRows) {
    const size_t rows = std::min(kBlockRows, end - start);
    for (size_t k = 0; k < rows; ++k) {
      const size_t i = start + k;
      double* zk = z.data() + k * q;
      Design(m_.row(rows_[i]), zk);
      double eta = 0;
      for (size_t a = 0; a < q; ++a) eta += theta[a] * zk[a];
      const double y = m_.labels[rows_[i]] > 0.5f ? 1.0 : 0.0;
      const double w = weights_[i];
      out.loss += w * (Softplus(eta) - y * eta);
      const double p = 1.0 / (1.0 + std::exp(-eta));
      const double g = w * (p - y);
      for (size_t a = 0; a < q; ++a) out.gradient[a] += g * zk[a];
      if (!hessian) continue;
      const double h = w * p * (1 - p);
      double* hzk = hz.data() + k * q;
      for (size_t a = 0; a < q; ++a) hzk[a] = h * zk[a];
    }
    if (!hessian) continue;
    AddBlockHessian(z.data(), hz.data(), rows, q, out.hessian.data());
  }
}

LogisticFitter::Sums LogisticFitter::Total(const std::vector<double>& theta, bool hessian) const {
  const size_t n = rows_.size();
  const size_t threads =
      std::clamp<size_t>(static_cast<size_t>(std::max(options_.num_threads, 1)), 1, n);
  std::vector<Sums> parts(threads);
  std::vector<std::thread> workers;
  for (size_t t = 1; t < threads; ++t) {
    workers.emplace_back(
        [&, t] { Accumulate(n * t / threads, n * (t + 1) / threads, theta, hessian, parts[t]); });
  }
  Accumulate(0, n / threads, theta, hessian, parts[0]);
  for (auto& w : workers) w.join();
  Sums total = std::move(parts[0]);
  for (size_t t = 1; t < threads; ++t) {  // fixed order: deterministic for a given thread count
    total.loss += parts[t].loss;
    for (size_t a = 0; a < total.gradient.size(); ++a) total.gradient[a] += parts[t].gradient[a];
    for (size_t a = 0; a < total.hessian.size(); ++a) total.hessian[a] += parts[t].hessian[a];
  }
  return total;
}

double LogisticFitter::Objective(const Sums& s, const std::vector<double>& theta) const {
  double penalty = 0;
  for (size_t a = 1; a < theta.size(); ++a) penalty += theta[a] * theta[a];
  return s.loss / total_weight_ + 0.5 * options_.l2 * penalty;
}

base::Result<LogisticModel> LogisticFitter::Run() {
  if (weights_.size() != rows_.size()) {
    return base::InvalidArgumentError("one weight per training row expected");
  }
  double positive_weight = 0;
  for (size_t i = 0; i < rows_.size(); ++i) {
    const float y = m_.labels[rows_[i]];
    if (std::isnan(y)) return base::InvalidArgumentError("training rows must be labelled");
    if (!(weights_[i] >= 0)) return base::InvalidArgumentError("weights must be non-negative");
    total_weight_ += weights_[i];
    if (y > 0.5f) positive_weight += weights_[i];
  }
  if (positive_weight <= 0 || positive_weight >= total_weight_) {
    return base::FailedPreconditionError("logistic regression needs both classes in training");
  }
  Standardize();
  const size_t q = terms_.size() + 1;
  std::vector<double> theta(q, 0.0);
  const double prior = positive_weight / total_weight_;
  theta[0] = std::log(prior / (1 - prior));

  Sums s = Total(theta, true);
  double f = Objective(s, theta);
  for (model_.iterations_ = 0; model_.iterations_ < options_.max_iterations;) {
    ++model_.iterations_;
    std::vector<double> hessian(q * q), gradient(q);
    for (size_t a = 0; a < q; ++a) {
      gradient[a] = s.gradient[a] / total_weight_ + (a > 0 ? options_.l2 * theta[a] : 0.0);
      for (size_t b = a; b < q; ++b) {
        hessian[a * q + b] = hessian[b * q + a] = s.hessian[a * q + b] / total_weight_;
      }
      hessian[a * q + a] += a > 0 ? options_.l2 : kInterceptRidge;
    }
    for (double& g : gradient) g = -g;
    VIGIL_ASSIGN_OR_RETURN(std::vector<double> step, SolveCholesky(hessian, gradient, q));
    double decrease = 0;  // -(gradient . step) = Newton decrement^2
    for (size_t a = 0; a < q; ++a) decrease += gradient[a] * step[a];
    if (decrease / 2 < options_.tolerance) {
      model_.converged_ = true;
      break;
    }
    double t = 1.0;
    std::vector<double> next(q);
    bool accepted = false;
    for (int h = 0; h < kMaxHalvings && !accepted; ++h, t /= 2) {
      for (size_t a = 0; a < q; ++a) next[a] = theta[a] + t * step[a];
      Sums trial = Total(next, false);
      const double f_next = Objective(trial, next);
      if (f_next <= f - kArmijo * t * decrease) {
        accepted = true;
        theta = next;
        f = f_next;
      }
    }
    if (!accepted) {  // no further decrease is representable: at the optimum to rounding
      model_.converged_ = true;
      break;
    }
    s = Total(theta, true);
  }

  model_.intercept_ = theta[0];
  for (size_t t = 0; t < terms_.size(); ++t) {
    auto& c = model_.columns_[terms_[t].column];
    (terms_[t].indicator ? c.indicator_coefficient : c.coefficient) = theta[t + 1];
  }
  return std::move(model_);
}

base::Result<LogisticModel> LogisticModel::Fit(const features::FeatureMatrix& matrix,
                                               std::span<const size_t> rows,
                                               std::span<const float> weights,
                                               const LogisticOptions& options) {
  if (!(options.l2 > 0)) return base::InvalidArgumentError("the L2 penalty must be positive");
  if (!(options.clip_quantile >= 0 && options.clip_quantile < 0.5)) {
    return base::InvalidArgumentError("the clipping quantile must be in [0, 0.5)");
  }
  return LogisticFitter(matrix, rows, weights, options).Run();
}

double LogisticModel::FeatureTerm(size_t j, float value) const {
  const Column& c = columns_[j];
  const bool missing = std::isnan(value);
  double term = missing ? 0.0 : c.coefficient * (c.Clip(value) - c.mean) / c.scale;
  if (c.indicator) {
    term +=
        c.indicator_coefficient * ((missing ? 1.0 : 0.0) - c.indicator_mean) / c.indicator_scale;
  }
  return term;
}

double LogisticModel::Margin(const float* row) const {
  double margin = intercept_;
  for (size_t j = 0; j < columns_.size(); ++j) margin += FeatureTerm(j, row[j]);
  return margin;
}

void LogisticModel::Contributions(const float* row, std::span<float> out) const {
  for (size_t j = 0; j < columns_.size(); ++j) out[j] = static_cast<float>(FeatureTerm(j, row[j]));
  out[columns_.size()] = static_cast<float>(intercept_);
}

nlohmann::ordered_json LogisticModel::ToJson() const {
  nlohmann::ordered_json j;
  j["intercept"] = intercept_;
  j["iterations"] = iterations_;
  j["converged"] = converged_;
  auto& cols = j["columns"] = nlohmann::ordered_json::array();
  for (const Column& c : columns_) {
    nlohmann::ordered_json col = {
        {"mean", c.mean}, {"scale", c.scale}, {"coefficient", c.coefficient}};
    if (c.clipped()) {
      col["lower"] = c.lower;
      col["upper"] = c.upper;
    }
    if (c.indicator) {
      col["indicator_mean"] = c.indicator_mean;
      col["indicator_scale"] = c.indicator_scale;
      col["indicator_coefficient"] = c.indicator_coefficient;
    }
    cols.push_back(std::move(col));
  }
  return j;
}

base::Result<LogisticModel> LogisticModel::FromJson(const nlohmann::json& json) {
  try {
    LogisticModel m;
    m.intercept_ = json.at("intercept").get<double>();
    if (!std::isfinite(m.intercept_))
      return base::DataLossError("logistic intercept is not finite");
    m.iterations_ = base::IntegerOr<int>(json, "iterations", 0);
    m.converged_ = json.value("converged", false);
    for (const auto& col : json.at("columns")) {
      Column c;
      c.mean = col.at("mean").get<double>();
      c.scale = col.at("scale").get<double>();
      c.coefficient = col.at("coefficient").get<double>();
      // Models written before values were clipped have no bounds: nothing is clipped.
      if (col.contains("lower") || col.contains("upper")) {
        c.lower = col.at("lower").get<double>();
        c.upper = col.at("upper").get<double>();
        if (!std::isfinite(c.lower) || !std::isfinite(c.upper) || !(c.lower < c.upper)) {
          return base::DataLossError("logistic model has invalid clipping bounds");
        }
      }
      c.indicator = col.contains("indicator_coefficient");
      if (c.indicator) {
        c.indicator_mean = col.at("indicator_mean").get<double>();
        c.indicator_scale = col.at("indicator_scale").get<double>();
        c.indicator_coefficient = col.at("indicator_coefficient").get<double>();
      }
      const double numbers[] = {c.mean,           c.scale,           c.coefficient,
                                c.indicator_mean, c.indicator_scale, c.indicator_coefficient};
      if (!std::all_of(std::begin(numbers), std::end(numbers),
                       [](double x) { return std::isfinite(x); })) {
        return base::DataLossError("logistic model has a non-finite number");
      }
      if (!(c.scale > 0) || (c.indicator && !(c.indicator_scale > 0))) {
        return base::DataLossError("logistic model has a non-positive scale");
      }
      m.columns_.push_back(c);
    }
    return m;
  } catch (const nlohmann::json::exception& e) {
    return base::DataLossError(fmt::format("logistic model JSON: {}", base::JsonErrorText(e.what())));
  }
}

}  // namespace vigil::model
