// How a true value becomes a charted one (docs/synth.md, "The measurement process"):
// measurement noise, the resolution it is charted at, human habits (respiratory rates counted to
// even numbers), the pulse-oximetry bias, and occasional charting errors: an implausible value
// (a slipped decimal point), a temperature taken in Fahrenheit and charted as Celsius, a weight in
// pounds charted as kilograms. Deterministic in the Rng it is given; not thread-safe.
#ifndef VIGIL_SYNTH_CHARTING_H_
#define VIGIL_SYNTH_CHARTING_H_

#include <cstdint>
#include <string_view>

#include "vigil/synth/random.h"

namespace vigil::synth {

enum class Measured {
  kHeartRate,
  kRespRate,
  kSpO2,
  kSaO2,
  kSystolic,
  kDiastolic,
  kTemperature,
  kLactate,
  kWhiteCells,
  kPlatelets,
  kCreatinine,
  kBilirubin,
  kPaCO2,
  kWeight,
  kHeight,
};

enum class ChartingError { kNone, kImplausible, kFahrenheit, kPounds };
std::string_view ChartingErrorName(ChartingError e);  // "implausible_value", ...

struct ChartingRates {
  double implausible = 0.001;  // per vital-sign value
  double fahrenheit = 0.003;   // per temperature
  double pounds = 0.04;        // per weight
  double late = 0.06;          // per ward observation set: charted hours after it was taken
};

struct Charted {
  double value;    // what the chart says
  double reading;  // what the nurse read (differs from value only after a charting error)
  ChartingError error;
};

class Charting {
 public:
  Charting(const ChartingRates& rates, Rng& rng) : rates_(rates), rng_(rng) {}

  // The value a nurse or the laboratory records for `truth`; `spo2_bias` is added to pulse
  // oximetry only.
  Charted Chart(Measured what, double truth, double spo2_bias = 0);
  // Seconds between taking and charting a ward set: minutes usually, hours when late.
  int64_t WardChartingDelay();

 private:
  double Noisy(Measured what, double truth, double spo2_bias);
  ChartingError MaybeError(Measured what, double& value);

  const ChartingRates& rates_;
  Rng& rng_;
};

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_CHARTING_H_
