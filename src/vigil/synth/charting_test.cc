#include "vigil/synth/charting.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vigil::synth {
namespace {

TEST(ChartingTest, RoundsToTheChartedResolution) {
  Rng rng(1, 2);
  ChartingRates none{0, 0, 0, 0};
  Charting c(none, rng);
  for (int i = 0; i < 200; ++i) {
    const double hr = c.Chart(Measured::kHeartRate, 88.3).value;
    EXPECT_EQ(hr, std::round(hr));
    const double t = c.Chart(Measured::kTemperature, 37.04).value;
    EXPECT_NEAR(t * 10, std::round(t * 10), 1e-9);
    EXPECT_LE(c.Chart(Measured::kSpO2, 99.5).value, 100.0);
  }
}

TEST(ChartingTest, PulseOximetryBiasRaisesTheReading) {
  Rng rng(3, 4);
  ChartingRates none{0, 0, 0, 0};
  Charting c(none, rng);
  double unbiased = 0, biased = 0;
  constexpr int kN = 4000;
  for (int i = 0; i < kN; ++i) {
    unbiased += c.Chart(Measured::kSpO2, 90).value;
    biased += c.Chart(Measured::kSpO2, 90, 3.0).value;
  }
  EXPECT_NEAR((biased - unbiased) / kN, 3.0, 0.25);
}

TEST(ChartingTest, ChartingErrorsChangeTheValueButNotTheReading) {
  Rng rng(5, 6);
  ChartingRates always{1, 1, 1, 1};
  Charting c(always, rng);
  const Charted f = c.Chart(Measured::kTemperature, 37.0);
  EXPECT_EQ(f.error, ChartingError::kFahrenheit);
  EXPECT_NEAR(f.value, f.reading * 9 / 5 + 32, 0.06);
  const Charted lb = c.Chart(Measured::kWeight, 70.0);
  EXPECT_EQ(lb.error, ChartingError::kPounds);
  EXPECT_NEAR(lb.value, lb.reading * 2.20462, 0.06);
  const Charted hr = c.Chart(Measured::kHeartRate, 80.0);
  EXPECT_EQ(hr.error, ChartingError::kImplausible);
  EXPECT_EQ(hr.value, hr.reading * 10);
  EXPECT_GE(c.WardChartingDelay(), 2 * 3600);
  EXPECT_EQ(ChartingErrorName(ChartingError::kFahrenheit), "fahrenheit_charted_as_celsius");
}

}  // namespace
}  // namespace vigil::synth
