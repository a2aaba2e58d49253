// The area under the ROC curve, for the synthetic hospital's evaluation. (The `evaluate` module
// has the full set of metrics; this small copy keeps the synth evaluation self-contained.)
#ifndef VIGIL_SYNTH_AUROC_H_
#define VIGIL_SYNTH_AUROC_H_

#include <cstdint>
#include <optional>
#include <span>

namespace vigil::synth {

// The probability that a random positive scores higher than a random negative, ties counting one
// half (the Mann-Whitney U statistic over positives x negatives). nullopt when there are no
// positives or no negatives. `scores` and `labels` have the same length.
std::optional<double> Auroc(std::span<const double> scores, std::span<const uint8_t> labels);

}  // namespace vigil::synth

#endif  // VIGIL_SYNTH_AUROC_H_
