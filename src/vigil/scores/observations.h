// The inputs of vigil's clinical scores (NEWS2, qSOFA, SIRS): one set of bedside observations and
// labs, each optional, in the canonical units of BRIEF.md's shared codes.
//
// A caller fills an Observations either field by field or, from a stream of events, with
// Observations::Apply(code, numeric, text), which understands the shared codes (LOINC/8867-4 heart
// rate, LOINC/67775-7 ACVPU, ...). A streaming engine keeps one Observations per patient and
// applies each event as it arrives (last observation carried forward); a feature builder does the
// same up to the prediction time. Plain value type: copyable, no allocation, no shared state.
#ifndef VIGIL_SCORES_OBSERVATIONS_H_
#define VIGIL_SCORES_OBSERVATIONS_H_

#include <optional>
#include <string_view>

namespace vigil::scores {

// Level of consciousness on the ACVPU scale (RCP NEWS2 2017, chart 1): Alert, new Confusion,
// responds to Voice, responds to Pain, Unresponsive.
enum class Consciousness { kAlert, kConfusion, kVoice, kPain, kUnresponsive };

// "A", "C", "V", "P", "U" (case-insensitive, surrounding spaces ignored), or the words "alert",
// "confusion"/"confused"/"new confusion", "voice", "pain", "unresponsive". nullopt otherwise.
std::optional<Consciousness> ParseAcvpu(std::string_view text);
// "A", "C", "V", "P" or "U".
std::string_view AcvpuLetter(Consciousness c);

// Which NEWS2 SpO2 scale applies. Scale 2 is for patients with hypercapnic respiratory failure
// whose prescribed target saturation is 88-92 % (RCP NEWS2 2017, chart 1 and section on SpO2
// scale 2); it is a clinical decision recorded per patient, never inferred from one value.
enum class SpO2Scale { kScale1, kScale2 };

// The shared codes Observations::Apply understands (BRIEF.md, "Shared clinical codes").
inline constexpr std::string_view kCodeHeartRate = "LOINC/8867-4";
inline constexpr std::string_view kCodeRespiratoryRate = "LOINC/9279-1";
inline constexpr std::string_view kCodeSpO2 = "LOINC/59408-5";
inline constexpr std::string_view kCodeTemperature = "LOINC/8310-5";
inline constexpr std::string_view kCodeSystolicBp = "LOINC/8480-6";
inline constexpr std::string_view kCodeFiO2 = "LOINC/3150-0";
inline constexpr std::string_view kCodeO2Flow = "LOINC/3151-8";
inline constexpr std::string_view kCodeGcsTotal = "LOINC/9269-2";
inline constexpr std::string_view kCodeAcvpu = "LOINC/67775-7";
inline constexpr std::string_view kCodeWhiteCells = "LOINC/6690-2";
inline constexpr std::string_view kCodePaCO2 = "LOINC/2019-8";
// Band neutrophils / 100 leukocytes (not a shared code; used by SIRS when present).
inline constexpr std::string_view kCodeBandNeutrophils = "LOINC/764-1";

// Room air FiO2 in percent (BRIEF.md: 21 = room air). An FiO2 above it means supplemental oxygen.
inline constexpr double kRoomAirFiO2Percent = 21.0;

struct Observations {
  std::optional<double> respiratory_rate;  // breaths /min
  std::optional<double> spo2;              // % (pulse oximetry)
  std::optional<double> systolic_bp;       // mm[Hg]
  std::optional<double> heart_rate;        // beats /min
  std::optional<double> temperature;       // Cel
  std::optional<Consciousness> consciousness;
  std::optional<double> gcs_total;            // Glasgow Coma Score 3-15 (qSOFA altered mentation)
  std::optional<double> o2_flow;              // L/min; > 0 means supplemental oxygen
  std::optional<double> fio2;                 // %; > 21 means supplemental oxygen
  std::optional<double> white_cells;          // 10*3/uL
  std::optional<double> paco2;                // mm[Hg]
  std::optional<double> band_neutrophils;     // % of leukocytes
  std::optional<bool> supplemental_oxygen;    // set directly when known; else derived (below)
  SpO2Scale spo2_scale = SpO2Scale::kScale1;  // a property of the patient, not an observation

  // Whether the patient is on supplemental oxygen: `supplemental_oxygen` when set; otherwise true
  // when o2_flow > 0 or fio2 > 21 %, false when the known ones say room air, nullopt when neither
  // flow nor FiO2 is known.
  std::optional<bool> OnOxygen() const;

  // Sets the field that `code` (a shared code, above) feeds, from `numeric` (canonical unit) or,
  // for ACVPU, from `text` (or a numeric value is ignored). Returns false, changing nothing, when
  // the code is not a score input or the value needed is absent or unreadable.
  bool Apply(std::string_view code, std::optional<double> numeric, std::string_view text);
};

}  // namespace vigil::scores

#endif  // VIGIL_SCORES_OBSERVATIONS_H_
