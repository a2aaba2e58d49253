#include "vigil/scores/qsofa_sirs.h"

#include <initializer_list>

namespace vigil::scores {
namespace {

// qSOFA, Seymour et al., JAMA 2016 (Sepsis-3, Singer et al., JAMA 2016, box 4).
constexpr double kQsofaRespRateMin = 22;   // respiratory rate >= 22 /min
constexpr double kQsofaSystolicMax = 100;  // systolic blood pressure <= 100 mmHg
constexpr double kQsofaNormalGcs = 15;     // altered mentation: GCS < 15
constexpr int kPositiveCriteria = 2;       // qSOFA and SIRS: positive at >= 2 criteria

// SIRS, Bone et al., Chest 1992 (ACCP/SCCM consensus conference).
constexpr double kSirsTempHigh = 38.0;        // temperature > 38 Cel
constexpr double kSirsTempLow = 36.0;         // or < 36 Cel
constexpr double kSirsHeartRateMax = 90;      // heart rate > 90 /min
constexpr double kSirsRespRateMax = 20;       // respiratory rate > 20 /min
constexpr double kSirsPaCO2Min = 32;          // or PaCO2 < 32 mmHg
constexpr double kSirsWhiteCellsHigh = 12.0;  // white cells > 12,000 /mm3 (10*3/uL)
constexpr double kSirsWhiteCellsLow = 4.0;    // or < 4,000 /mm3
constexpr double kSirsBandsMax = 10.0;        // or > 10 % immature (band) forms

// One criterion from several optional tests: nullopt when every test lacks its input.
std::optional<bool> AnyOf(std::initializer_list<std::optional<bool>> tests) {
  std::optional<bool> out;
  for (const auto& t : tests) {
    if (t) out = out.value_or(false) || *t;
  }
  return out;
}

template <typename F>
std::optional<bool> Test(const std::optional<double>& v, F f) {
  if (!v) return std::nullopt;
  return f(*v);
}

template <int N>
void Tally(CriteriaScore<N>& s) {
  for (const auto& m : s.met) {
    if (!m) {
      ++s.missing;
    } else if (*m) {
      ++s.total;
    }
  }
  s.positive = s.total >= kPositiveCriteria;
}

}  // namespace

QsofaScore ComputeQsofa(const Observations& obs) {
  QsofaScore s;
  s.met[static_cast<int>(QsofaCriterion::kRespiratoryRate)] =
      Test(obs.respiratory_rate, [](double v) { return v >= kQsofaRespRateMin; });
  std::optional<bool> acvpu;
  if (obs.consciousness) acvpu = *obs.consciousness != Consciousness::kAlert;
  s.met[static_cast<int>(QsofaCriterion::kAlteredMentation)] =
      AnyOf({Test(obs.gcs_total, [](double v) { return v < kQsofaNormalGcs; }), acvpu});
  s.met[static_cast<int>(QsofaCriterion::kSystolicBp)] =
      Test(obs.systolic_bp, [](double v) { return v <= kQsofaSystolicMax; });
  Tally(s);
  return s;
}

SirsScore ComputeSirs(const Observations& obs) {
  SirsScore s;
  s.met[static_cast<int>(SirsCriterion::kTemperature)] =
      Test(obs.temperature, [](double v) { return v > kSirsTempHigh || v < kSirsTempLow; });
  s.met[static_cast<int>(SirsCriterion::kHeartRate)] =
      Test(obs.heart_rate, [](double v) { return v > kSirsHeartRateMax; });
  s.met[static_cast<int>(SirsCriterion::kRespiratory)] =
      AnyOf({Test(obs.respiratory_rate, [](double v) { return v > kSirsRespRateMax; }),
             Test(obs.paco2, [](double v) { return v < kSirsPaCO2Min; })});
  s.met[static_cast<int>(SirsCriterion::kWhiteCells)] =
      AnyOf({Test(obs.white_cells,
                  [](double v) { return v > kSirsWhiteCellsHigh || v < kSirsWhiteCellsLow; }),
             Test(obs.band_neutrophils, [](double v) { return v > kSirsBandsMax; })});
  Tally(s);
  return s;
}

}  // namespace vigil::scores
