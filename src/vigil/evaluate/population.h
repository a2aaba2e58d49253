// Internal to the evaluate module: one set of labelled rows (the cohort or a subgroup) laid out for
// fast repeated metric computation, and the metrics of one bootstrap replicate.
#ifndef VIGIL_EVALUATE_POPULATION_H_
#define VIGIL_EVALUATE_POPULATION_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vigil/evaluate/challenge.h"
#include "vigil/evaluate/evaluation.h"
#include "vigil/evaluate/metrics.h"

namespace vigil::evaluate::internal {

// Scores of one predictor on a population's rows, ranked once.
struct Scored {
  std::vector<double> scores;  // NaN replaced by -infinity (ranks lowest, never alerts)
  Ranking ranking;
  double threshold;  // NaN: no threshold metrics
};

struct Population {
  std::vector<uint32_t> input_rows;  // index of each row in EvalInput
  std::vector<uint8_t> labels;
  std::vector<double> logits;     // ClippedLogit of the model's probabilities
  std::vector<uint32_t> patient;  // dense patient index of each row
  size_t num_patients = 0;
  size_t num_stays = 0;
  size_t num_positive_patients = 0;
  Scored model;
  std::vector<Scored> baselines;  // parallel to EvalInput::baselines (overall population only)
  // Stays for the 2019 utility: rows of each stay in time order, and the stay's patient.
  std::vector<std::vector<uint32_t>> utility_stays;
  std::vector<uint32_t> utility_stay_patient;
};

// Builds the population of the given input rows (all labelled). `with_baselines`: rank the baseline
// scores too. `with_utility`: group rows into stays for the 2019 utility, leaving out the stays in
// `stays_with_unknown_labels` (keys from StayKey).
Population BuildPopulation(const EvalInput& input, std::vector<uint32_t> rows, bool with_baselines,
                           bool with_utility,
                           const std::vector<std::string>& stays_with_unknown_labels);

// "subject \x1f stay": the key of a row's stay.
std::string StayKey(const features::RowKey& key);

// The bootstrap-able metrics of one predictor, for one weighting of the rows.
struct ScalarMetrics {
  double auroc;
  double auprc;
  double sensitivity;
  double specificity;
  double ppv;
  double npv;
  double alert_rate;
  double alerts_per_patient_day;
  double event1;
  double utility;
  // Model only (NaN for baselines):
  double brier;
  double intercept;
  double slope;
};

struct MetricContext {
  double interval_days;  // row interval in days; 0 when unknown
  bool event1;
  bool utility;
  Recalibration warm_start;  // for the calibration fits of replicates
};

// One weighting of the population: patient multiplicities and the row weights they imply. Both
// empty for the sample itself.
struct Weights {
  std::vector<uint32_t> patient_counts;
  std::vector<double> rows;
};
Weights ReplicateWeights(const Population& pop, uint64_t seed, uint32_t replicate);

// Metrics of `scored` (the model when `is_model`). `stay_utilities` from UtilitiesOf (used when
// ctx.utility).
ScalarMetrics ComputeScalars(const Population& pop, const Scored& scored, bool is_model,
                             const Weights& weights, std::span<const StayUtilities> stay_utilities,
                             const MetricContext& ctx);

// Per-stay utilities of `scored`'s alerts over the population's utility stays.
std::vector<StayUtilities> UtilitiesOf(const Population& pop, const Scored& scored);

}  // namespace vigil::evaluate::internal

#endif  // VIGIL_EVALUATE_POPULATION_H_
