// features_bench STORE TASK REPEAT [CHECK.csv]: times features::ExtractFeatures (best of REPEAT
// runs, from opening the store to the finished matrix) and prints one line of figures. With
// CHECK.csv, also writes a few columns of the matrix for bench/features_pandas.py to compare with
// its own.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "vigil/features/export.h"
#include "vigil/features/extract.h"
#include "vigil/task/builtin.h"

namespace {

using vigil::features::FeatureMatrix;

// The columns the pandas baseline recomputes (heart rate statistics, lactate, FiO2).
const char* const kCheckColumns[] = {"LOINC/8867-4.last",     "LOINC/8867-4.time_since_last",
                                     "LOINC/8867-4.missing",  "LOINC/8867-4.min.6h",
                                     "LOINC/8867-4.max.6h",   "LOINC/8867-4.mean.6h",
                                     "LOINC/8867-4.count.6h", "LOINC/8867-4.slope.6h",
                                     "LOINC/2524-7.last",     "LOINC/2524-7.time_since_last",
                                     "LOINC/3150-0.last",     "score.qSOFA"};

FeatureMatrix Columns(const FeatureMatrix& m) {
  FeatureMatrix out;
  out.rows = m.rows;
  out.labels = m.labels;
  std::vector<size_t> index;
  for (const char* name : kCheckColumns) {
    for (size_t c = 0; c < m.num_cols(); ++c) {
      if (m.names[c] == name) {
        out.names.push_back(name);
        index.push_back(c);
      }
    }
  }
  out.values.reserve(m.num_rows() * index.size());
  for (size_t r = 0; r < m.num_rows(); ++r) {
    for (size_t c : index) out.values.push_back(m.at(r, c));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: features_bench STORE TASK REPEAT [CHECK.csv]\n");
    return 2;
  }
  auto spec = vigil::task::LoadTask(argv[2]);
  if (!spec.ok()) {
    std::fprintf(stderr, "%s\n", spec.status().ToString().c_str());
    return 1;
  }
  const int repeat = std::max(1, std::atoi(argv[3]));
  std::vector<double> times;
  vigil::features::Extraction x;
  for (int i = 0; i < repeat; ++i) {
    // The previous run's matrix is released first, as a program that extracts again would: its
    // memory is then reused instead of faulted in afresh (the first run pays for that; printed).
    x = vigil::features::Extraction();
    const auto start = std::chrono::steady_clock::now();
    auto store = vigil::store::Store::Open(argv[1], vigil::store::Store::Mode::kReadOnly);
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
      return 1;
    }
    auto result = vigil::features::ExtractFeatures(**store, *spec);
    if (!result.ok()) {
      std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
      return 1;
    }
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    x = std::move(*result);
  }
  const auto& m = x.matrix;
  const double first = times.front();
  std::sort(times.begin(), times.end());
  const double best = times.front();
  // The first run's matrix comes from memory the process never touched, which costs page faults
  // (on this VM some 0.2 s for 231 MB); later runs reuse the memory the previous one released.
  std::printf(
      "vigil features: rows=%zu columns=%zu events=%lld seconds=%.3f (best of %d; median %.3f, "
      "first run %.3f) events_per_second=%.2fM matrix_mb=%.0f\n",
      m.num_rows(), m.num_cols(), static_cast<long long>(x.events_read), best, repeat,
      times[times.size() / 2], first, static_cast<double>(x.events_read) / best / 1e6,
      static_cast<double>(m.values.size()) * sizeof(float) / 1e6);
  if (argc > 4) {
    auto s = vigil::features::WriteFeatureFile(Columns(m), argv[4]);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      return 1;
    }
  }
  return 0;
}
