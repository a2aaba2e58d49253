// Probability calibration: a monotone map from a model's margin (log-odds) to a probability,
// fitted on held-out (out-of-fold) predictions.
//
//   kNone      p = sigmoid(margin): the model's own probability.
//   kPlatt     p = sigmoid(slope * margin + intercept), maximum likelihood (Newton's method).
//   kIsotonic  centred isotonic regression: the least-squares non-decreasing fit (pool adjacent
//              violators) over the margins, with one knot per pooled block at its mean margin and
//              linear interpolation between knots, so that distinct margins inside the fitted range
//              keep their order (a step function would tie them and lower the AUROC). The first and
//              last blocks' outer halves continue the neighbouring segment out to the block's edge;
//              beyond the fitted range the probability is flat. Kept inside
//              [kMinProbability, 1 - kMinProbability].
//
// SelectCalibration picks Platt or isotonic by cross-validation over the same patient-grouped folds
// that produced the held-out margins: each method is fitted on the other folds' margins and scored
// by Brier score on the fold left out; the lower mean wins (Platt on a tie: two parameters, not
// hundreds). The winner is then refitted on all held-out margins.
#ifndef VIGIL_MODEL_CALIBRATION_H_
#define VIGIL_MODEL_CALIBRATION_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "vigil/base/status.h"

namespace vigil::model {

enum class CalibrationMethod { kNone, kPlatt, kIsotonic };

std::string_view CalibrationMethodName(CalibrationMethod method);  // "none", "platt", "isotonic"
std::optional<CalibrationMethod> ParseCalibrationMethod(std::string_view name);
// For people to read: "none", "Platt" (a name), "isotonic".
std::string_view CalibrationMethodDisplay(CalibrationMethod method);

class Calibrator {
 public:
  Calibrator() = default;  // kNone

  // Fits `method` on parallel margins and labels (0/1). InvalidArgument on mismatched sizes or no
  // rows; FailedPrecondition when the labels hold a single class.
  static base::Result<Calibrator> Fit(CalibrationMethod method, std::span<const double> margins,
                                      std::span<const float> labels);

  CalibrationMethod method() const { return method_; }
  double Probability(double margin) const;

  nlohmann::ordered_json ToJson() const;
  static base::Result<Calibrator> FromJson(const nlohmann::json& json);

 private:
  static base::Result<Calibrator> FitPlatt(std::span<const double> margins,
                                           std::span<const float> labels);
  static Calibrator FitIsotonic(std::span<const double> margins, std::span<const float> labels);

  CalibrationMethod method_ = CalibrationMethod::kNone;
  double slope_ = 1;  // Platt
  double intercept_ = 0;
  std::vector<double> knot_margin_;  // isotonic: increasing margins
  std::vector<double> knot_probability_;
};

struct CalibrationSelection {
  Calibrator calibrator;  // the winner, fitted on all held-out margins
  // Mean held-out-fold Brier score of each candidate (and of the uncalibrated sigmoid).
  double brier_none = 0;
  double brier_platt = 0;
  double brier_isotonic = 0;
};

// `fold_of_row[i]` in [0, folds) is the fold whose model produced margins[i].
base::Result<CalibrationSelection> SelectCalibration(std::span<const double> margins,
                                                     std::span<const float> labels,
                                                     std::span<const int> fold_of_row, int folds);

}  // namespace vigil::model

#endif  // VIGIL_MODEL_CALIBRATION_H_
