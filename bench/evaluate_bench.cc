// Times evaluate::Evaluate on a synthetic cohort shaped like the PhysioNet 2019 sepsis set (hourly
// predictions, rare positives), with the patient bootstrap. No data is read: every row is
// generated.
//
//   evaluate_bench PATIENTS HOURS REPLICATES THREADS
//
// Prints one line: "vigil rows=N replicates=B threads=T seconds=S auroc=A".
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "vigil/evaluate/bootstrap.h"
#include "vigil/evaluate/evaluation.h"

namespace {

double Uniform(vigil::evaluate::SplitMix64& rng) {
  return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53;
}

vigil::evaluate::EvalInput Cohort(int patients, int hours) {
  vigil::evaluate::SplitMix64 rng(2019);
  vigil::evaluate::EvalInput in;
  in.threshold = 0.1;
  const vigil::base::Instant anchor = vigil::base::MakeInstant(2000, 1, 1);
  for (int p = 0; p < patients; ++p) {
    const double frailty = Uniform(rng);
    const bool septic = Uniform(rng) < 0.07;
    const int onset = septic ? static_cast<int>(Uniform(rng) * hours) : hours;
    std::string id = "p";
    id += std::to_string(p);  // not "p" + ...: GCC 12 -O3 warns falsely (-Wrestrict)
    for (int h = 0; h < hours; ++h) {
      const bool label = septic && h >= onset - 6;
      const double z = -4 + 2 * frailty + (label ? 1.5 : 0) + (Uniform(rng) - 0.5);
      in.rows.push_back({id, "icu", anchor + vigil::base::Hours(h)});
      in.probabilities.push_back(1 / (1 + std::exp(-z)));
      in.labels.push_back(label ? 1.0f : 0.0f);
    }
  }
  return in;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: evaluate_bench PATIENTS HOURS REPLICATES THREADS\n");
    return 2;
  }
  const vigil::evaluate::EvalInput in = Cohort(std::atoi(argv[1]), std::atoi(argv[2]));
  vigil::evaluate::EvalOptions options;
  options.bootstrap_replicates = std::atoi(argv[3]);
  options.threads = std::atoi(argv[4]);
  const auto start = std::chrono::steady_clock::now();
  const auto ev = vigil::evaluate::Evaluate(in, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!ev.ok()) {
    std::fprintf(stderr, "%s\n", ev.status().ToString().c_str());
    return 1;
  }
  std::printf("vigil rows=%zu replicates=%d threads=%d seconds=%.3f auroc=%.4f\n", in.rows.size(),
              options.bootstrap_replicates, options.threads, seconds,
              ev->overall.discrimination.auroc.value);
  return 0;
}
