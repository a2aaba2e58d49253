// logistic_bench STORE TASK L2 THREADS REPEAT: fits model::LogisticModel on every labelled row of
// the task's feature matrix (weights 1) and prints the fit's time (best of REPEAT), its Newton
// iterations and its objective's parts, so two builds can be compared on the same rows
// (bench_logistic.sh). Feature extraction is not timed.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "vigil/features/extract.h"
#include "vigil/model/logistic.h"
#include "vigil/task/builtin.h"

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: logistic_bench STORE TASK L2 THREADS REPEAT\n");
    return 2;
  }
  auto spec = vigil::task::LoadTask(argv[2]);
  if (!spec.ok()) {
    std::fprintf(stderr, "%s\n", spec.status().ToString().c_str());
    return 1;
  }
  auto store = vigil::store::Store::Open(argv[1], vigil::store::Store::Mode::kReadOnly);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  auto x = vigil::features::ExtractFeatures(**store, *spec);
  if (!x.ok()) {
    std::fprintf(stderr, "%s\n", x.status().ToString().c_str());
    return 1;
  }
  const auto& m = x->matrix;
  std::vector<size_t> rows;
  for (size_t r = 0; r < m.num_rows(); ++r) {
    if (m.has_label(r)) rows.push_back(r);
  }
  const std::vector<float> weights(rows.size(), 1.0f);
  vigil::model::LogisticOptions options;
  options.l2 = std::atof(argv[3]);
  options.num_threads = std::max(1, std::atoi(argv[4]));
  const int repeat = std::max(1, std::atoi(argv[5]));
  std::vector<double> times;
  vigil::model::LogisticModel model;
  for (int i = 0; i < repeat; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto fit = vigil::model::LogisticModel::Fit(m, rows, weights, options);
    if (!fit.ok()) {
      std::fprintf(stderr, "%s\n", fit.status().ToString().c_str());
      return 1;
    }
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    model = std::move(*fit);
  }
  // The fitted model's mean log loss on its rows, a check that two builds reach the same optimum.
  double loss = 0;
  for (size_t r : rows) {
    const double eta = model.Margin(m.row(r));
    const double y = m.labels[r] > 0.5f ? 1.0 : 0.0;
    loss += (eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta))) - y * eta;
  }
  std::sort(times.begin(), times.end());
  std::printf(
      "logistic fit: rows=%zu columns=%zu l2=%g threads=%d seconds=%.3f (best of %d) "
      "iterations=%d converged=%d mean_log_loss=%.9f\n",
      rows.size(), m.num_cols(), options.l2, options.num_threads, times.front(), repeat,
      model.iterations(), model.converged() ? 1 : 0, loss / static_cast<double>(rows.size()));
  return 0;
}
