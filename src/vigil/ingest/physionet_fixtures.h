// Test fixtures: small PhysioNet-format files written by the tests themselves (the real data never
// enters the repository). Header-only; used by the ingest tests.
#ifndef VIGIL_INGEST_PHYSIONET_FIXTURES_H_
#define VIGIL_INGEST_PHYSIONET_FIXTURES_H_

#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "vigil/ingest/session.h"
#include "vigil/store/records.h"
#include "vigil/terminology/physionet.h"

namespace vigil::ingest::fixtures {

// A 2012 record file: the header, the six descriptors, then `body` (lines ending in "\n").
inline std::string Record2012(const std::string& record_id, const std::string& body,
                              const std::string& weight = "80") {
  return fmt::format(
      "Time,Parameter,Value\n00:00,RecordID,{}\n00:00,Age,54\n00:00,Gender,0\n00:00,Height,-1\n"
      "00:00,ICUType,4\n00:00,Weight,{}\n{}",
      record_id, weight, body);
}

inline std::string Header2019() {
  std::string h;
  for (const auto& c : terminology::PhysioNet2019Columns()) h += std::string(c.name) + "|";
  return h + "Age|Gender|Unit1|Unit2|HospAdmTime|ICULOS|SepsisLabel";
}

// The stay columns of a 2019 row.
struct Stay2019 {
  std::string age = "73", gender = "1", unit1 = "1", unit2 = "0", hosp_adm_time = "-214.64";
};

// A 2019 row at hour `iculos`: the given measurement cells, NaN elsewhere.
inline std::string Row2019(int iculos, const std::map<std::string, std::string>& values = {},
                           int label = 0, const Stay2019& stay = {}) {
  std::string row;
  for (const auto& c : terminology::PhysioNet2019Columns()) {
    auto it = values.find(std::string(c.name));
    row += (it == values.end() ? "NaN" : it->second) + "|";
  }
  return row + fmt::format("{}|{}|{}|{}|{}|{}|{}", stay.age, stay.gender, stay.unit1, stay.unit2,
                           stay.hosp_adm_time, iculos, label);
}

// A 2019 file from rows (each gets "\n").
inline std::string File2019(const std::vector<std::string>& rows) {
  std::string out = Header2019() + "\n";
  for (const auto& r : rows) out += r + "\n";
  return out;
}

// `text` with every "\n" turned into "\r\n".
inline std::string WithCrlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// A deterministic 2019 stay of `hours` rows for bulk tests: HR, O2Sat, SBP every hour, a lab every
// sixth hour, sepsis labelled from hour 10 on when `septic`.
inline std::string BulkStay2019(int seed, int hours, bool septic) {
  std::vector<std::string> rows;
  for (int h = 1; h <= hours; ++h) {
    std::map<std::string, std::string> v = {{"HR", std::to_string(60 + (seed * 7 + h) % 50)},
                                            {"O2Sat", std::to_string(90 + (seed + h) % 10)},
                                            {"SBP", std::to_string(100 + (seed * 3 + h) % 40)}};
    if (h % 6 == 0) v["Lactate"] = fmt::format("{:.1f}", 1.0 + (seed + h) % 30 / 10.0);
    rows.push_back(Row2019(h, v, septic && h >= 10 ? 1 : 0));
  }
  return File2019(rows);
}

// One FileOutput read by `read` from `content` named `name`.
template <typename ReadFn>
FileOutput ReadContent(ReadFn read, const std::string& name, std::string content) {
  FileOutput out;
  out.path = name;
  out.content = std::move(content);
  read(out);
  return out;
}

}  // namespace vigil::ingest::fixtures

#endif  // VIGIL_INGEST_PHYSIONET_FIXTURES_H_
