#include "vigil/scores/observations.h"

#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace vigil::scores {
namespace {

std::string Normalize(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string out(text.substr(begin, end - begin));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<Consciousness> ParseAcvpu(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, Consciousness>, 11> kWords = {{
      {"a", Consciousness::kAlert},
      {"alert", Consciousness::kAlert},
      {"c", Consciousness::kConfusion},
      {"confusion", Consciousness::kConfusion},
      {"confused", Consciousness::kConfusion},
      {"new confusion", Consciousness::kConfusion},
      {"v", Consciousness::kVoice},
      {"voice", Consciousness::kVoice},
      {"p", Consciousness::kPain},
      {"pain", Consciousness::kPain},
      {"u", Consciousness::kUnresponsive},
  }};
  const std::string word = Normalize(text);
  if (word == "unresponsive") return Consciousness::kUnresponsive;
  for (const auto& [name, value] : kWords) {
    if (word == name) return value;
  }
  return std::nullopt;
}

std::string_view AcvpuLetter(Consciousness c) {
  switch (c) {
    case Consciousness::kAlert:
      return "A";
    case Consciousness::kConfusion:
      return "C";
    case Consciousness::kVoice:
      return "V";
    case Consciousness::kPain:
      return "P";
    case Consciousness::kUnresponsive:
      return "U";
  }
  return "?";
}

std::optional<bool> Observations::OnOxygen() const {
  if (supplemental_oxygen) return supplemental_oxygen;
  if (!o2_flow && !fio2) return std::nullopt;
  return (o2_flow && *o2_flow > 0.0) || (fio2 && *fio2 > kRoomAirFiO2Percent);
}

bool Observations::Apply(std::string_view code, std::optional<double> numeric,
                         std::string_view text) {
  if (code == kCodeAcvpu) {
    auto c = ParseAcvpu(text);
    if (!c) return false;
    consciousness = c;
    return true;
  }
  if (!numeric) return false;
  const std::array<std::pair<std::string_view, std::optional<double>*>, 11> fields = {{
      {kCodeHeartRate, &heart_rate},
      {kCodeRespiratoryRate, &respiratory_rate},
      {kCodeSpO2, &spo2},
      {kCodeTemperature, &temperature},
      {kCodeSystolicBp, &systolic_bp},
      {kCodeFiO2, &fio2},
      {kCodeO2Flow, &o2_flow},
      {kCodeGcsTotal, &gcs_total},
      {kCodeWhiteCells, &white_cells},
      {kCodePaCO2, &paco2},
      {kCodeBandNeutrophils, &band_neutrophils},
  }};
  for (const auto& [field_code, field] : fields) {
    if (code == field_code) {
      *field = numeric;
      return true;
    }
  }
  return false;
}

}  // namespace vigil::scores
