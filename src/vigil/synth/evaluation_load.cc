// Reads a generated data set back from its files for the evaluation (evaluation_data.h).
#include <fmt/format.h>
#include <simdjson.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "vigil/base/text.h"
#include "vigil/base/time.h"
#include "vigil/synth/catalog.h"
#include "vigil/synth/evaluation_data.h"

namespace vigil::synth::eval {
namespace {

namespace fs = std::filesystem;
using simdjson::dom::element;

constexpr size_t kChunk = 8 << 20;

// Calls fn(line, bytes of valid memory from line.data()) for each line of the file; the memory
// after each line holds at least SIMDJSON_PADDING readable bytes.
template <typename F>
base::Status ForEachLine(const fs::path& path, F&& fn) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    return base::IoError(fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  }
  std::vector<char> buf(kChunk + simdjson::SIMDJSON_PADDING);
  size_t have = 0;
  for (;;) {
    const size_t got = std::fread(buf.data() + have, 1, kChunk - have, file.get());
    have += got;
    const bool eof = got == 0;
    size_t start = 0;
    for (;;) {
      const void* nl = std::memchr(buf.data() + start, '\n', have - start);
      if (nl == nullptr) break;
      const size_t end = static_cast<const char*>(nl) - buf.data();
      fn(std::string_view(buf.data() + start, end - start), buf.size() - start);
      start = end + 1;
    }
    if (eof) {
      if (start < have) fn(std::string_view(buf.data() + start, have - start), buf.size() - start);
      break;
    }
    if (start == 0 && have == kChunk) {
      return base::DataLossError(
          fmt::format("{}: a line longer than {} bytes", path.string(), kChunk));
    }
    std::memmove(buf.data(), buf.data() + start, have - start);
    have -= start;
  }
  return base::Status::Ok();
}

int64_t Seconds(std::string_view iso) {
  auto t = base::ParseIso8601(iso);
  return t.ok() ? base::ToMicros(t->instant) / 1000000 : 0;
}

std::string_view Str(element e, std::string_view pointer) {
  std::string_view out;
  if (e.at_pointer(pointer).get_string().get(out)) return {};
  return out;
}

// "Encounter/p1-e1" -> "p1-e1".
std::string_view RefId(std::string_view ref) {
  const size_t slash = ref.find('/');
  return slash == std::string_view::npos ? ref : ref.substr(slash + 1);
}

Code CodeFor(std::string_view loinc) {
  if (loinc == obs::kHeartRate.loinc) return Code::kHeartRate;
  if (loinc == obs::kRespiratoryRate.loinc) return Code::kRespRate;
  if (loinc == obs::kSpO2.loinc) return Code::kSpO2;
  if (loinc == obs::kBloodPressurePanel.loinc || loinc == obs::kSystolic.loinc)
    return Code::kSystolic;
  if (loinc == obs::kTemperature.loinc) return Code::kTemperature;
  if (loinc == obs::kAcvpu.loinc) return Code::kAcvpu;
  if (loinc == obs::kFiO2.loinc) return Code::kFiO2;
  if (loinc == obs::kO2Flow.loinc) return Code::kO2Flow;
  if (loinc == obs::kSaO2.loinc) return Code::kSaO2;
  return Code::kOther;
}

class Loader {
 public:
  explicit Loader(DataSet& d) : d_(d) {}

  base::Status Run(const fs::path& dir) {
    VIGIL_RETURN_IF_ERROR(Each(dir / "Patient.ndjson", &Loader::Patient));
    VIGIL_RETURN_IF_ERROR(Each(dir / "Encounter.ndjson", &Loader::Encounter));
    for (auto& e : d_.encounters) {
      if (e.icu && e.parent >= 0) d_.encounters[e.parent].deteriorations.push_back(e.start);
      if (!e.icu && e.died) e.deteriorations.push_back(e.end);
    }
    VIGIL_RETURN_IF_ERROR(Each(dir / "Condition.ndjson", &Loader::Condition));
    VIGIL_RETURN_IF_ERROR(Each(dir / "Observation.ndjson", &Loader::Observation));
    if (fs::exists(dir / "truth" / "hours.csv"))
      VIGIL_RETURN_IF_ERROR(Truth(dir / "truth" / "hours.csv"));
    return base::Status::Ok();
  }

 private:
  using Handler = void (Loader::*)(element);

  base::Status Each(const fs::path& path, Handler handler) {
    return ForEachLine(path, [&](std::string_view line, size_t capacity) {
      if (line.empty()) return;
      element doc;
      if (parser_
              .parse(line.data(), line.size(), capacity < line.size() + simdjson::SIMDJSON_PADDING)
              .get(doc)) {
        ++d_.unreadable_lines;
        return;
      }
      (this->*handler)(doc);
    });
  }

  int32_t EncounterIndex(std::string_view id) {
    auto [it, inserted] =
        d_.encounter_index.try_emplace(std::string(id), static_cast<int32_t>(d_.encounters.size()));
    if (inserted) d_.encounters.emplace_back();
    return it->second;
  }

  // The hospital encounter an encounter belongs to.
  int32_t Hospital(int32_t e) {
    return d_.encounters[e].icu && d_.encounters[e].parent >= 0 ? d_.encounters[e].parent : e;
  }

  void Patient(element doc) {
    const auto id = Str(doc, "/id");
    auto [it, inserted] =
        d_.patient_index.try_emplace(std::string(id), static_cast<int32_t>(d_.patients.size()));
    if (inserted) d_.patients.emplace_back();
    simdjson::dom::array ext;
    if (doc["extension"].get_array().get(ext)) return;
    for (element x : ext) {
      if (Str(x, "/url") != "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race")
        continue;
      simdjson::dom::array parts;
      if (x["extension"].get_array().get(parts)) continue;
      for (element part : parts) {
        if (Str(part, "/url") == "text") d_.patients[it->second].race = Str(part, "/valueString");
      }
    }
  }

  void Encounter(element doc) {
    const int32_t e = EncounterIndex(Str(doc, "/id"));
    const auto part_of = Str(doc, "/partOf/reference");
    const int32_t parent = part_of.empty() ? -1 : EncounterIndex(RefId(part_of));
    auto p = d_.patient_index.find(std::string(RefId(Str(doc, "/subject/reference"))));
    auto& enc = d_.encounters[e];
    enc.parent = parent;
    enc.patient = p == d_.patient_index.end() ? -1 : p->second;
    enc.start = Seconds(Str(doc, "/period/start"));
    enc.end = Seconds(Str(doc, "/period/end"));
    enc.icu = Str(doc, "/type/0/coding/0/code") == kSnomedIcu;
    enc.emergency = Str(doc, "/priority/coding/0/code") == "EM";
    enc.died = Str(doc, "/hospitalization/dischargeDisposition/coding/0/code") == "exp";
  }

  void Condition(element doc) {
    const auto code = Str(doc, "/code/coding/0/code");
    if (code == ChronicConditionCode(Chronic::kHypercapnia).code) {
      auto p = d_.patient_index.find(std::string(RefId(Str(doc, "/subject/reference"))));
      if (p != d_.patient_index.end()) d_.patients[p->second].hypercapnic = true;
      return;
    }
    const bool sepsis = code == kSnomedSepsis;
    const bool arrest = code == kSnomedCardiacArrest;
    if (!sepsis && !arrest) return;
    const auto ref = Str(doc, "/encounter/reference");
    if (ref.empty()) return;
    const int32_t h = Hospital(EncounterIndex(RefId(ref)));
    if (sepsis) d_.encounters[h].sepsis = true;
    if (arrest) {
      d_.encounters[h].arrest = true;
      d_.encounters[h].deteriorations.push_back(Seconds(Str(doc, "/onsetDateTime")));
    }
  }

  void Observation(element doc) {
    const Code code = CodeFor(Str(doc, "/code/coding/0/code"));
    if (code == Code::kOther) return;
    Obs o{};
    o.code = code;
    o.encounter = EncounterIndex(RefId(Str(doc, "/encounter/reference")));
    o.time = Seconds(Str(doc, "/effectiveDateTime"));
    o.delay = Seconds(Str(doc, "/issued")) - o.time;
    if (code == Code::kAcvpu) {
      const auto text = Str(doc, "/valueString");
      if (text.empty()) return;
      o.text = text[0];
    } else if (doc.at_pointer(code == Code::kSystolic && Str(doc, "/code/coding/0/code") ==
                                                             obs::kBloodPressurePanel.loinc
                                  ? "/component/0/valueQuantity/value"
                                  : "/valueQuantity/value")
                   .get_double()
                   .get(o.value)) {
      ++d_.unreadable_lines;
      return;
    }
    d_.observations.push_back(o);
  }

  base::Status Truth(const fs::path& path) {
    bool header = true;
    return ForEachLine(path, [&](std::string_view line, size_t) {
      if (header || line.empty()) {
        header = false;
        return;
      }
      const auto f = base::Split(line, ',');
      // patient_id,encounter_id,time,location,...,risk24_deterioration (column 9)
      constexpr size_t kRiskColumn = 9;
      if (f.size() <= kRiskColumn || f[3] != "ward") return;
      auto it = d_.encounter_index.find(std::string(f[1]));
      auto risk = base::ParseDouble(f[kRiskColumn]);
      if (it == d_.encounter_index.end() || !risk) {
        ++d_.unreadable_lines;
        return;
      }
      d_.encounters[it->second].truth.emplace_back(Seconds(f[2]), *risk);
    });
  }

  DataSet& d_;
  simdjson::dom::parser parser_;
};

}  // namespace

base::Result<DataSet> LoadDataSet(const std::filesystem::path& dir) {
  DataSet d;
  Loader loader(d);
  VIGIL_RETURN_IF_ERROR(loader.Run(dir));
  return d;
}

}  // namespace vigil::synth::eval
