// vigil-synth-eval DIR [--bootstrap N]: checks a `vigil synth` data set against the targets of
// issue 4 (docs/synth.md, "Evaluation"). Reads the FHIR files and truth/hours.csv only. Exit
// status 0 when every target holds, 1 when one does not, 2 on a usage error.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "vigil/synth/evaluation.h"

int main(int argc, char** argv) {
  vigil::synth::EvaluationOptions options;
  std::string dir;
  CLI::App app{
      "Evaluates a vigil synth data set: event rates, the measurement process, NEWS2 "
      "and the true risk as predictors of deterioration, pulse-oximetry bias",
      "vigil-synth-eval"};
  app.add_option("dir", dir, "The folder `vigil synth --out` wrote")->required();
  app.add_option("--bootstrap", options.bootstrap, "Bootstrap resamples for confidence intervals")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  options.dir = dir;
  auto e = vigil::synth::EvaluateDataSet(options);
  if (!e.ok()) {
    std::fprintf(stderr, "vigil-synth-eval: error: %s\n", e.status().ToString().c_str());
    return 1;
  }
  std::fputs(vigil::synth::FormatEvaluation(*e).c_str(), stdout);
  return vigil::synth::TargetsMet(*e) ? 0 : 1;
}
