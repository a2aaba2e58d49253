// Writes the seeds of the PhysioNet 2019 fuzz target into a folder (argv[1]), made from the ingest
// tests' fixtures (src/vigil/ingest/physionet_fixtures.h): PhysioNet record files are never
// committed, not even invented ones (the real data stays in ../shared/data). CTest runs it before
// replaying the target's corpus; for libFuzzer: `physionet2019_seeds DIR`, then `physionet2019_fuzz
// DIR`.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "vigil/base/file.h"
#include "vigil/ingest/physionet_fixtures.h"

namespace fx = vigil::ingest::fixtures;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: physionet2019_seeds DIR\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);

  // A stay with vital signs, labs and a sepsis label that turns 1.
  const fx::Stay2019 stay{"45", "1", "1", "0", "-3.02"};
  const std::string good = fx::File2019({
      fx::Row2019(1, {{"Temp", "36.9"}, {"Resp", "18"}}, 0, stay),
      fx::Row2019(2, {{"HR", "112"}, {"MAP", "71"}, {"Resp", "24"}, {"Glucose", "141"}}, 0, stay),
      fx::Row2019(3, {{"HR", "118"}, {"Temp", "38.6"}, {"Lactate", "2.7"}}, 0, stay),
      fx::Row2019(4, {{"HR", "121"}, {"SBP", "94"}, {"DBP", "48"}, {"Resp", "27"}}, 1, stay),
      fx::Row2019(5, {{"FiO2", "0.35"}, {"Creatinine", "1.8"}, {"Platelets", "96"}}, 1, stay),
  });
  // Every kind of bad row: a malformed value, hours out of order and repeated, a value too large,
  // a label returning to 0, too few fields, and a last line cut off without its newline.
  const fx::Stay2019 other{"38", "0", "0", "1", "-0.5"};
  std::string bad = fx::File2019({
      fx::Row2019(1, {{"Resp", "2O"}}, 0, other),
      fx::Row2019(3, {{"Resp", "20"}}, 0, other),
      fx::Row2019(2, {{"Resp", "21"}}, 0, other),
      fx::Row2019(3, {{"Resp", "21"}}, 0, other),
      fx::Row2019(4, {{"Glucose", "3e308"}}, 1, other),
      fx::Row2019(5, {}, 0, other),
      "64|99|37.1",
      fx::Row2019(6, {{"HR", "66"}}, 0, other),
  });
  const std::string last = fx::Row2019(7, {{"HR", "71"}}, 0, other);
  bad += last.substr(0, last.size() / 3);

  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"stay.psv", good},
      {"stay_crlf.psv", fx::WithCrlf(good)},
      {"bad_rows.psv", bad},
      {"long_stay.psv", fx::BulkStay2019(3, 30, /*septic=*/true)},
  };
  for (const auto& [name, content] : seeds) {
    if (auto s = vigil::base::WriteFileAtomically(dir / name, content); !s.ok()) {
      std::fprintf(stderr, "cannot write %s: %s\n", (dir / name).c_str(), s.ToString().c_str());
      return 1;
    }
  }
  std::printf("wrote %zu seeds to %s\n", seeds.size(), dir.c_str());
  return 0;
}
