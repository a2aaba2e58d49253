#include "vigil/synth/charting.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace vigil::synth {
namespace {

// Measurement error (model parameters; docs/synth.md): absolute sd for vital signs, relative sd
// (coefficient of variation) for laboratory values, and the resolution each is charted at.
struct Spec {
  double sd;
  bool relative;
  double resolution;
  double min;
  double max;
};
constexpr std::array<Spec, 15> kSpecs = {{
    {2.5, false, 1, 20, 250},     // heart rate /min
    {1.2, false, 1, 4, 60},       // respiratory rate /min
    {2.0, false, 1, 50, 100},     // SpO2 %
    {0.5, false, 0.1, 40, 100},   // SaO2 %
    {5, false, 1, 40, 260},       // systolic mm[Hg]
    {4, false, 1, 20, 160},       // diastolic mm[Hg]
    {0.15, false, 0.1, 32, 43},   // temperature Cel
    {0.06, true, 0.1, 0.3, 25},   // lactate mmol/L
    {0.04, true, 0.1, 0.1, 90},   // white cells 10*3/uL
    {0.05, true, 1, 5, 900},      // platelets 10*3/uL
    {0.04, true, 0.01, 0.2, 15},  // creatinine mg/dL
    {0.08, true, 0.1, 0.1, 30},   // bilirubin mg/dL
    {1.5, false, 1, 15, 120},     // PaCO2 mm[Hg]
    {0.8, false, 0.1, 30, 250},   // weight kg
    {1.0, false, 1, 130, 210},    // height cm
}};

// Nurses count breaths for 15 or 30 seconds and tend to chart even numbers (terminal digit
// preference); model parameter.
constexpr double kEvenRrPreference = 0.5;
// Pulse oximeters are less accurate at low saturation: the reading error grows below this.
constexpr double kSpO2AccurateAbove = 94;
constexpr double kSpO2ErrorPerPoint = 0.15;
constexpr double kFahrenheitScale = 9.0 / 5.0;
constexpr double kFahrenheitOffset = 32;
constexpr double kPoundsPerKg = 2.20462;
constexpr double kDecimalSlip = 10;
// Charting delays in seconds.
constexpr double kPromptDelayMin = 120;
constexpr double kPromptDelayMax = 1500;
constexpr double kLateDelayMin = 2 * 3600;
constexpr double kLateDelayMax = 10 * 3600;

double RoundTo(double v, double resolution) { return std::round(v / resolution) * resolution; }

bool IsVitalSign(Measured m) {
  switch (m) {
    case Measured::kHeartRate:
    case Measured::kRespRate:
    case Measured::kSpO2:
    case Measured::kSystolic:
    case Measured::kDiastolic:
    case Measured::kTemperature:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string_view ChartingErrorName(ChartingError e) {
  switch (e) {
    case ChartingError::kNone:
      return "none";
    case ChartingError::kImplausible:
      return "implausible_value";
    case ChartingError::kFahrenheit:
      return "fahrenheit_charted_as_celsius";
    case ChartingError::kPounds:
      return "pounds_charted_as_kilograms";
  }
  return "none";
}

double Charting::Noisy(Measured what, double truth, double spo2_bias) {
  const Spec& spec = kSpecs[static_cast<int>(what)];
  double v = truth + (what == Measured::kSpO2 ? spo2_bias : 0.0);
  double sd = spec.sd;
  if (what == Measured::kSpO2) sd += kSpO2ErrorPerPoint * std::max(0.0, kSpO2AccurateAbove - truth);
  v += spec.relative ? v * sd * rng_.Normal() : sd * rng_.Normal();
  v = std::clamp(v, spec.min, spec.max);
  if (what == Measured::kRespRate && rng_.Bernoulli(kEvenRrPreference)) {
    return 2 * std::round(v / 2);
  }
  return RoundTo(v, spec.resolution);
}

ChartingError Charting::MaybeError(Measured what, double& value) {
  if (what == Measured::kTemperature && rng_.Bernoulli(rates_.fahrenheit)) {
    value = RoundTo(value * kFahrenheitScale + kFahrenheitOffset, 0.1);
    return ChartingError::kFahrenheit;
  }
  if (what == Measured::kWeight && rng_.Bernoulli(rates_.pounds)) {
    value = RoundTo(value * kPoundsPerKg, 0.1);
    return ChartingError::kPounds;
  }
  if (IsVitalSign(what) && rng_.Bernoulli(rates_.implausible)) {
    // A slipped decimal point: 88 -> 880, 36.8 -> 3.7 (temperatures lose a digit).
    value =
        what == Measured::kTemperature ? RoundTo(value / kDecimalSlip, 0.1) : value * kDecimalSlip;
    return ChartingError::kImplausible;
  }
  return ChartingError::kNone;
}

Charted Charting::Chart(Measured what, double truth, double spo2_bias) {
  const double reading = Noisy(what, truth, spo2_bias);
  Charted c{reading, reading, ChartingError::kNone};
  c.error = MaybeError(what, c.value);
  return c;
}

int64_t Charting::WardChartingDelay() {
  const double d = rng_.Bernoulli(rates_.late) ? rng_.Uniform(kLateDelayMin, kLateDelayMax)
                                               : rng_.Uniform(kPromptDelayMin, kPromptDelayMax);
  return static_cast<int64_t>(d);
}

}  // namespace vigil::synth
