#include "vigil/model/calibration.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "vigil/base/json_integer.h"
#include "vigil/model/linear_algebra.h"
#include "vigil/model/scoring.h"

namespace vigil::model {
namespace {

constexpr int kPlattMaxIterations = 100;
constexpr double kPlattTolerance = 1e-12;
// A tiny ridge on the Platt slope keeps it finite when held-out margins separate the classes.
constexpr double kPlattRidge = 1e-6;

base::Status CheckInputs(std::span<const double> margins, std::span<const float> labels) {
  if (margins.size() != labels.size()) {
    return base::InvalidArgumentError("one label per margin expected");
  }
  if (margins.empty()) return base::InvalidArgumentError("no rows to calibrate on");
  const auto positives =
      std::count_if(labels.begin(), labels.end(), [](float y) { return y > 0.5f; });
  if (positives == 0 || static_cast<size_t>(positives) == labels.size()) {
    return base::FailedPreconditionError("calibration needs both classes");
  }
  return base::Status::Ok();
}

// Mean log loss of sigmoid(a m + b) and its gradient and Hessian in (a, b), ridge included.
double PlattObjective(std::span<const double> m, std::span<const float> y, double a, double b,
                      std::vector<double>* grad, std::vector<double>* hess) {
  double loss = 0, ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
  for (size_t i = 0; i < m.size(); ++i) {
    const double eta = a * m[i] + b;
    const double yi = y[i] > 0.5f ? 1.0 : 0.0;
    loss += (eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta))) - yi * eta;
    const double p = Sigmoid(eta);
    ga += (p - yi) * m[i];
    gb += p - yi;
    const double w = p * (1 - p);
    haa += w * m[i] * m[i];
    hab += w * m[i];
    hbb += w;
  }
  const double n = static_cast<double>(m.size());
  if (grad != nullptr) *grad = {ga / n + kPlattRidge * a, gb / n};
  if (hess != nullptr) *hess = {haa / n + kPlattRidge, hab / n, hab / n, hbb / n + kPlattRidge};
  return loss / n + 0.5 * kPlattRidge * a * a;
}

}  // namespace

std::string_view CalibrationMethodName(CalibrationMethod method) {
  switch (method) {
    case CalibrationMethod::kNone:
      return "none";
    case CalibrationMethod::kPlatt:
      return "platt";
    case CalibrationMethod::kIsotonic:
      return "isotonic";
  }
  return "none";
}

std::optional<CalibrationMethod> ParseCalibrationMethod(std::string_view name) {
  for (auto m :
       {CalibrationMethod::kNone, CalibrationMethod::kPlatt, CalibrationMethod::kIsotonic}) {
    if (CalibrationMethodName(m) == name) return m;
  }
  return std::nullopt;
}

std::string_view CalibrationMethodDisplay(CalibrationMethod method) {
  return method == CalibrationMethod::kPlatt ? "Platt" : CalibrationMethodName(method);
}

base::Result<Calibrator> Calibrator::Fit(CalibrationMethod method, std::span<const double> margins,
                                         std::span<const float> labels) {
  VIGIL_RETURN_IF_ERROR(CheckInputs(margins, labels));
  switch (method) {
    case CalibrationMethod::kNone:
      return Calibrator();
    case CalibrationMethod::kPlatt:
      return FitPlatt(margins, labels);
    case CalibrationMethod::kIsotonic:
      return FitIsotonic(margins, labels);
  }
  return base::InvalidArgumentError("unknown calibration method");
}

base::Result<Calibrator> Calibrator::FitPlatt(std::span<const double> margins,
                                              std::span<const float> labels) {
  double a = 1, b = 0;
  std::vector<double> grad, hess;
  double f = PlattObjective(margins, labels, a, b, &grad, &hess);
  for (int it = 0; it < kPlattMaxIterations; ++it) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<double> step, SolveCholesky(hess, {-grad[0], -grad[1]}, 2));
    const double decrease = -(grad[0] * step[0] + grad[1] * step[1]);
    if (decrease / 2 < kPlattTolerance) break;
    double t = 1;
    bool accepted = false;
    for (int h = 0; h < 40 && !accepted; ++h, t /= 2) {
      const double f_next =
          PlattObjective(margins, labels, a + t * step[0], b + t * step[1], nullptr, nullptr);
      if (f_next <= f - 1e-4 * t * decrease) {
        a += t * step[0];
        b += t * step[1];
        accepted = true;
      }
    }
    if (!accepted) break;
    f = PlattObjective(margins, labels, a, b, &grad, &hess);
  }
  Calibrator c;
  c.method_ = CalibrationMethod::kPlatt;
  c.slope_ = a;
  c.intercept_ = b;
  return c;
}

Calibrator Calibrator::FitIsotonic(std::span<const double> margins, std::span<const float> labels) {
  std::vector<size_t> order(margins.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](size_t x, size_t y) { return margins[x] < margins[y]; });
  struct Block {
    double sum_y, weight, sum_margin, lo, hi;
  };
  std::vector<Block> blocks;
  for (size_t i = 0; i < order.size();) {  // tied margins form one point
    const double m = margins[order[i]];
    Block b{0, 0, 0, m, m};
    for (; i < order.size() && margins[order[i]] == m; ++i) {
      b.sum_y += labels[order[i]] > 0.5f ? 1.0 : 0.0;
      b.weight += 1;
      b.sum_margin += m;
    }
    blocks.push_back(b);
    // Pool adjacent violators: merge while the previous block's mean is not below this one's.
    while (blocks.size() > 1) {
      Block& prev = blocks[blocks.size() - 2];
      const Block& last = blocks.back();
      if (prev.sum_y * last.weight < last.sum_y * prev.weight) break;
      prev.sum_y += last.sum_y;
      prev.weight += last.weight;
      prev.sum_margin += last.sum_margin;
      prev.hi = last.hi;
      blocks.pop_back();
    }
  }
  // Knots at the blocks' mean margins (centred isotonic regression): the blocks' means strictly
  // increase, so the interpolation does too and keeps the margins' ranking. The first and last
  // blocks' outer halves continue the neighbouring segment's line out to the block's edge.
  std::vector<double> x, y;
  for (const Block& b : blocks) {
    x.push_back(std::clamp(b.sum_margin / b.weight, b.lo, b.hi));
    y.push_back(ClipProbability(b.sum_y / b.weight));
  }
  Calibrator c;
  c.method_ = CalibrationMethod::kIsotonic;
  const size_t n = x.size();
  const auto slope = [&](size_t i) {  // of the segment from knot i to knot i + 1
    return x[i + 1] > x[i] ? (y[i + 1] - y[i]) / (x[i + 1] - x[i]) : 0.0;
  };
  if (blocks.front().lo < x.front()) {
    c.knot_margin_.push_back(blocks.front().lo);
    c.knot_probability_.push_back(
        n > 1 ? ClipProbability(y.front() - slope(0) * (x.front() - blocks.front().lo))
              : y.front());
  }
  c.knot_margin_.insert(c.knot_margin_.end(), x.begin(), x.end());
  c.knot_probability_.insert(c.knot_probability_.end(), y.begin(), y.end());
  if (blocks.back().hi > x.back()) {
    c.knot_margin_.push_back(blocks.back().hi);
    c.knot_probability_.push_back(
        n > 1 ? ClipProbability(y.back() + slope(n - 2) * (blocks.back().hi - x.back()))
              : y.back());
  }
  return c;
}

double Calibrator::Probability(double margin) const {
  switch (method_) {
    case CalibrationMethod::kNone:
      return Sigmoid(margin);
    case CalibrationMethod::kPlatt:
      return Sigmoid(slope_ * margin + intercept_);
    case CalibrationMethod::kIsotonic:
      break;
  }
  if (std::isnan(margin)) return margin;
  const auto& x = knot_margin_;
  if (margin <= x.front()) return knot_probability_.front();
  if (margin >= x.back()) return knot_probability_.back();
  const size_t hi = static_cast<size_t>(std::upper_bound(x.begin(), x.end(), margin) - x.begin());
  const size_t lo = hi - 1;
  const double t = (margin - x[lo]) / (x[hi] - x[lo]);
  return knot_probability_[lo] + t * (knot_probability_[hi] - knot_probability_[lo]);
}

nlohmann::ordered_json Calibrator::ToJson() const {
  nlohmann::ordered_json j;
  j["method"] = CalibrationMethodName(method_);
  if (method_ == CalibrationMethod::kPlatt) {
    j["slope"] = slope_;
    j["intercept"] = intercept_;
  } else if (method_ == CalibrationMethod::kIsotonic) {
    j["margins"] = knot_margin_;
    j["probabilities"] = knot_probability_;
  }
  return j;
}

base::Result<Calibrator> Calibrator::FromJson(const nlohmann::json& json) {
  try {
    auto method = ParseCalibrationMethod(json.at("method").get<std::string>());
    if (!method) return base::DataLossError("calibration has an unknown method");
    Calibrator c;
    c.method_ = *method;
    if (c.method_ == CalibrationMethod::kPlatt) {
      c.slope_ = json.at("slope").get<double>();
      c.intercept_ = json.at("intercept").get<double>();
      if (!std::isfinite(c.slope_) || !std::isfinite(c.intercept_)) {
        return base::DataLossError("Platt calibration has a non-finite parameter");
      }
    } else if (c.method_ == CalibrationMethod::kIsotonic) {
      c.knot_margin_ = json.at("margins").get<std::vector<double>>();
      c.knot_probability_ = json.at("probabilities").get<std::vector<double>>();
      auto finite = [](const std::vector<double>& v) {
        return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
      };
      if (!finite(c.knot_margin_) || !finite(c.knot_probability_)) {
        return base::DataLossError("isotonic calibration has a non-finite knot");
      }
      if (c.knot_margin_.empty() || c.knot_margin_.size() != c.knot_probability_.size() ||
          !std::is_sorted(c.knot_margin_.begin(), c.knot_margin_.end()) ||
          !std::is_sorted(c.knot_probability_.begin(), c.knot_probability_.end())) {
        return base::DataLossError("isotonic calibration knots are not increasing");
      }
    }
    return c;
  } catch (const nlohmann::json::exception& e) {
    return base::DataLossError(fmt::format("calibration JSON: {}", base::JsonErrorText(e.what())));
  }
}

base::Result<CalibrationSelection> SelectCalibration(std::span<const double> margins,
                                                     std::span<const float> labels,
                                                     std::span<const int> fold_of_row, int folds) {
  VIGIL_RETURN_IF_ERROR(CheckInputs(margins, labels));
  if (fold_of_row.size() != margins.size()) {
    return base::InvalidArgumentError("one fold per margin expected");
  }
  CalibrationSelection out;
  std::vector<double> brier(3, 0.0);  // none, platt, isotonic
  int scored_folds = 0;
  for (int f = 0; f < folds; ++f) {
    std::vector<double> fit_m, test_m;
    std::vector<float> fit_y, test_y;
    for (size_t i = 0; i < margins.size(); ++i) {
      (fold_of_row[i] == f ? test_m : fit_m).push_back(margins[i]);
      (fold_of_row[i] == f ? test_y : fit_y).push_back(labels[i]);
    }
    if (test_m.empty() || !CheckInputs(fit_m, fit_y).ok()) continue;
    ++scored_folds;
    const CalibrationMethod methods[] = {CalibrationMethod::kNone, CalibrationMethod::kPlatt,
                                         CalibrationMethod::kIsotonic};
    for (int k = 0; k < 3; ++k) {
      VIGIL_ASSIGN_OR_RETURN(Calibrator c, Calibrator::Fit(methods[k], fit_m, fit_y));
      std::vector<double> p(test_m.size());
      for (size_t i = 0; i < p.size(); ++i) p[i] = c.Probability(test_m[i]);
      brier[k] += BrierScore(p, test_y);
    }
  }
  if (scored_folds == 0) return base::FailedPreconditionError("no fold to choose calibration on");
  out.brier_none = brier[0] / scored_folds;
  out.brier_platt = brier[1] / scored_folds;
  out.brier_isotonic = brier[2] / scored_folds;
  const CalibrationMethod chosen = out.brier_isotonic < out.brier_platt
                                       ? CalibrationMethod::kIsotonic
                                       : CalibrationMethod::kPlatt;
  VIGIL_ASSIGN_OR_RETURN(out.calibrator, Calibrator::Fit(chosen, margins, labels));
  return out;
}

}  // namespace vigil::model
