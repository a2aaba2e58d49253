#include "vigil/scores/news2.h"

#include <cmath>

namespace vigil::scores {
namespace {

// Every threshold below is from RCP NEWS2 2017, chart 1 ("The NEWS scoring system"); each names
// the highest value of its band (bands are inclusive, in the chart's whole units).

// Respiration rate (per minute): <=8 -> 3, 9-11 -> 1, 12-20 -> 0, 21-24 -> 2, >=25 -> 3.
constexpr double kRespRateScore3Low = 8;
constexpr double kRespRateScore1Low = 11;
constexpr double kRespRateScore0 = 20;
constexpr double kRespRateScore2High = 24;

// SpO2 scale 1 (%): <=91 -> 3, 92-93 -> 2, 94-95 -> 1, >=96 -> 0.
constexpr double kSpO2Scale1Score3 = 91;
constexpr double kSpO2Scale1Score2 = 93;
constexpr double kSpO2Scale1Score1 = 95;

// SpO2 scale 2 (%), hypercapnic respiratory failure, target 88-92 %: <=83 -> 3, 84-85 -> 2,
// 86-87 -> 1, 88-92 -> 0, >=93 on air -> 0; on oxygen 93-94 -> 1, 95-96 -> 2, >=97 -> 3.
constexpr double kSpO2Scale2Score3Low = 83;
constexpr double kSpO2Scale2Score2Low = 85;
constexpr double kSpO2Scale2Score1Low = 87;
constexpr double kSpO2Scale2Score0 = 92;
constexpr double kSpO2Scale2Score1HighOnO2 = 94;
constexpr double kSpO2Scale2Score2HighOnO2 = 96;

// Air or oxygen: oxygen -> 2, air -> 0.
constexpr int kSupplementalOxygenScore = 2;

// Systolic blood pressure (mmHg): <=90 -> 3, 91-100 -> 2, 101-110 -> 1, 111-219 -> 0, >=220 -> 3.
constexpr double kSystolicScore3Low = 90;
constexpr double kSystolicScore2Low = 100;
constexpr double kSystolicScore1Low = 110;
constexpr double kSystolicScore0 = 219;

// Pulse (per minute): <=40 -> 3, 41-50 -> 1, 51-90 -> 0, 91-110 -> 1, 111-130 -> 2, >=131 -> 3.
constexpr double kPulseScore3Low = 40;
constexpr double kPulseScore1Low = 50;
constexpr double kPulseScore0 = 90;
constexpr double kPulseScore1High = 110;
constexpr double kPulseScore2High = 130;

// Consciousness: Alert -> 0; new Confusion, Voice, Pain, Unresponsive -> 3.
constexpr int kNotAlertScore = 3;

// Temperature (Cel): <=35.0 -> 3, 35.1-36.0 -> 1, 36.1-38.0 -> 0, 38.1-39.0 -> 1, >=39.1 -> 2.
constexpr double kTempScore3Low = 35.0;
constexpr double kTempScore1Low = 36.0;
constexpr double kTempScore0 = 38.0;
constexpr double kTempScore1High = 39.0;
// The temperature row is charted in tenths of a degree.
constexpr double kTempResolutionPerDegree = 10.0;

// Chart 2 ("NEWS thresholds and triggers"): aggregate 0-4 low, 5-6 medium, 7+ high; a single
// parameter scoring 3 makes a low aggregate low-medium.
constexpr int kMediumRiskMinTotal = 5;
constexpr int kHighRiskMinTotal = 7;
constexpr int kRedScore = 3;

double Whole(double v) { return std::round(v); }
double Tenths(double v) {
  return std::round(v * kTempResolutionPerDegree) / kTempResolutionPerDegree;
}

}  // namespace

std::string_view News2ParameterName(News2Parameter p) {
  switch (p) {
    case News2Parameter::kRespiratoryRate:
      return "respiratory_rate";
    case News2Parameter::kSpO2:
      return "spo2";
    case News2Parameter::kSupplementalOxygen:
      return "supplemental_oxygen";
    case News2Parameter::kSystolicBp:
      return "systolic_bp";
    case News2Parameter::kHeartRate:
      return "heart_rate";
    case News2Parameter::kConsciousness:
      return "consciousness";
    case News2Parameter::kTemperature:
      return "temperature";
  }
  return "?";
}

std::string_view News2RiskName(News2Risk r) {
  switch (r) {
    case News2Risk::kLow:
      return "low";
    case News2Risk::kLowMedium:
      return "low-medium";
    case News2Risk::kMedium:
      return "medium";
    case News2Risk::kHigh:
      return "high";
  }
  return "?";
}

int News2RespiratoryRate(double breaths_per_min) {
  const double v = Whole(breaths_per_min);
  if (v <= kRespRateScore3Low) return 3;
  if (v <= kRespRateScore1Low) return 1;
  if (v <= kRespRateScore0) return 0;
  if (v <= kRespRateScore2High) return 2;
  return 3;
}

int News2SpO2(double percent, SpO2Scale scale, bool on_oxygen) {
  const double v = Whole(percent);
  if (scale == SpO2Scale::kScale1) {
    if (v <= kSpO2Scale1Score3) return 3;
    if (v <= kSpO2Scale1Score2) return 2;
    if (v <= kSpO2Scale1Score1) return 1;
    return 0;
  }
  if (v <= kSpO2Scale2Score3Low) return 3;
  if (v <= kSpO2Scale2Score2Low) return 2;
  if (v <= kSpO2Scale2Score1Low) return 1;
  if (v <= kSpO2Scale2Score0 || !on_oxygen) return 0;
  if (v <= kSpO2Scale2Score1HighOnO2) return 1;
  if (v <= kSpO2Scale2Score2HighOnO2) return 2;
  return 3;
}

int News2SupplementalOxygen(bool on_oxygen) { return on_oxygen ? kSupplementalOxygenScore : 0; }

int News2SystolicBp(double mm_hg) {
  const double v = Whole(mm_hg);
  if (v <= kSystolicScore3Low) return 3;
  if (v <= kSystolicScore2Low) return 2;
  if (v <= kSystolicScore1Low) return 1;
  if (v <= kSystolicScore0) return 0;
  return 3;
}

int News2HeartRate(double beats_per_min) {
  const double v = Whole(beats_per_min);
  if (v <= kPulseScore3Low) return 3;
  if (v <= kPulseScore1Low) return 1;
  if (v <= kPulseScore0) return 0;
  if (v <= kPulseScore1High) return 1;
  if (v <= kPulseScore2High) return 2;
  return 3;
}

int News2Consciousness(Consciousness c) { return c == Consciousness::kAlert ? 0 : kNotAlertScore; }

int News2Temperature(double celsius) {
  const double v = Tenths(celsius);
  if (v <= kTempScore3Low) return 3;
  if (v <= kTempScore1Low) return 1;
  if (v <= kTempScore0) return 0;
  if (v <= kTempScore1High) return 1;
  return 2;
}

News2Risk News2RiskFor(int total, bool any_parameter_scored_3) {
  if (total >= kHighRiskMinTotal) return News2Risk::kHigh;
  if (total >= kMediumRiskMinTotal) return News2Risk::kMedium;
  return any_parameter_scored_3 ? News2Risk::kLowMedium : News2Risk::kLow;
}

News2Score ComputeNews2(const Observations& obs) {
  News2Score s;
  auto set = [&s](News2Parameter p, std::optional<int> sub) {
    s.sub_scores[static_cast<int>(p)] = sub;
  };
  const std::optional<bool> on_oxygen = obs.OnOxygen();
  if (obs.respiratory_rate)
    set(News2Parameter::kRespiratoryRate, News2RespiratoryRate(*obs.respiratory_rate));
  if (obs.spo2)
    set(News2Parameter::kSpO2, News2SpO2(*obs.spo2, obs.spo2_scale, on_oxygen.value_or(false)));
  if (on_oxygen) set(News2Parameter::kSupplementalOxygen, News2SupplementalOxygen(*on_oxygen));
  if (obs.systolic_bp) set(News2Parameter::kSystolicBp, News2SystolicBp(*obs.systolic_bp));
  if (obs.heart_rate) set(News2Parameter::kHeartRate, News2HeartRate(*obs.heart_rate));
  if (obs.consciousness)
    set(News2Parameter::kConsciousness, News2Consciousness(*obs.consciousness));
  if (obs.temperature) set(News2Parameter::kTemperature, News2Temperature(*obs.temperature));

  bool any_red = false;
  for (const auto& sub : s.sub_scores) {
    if (!sub) {
      ++s.missing;
      continue;
    }
    s.total += *sub;
    any_red = any_red || *sub == kRedScore;
  }
  s.risk = News2RiskFor(s.total, any_red);
  return s;
}

}  // namespace vigil::scores
