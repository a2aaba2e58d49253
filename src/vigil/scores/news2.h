// NEWS2, the National Early Warning Score 2 (Royal College of Physicians, "National Early Warning
// Score (NEWS) 2: Standardising the assessment of acute-illness severity in the NHS", London: RCP,
// 2017; chart 1 "The NEWS scoring system" and chart 2 "Clinical response thresholds").
//
// Seven parameters each score 0-3: respiration rate, SpO2 (scale 1, or scale 2 for hypercapnic
// respiratory failure), air or supplemental oxygen (0 or 2), systolic blood pressure, pulse,
// consciousness (ACVPU: 3 for any of C, V, P, U) and temperature. The total is 0-20.
//
// The chart's bands are written in whole numbers (temperature in tenths of a degree), as a nurse
// charts them. A value between two bands (a respiration rate of 20.4, a temperature of 38.04) is
// first rounded to the chart's resolution, half away from zero, and then banded: 20.4 -> 20 -> 0.
//
// A missing parameter contributes nothing to the total and is counted in `missing`; callers
// decide whether an incomplete score is usable. Pure functions: thread-safe, no allocation.
#ifndef VIGIL_SCORES_NEWS2_H_
#define VIGIL_SCORES_NEWS2_H_

#include <array>
#include <optional>
#include <string_view>

#include "vigil/scores/observations.h"

namespace vigil::scores {

enum class News2Parameter {
  kRespiratoryRate,
  kSpO2,
  kSupplementalOxygen,
  kSystolicBp,
  kHeartRate,
  kConsciousness,
  kTemperature,
};
inline constexpr int kNews2ParameterCount = 7;
// "respiratory_rate", "spo2", "supplemental_oxygen", "systolic_bp", "heart_rate",
// "consciousness", "temperature" (stable: used in feature names).
std::string_view News2ParameterName(News2Parameter p);

// RCP NEWS2 2017, chart 2: low (aggregate 0-4), low-medium (a score of 3 in any single parameter
// while the aggregate is 0-4), medium (aggregate 5-6), high (aggregate 7 or more).
enum class News2Risk { kLow, kLowMedium, kMedium, kHigh };
std::string_view News2RiskName(News2Risk r);  // "low", "low-medium", "medium", "high"

struct News2Score {
  int total = 0;  // sum of the present sub-scores, 0-20
  // Indexed by News2Parameter; nullopt when the parameter was missing.
  std::array<std::optional<int>, kNews2ParameterCount> sub_scores{};
  int missing = 0;  // how many of the 7 parameters were missing
  News2Risk risk = News2Risk::kLow;

  std::optional<int> sub_score(News2Parameter p) const { return sub_scores[static_cast<int>(p)]; }
  bool complete() const { return missing == 0; }
};

// The score of one set of observations. SpO2 uses obs.spo2_scale; on scale 2, SpO2 of 93 % or
// more scores as on air when OnOxygen() is false or unknown.
News2Score ComputeNews2(const Observations& obs);

// The single-parameter sub-scores (chart 1), for callers that score one value at a time.
int News2RespiratoryRate(double breaths_per_min);
int News2SpO2(double percent, SpO2Scale scale, bool on_oxygen);
int News2SupplementalOxygen(bool on_oxygen);
int News2SystolicBp(double mm_hg);
int News2HeartRate(double beats_per_min);
int News2Consciousness(Consciousness c);
int News2Temperature(double celsius);

// The clinical risk band of a total given whether any single parameter scored 3.
News2Risk News2RiskFor(int total, bool any_parameter_scored_3);

}  // namespace vigil::scores

#endif  // VIGIL_SCORES_NEWS2_H_
