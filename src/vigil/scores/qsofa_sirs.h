// qSOFA and SIRS: the two bedside sepsis screens vigil reports beside its models.
//
// qSOFA (Seymour CW et al., "Assessment of Clinical Criteria for Sepsis", JAMA 2016;315:762-774;
// adopted by Sepsis-3, Singer M et al., JAMA 2016;315:801-810): one point each for respiratory
// rate >= 22 /min, altered mentation (Glasgow Coma Score < 15), systolic blood pressure <= 100
// mmHg. Positive at 2 or more.
//
// SIRS (Bone RC et al., ACCP/SCCM Consensus Conference, "Definitions for sepsis and organ failure
// and guidelines for the use of innovative therapies in sepsis", Chest 1992;101:1644-1655): one
// point each for temperature > 38 or < 36 Cel; heart rate > 90 /min; respiratory rate > 20 /min
// or PaCO2 < 32 mmHg; white cells > 12 or < 4 x10^3/uL or > 10 % immature (band) forms. Positive
// at 2 or more.
//
// Values are compared as given (no rounding): the published criteria are strict or non-strict
// inequalities on measured values. A criterion with none of its inputs is missing: it adds
// nothing and is counted in `missing`. A criterion with several inputs (altered mentation from GCS
// or ACVPU; the respiratory and white-cell criteria of SIRS) is met when any present input meets
// it, and not met when all present inputs are normal. Pure functions: thread-safe.
#ifndef VIGIL_SCORES_QSOFA_SIRS_H_
#define VIGIL_SCORES_QSOFA_SIRS_H_

#include <array>
#include <optional>

#include "vigil/scores/observations.h"

namespace vigil::scores {

enum class QsofaCriterion { kRespiratoryRate, kAlteredMentation, kSystolicBp };
inline constexpr int kQsofaCriterionCount = 3;

enum class SirsCriterion { kTemperature, kHeartRate, kRespiratory, kWhiteCells };
inline constexpr int kSirsCriterionCount = 4;

// A screen's result: `met[i]` is nullopt when criterion i had no input.
template <int N>
struct CriteriaScore {
  int total = 0;    // criteria met, 0-N
  int missing = 0;  // criteria with no input
  std::array<std::optional<bool>, N> met{};
  bool positive = false;  // total >= 2 (both screens)
};
using QsofaScore = CriteriaScore<kQsofaCriterionCount>;
using SirsScore = CriteriaScore<kSirsCriterionCount>;

// Altered mentation: GCS < 15, or ACVPU other than Alert (new confusion counts).
QsofaScore ComputeQsofa(const Observations& obs);
SirsScore ComputeSirs(const Observations& obs);

}  // namespace vigil::scores

#endif  // VIGIL_SCORES_QSOFA_SIRS_H_
