// Evaluation figures as terminal text, shared by `vigil train` and `vigil evaluate`.
#ifndef VIGIL_CLI_EVALUATION_TEXT_H_
#define VIGIL_CLI_EVALUATION_TEXT_H_

#include <string>

#include "vigil/evaluate/evaluation.h"

namespace vigil::cli {

// "0.842 (0.815-0.866)"; without the interval when it is undefined; "n/a" for NaN.
std::string Est(const evaluate::Estimate& e);

// The task's challenge scores that were computed (PhysioNet 2012 Event 1 and 2, PhysioNet 2019
// utility), one indented line each.
void PrintTaskScores(const evaluate::TaskScores& task);

// One line per baseline score: AUROC, (with `sensitivity`) the sensitivity at its alerting
// threshold, and the challenge scores that were computed.
void PrintBaselines(const evaluate::Evaluation& ev, bool sensitivity);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_EVALUATION_TEXT_H_
