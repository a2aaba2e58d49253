#include "vigil/evaluate/population.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "vigil/evaluate/bootstrap.h"
#include "vigil/evaluate/calibration.h"

namespace vigil::evaluate::internal {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Scored MakeScored(std::vector<double> scores, double threshold) {
  for (double& s : scores) {
    if (std::isnan(s)) s = -std::numeric_limits<double>::infinity();
  }
  Scored out;
  out.ranking = Ranking::Build(scores);
  out.scores = std::move(scores);
  out.threshold = threshold;
  return out;
}

// Dense indices of `keys` in first-seen order; returns the number of distinct keys.
size_t Densify(const std::vector<std::string>& keys, std::vector<uint32_t>& index) {
  std::unordered_map<std::string, uint32_t> seen;
  index.resize(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    index[i] = seen.emplace(keys[i], static_cast<uint32_t>(seen.size())).first->second;
  }
  return seen.size();
}

void BuildUtilityStays(const EvalInput& input, Population& pop,
                       const std::vector<std::string>& stays_with_unknown_labels) {
  std::vector<std::string> stay_keys(pop.input_rows.size());
  for (size_t i = 0; i < pop.input_rows.size(); ++i) {
    stay_keys[i] = StayKey(input.rows[pop.input_rows[i]]);
  }
  std::vector<uint32_t> stay_index;
  const size_t num_stays = Densify(stay_keys, stay_index);
  std::vector<std::vector<uint32_t>> stays(num_stays);
  std::vector<uint32_t> stay_patient(num_stays);
  std::vector<bool> excluded(num_stays, false);
  for (size_t i = 0; i < pop.input_rows.size(); ++i) {
    stays[stay_index[i]].push_back(static_cast<uint32_t>(i));
    stay_patient[stay_index[i]] = pop.patient[i];
    excluded[stay_index[i]] = std::binary_search(stays_with_unknown_labels.begin(),
                                                 stays_with_unknown_labels.end(), stay_keys[i]);
  }
  for (size_t s = 0; s < num_stays; ++s) {
    if (excluded[s]) continue;
    std::stable_sort(stays[s].begin(), stays[s].end(), [&](uint32_t a, uint32_t b) {
      return input.rows[pop.input_rows[a]].time < input.rows[pop.input_rows[b]].time;
    });
    pop.utility_stays.push_back(std::move(stays[s]));
    pop.utility_stay_patient.push_back(stay_patient[s]);
  }
}

double WeightedAlertRate(const Confusion& c) {
  return c.Total() > 0 ? c.Alerts() / c.Total() : kNaN;
}

}  // namespace

std::string StayKey(const features::RowKey& key) { return key.subject_id + '\x1f' + key.stay_id; }

Population BuildPopulation(const EvalInput& input, std::vector<uint32_t> rows, bool with_baselines,
                           bool with_utility,
                           const std::vector<std::string>& stays_with_unknown_labels) {
  Population pop;
  pop.input_rows = std::move(rows);
  const size_t n = pop.input_rows.size();
  pop.labels.resize(n);
  pop.logits.resize(n);
  std::vector<double> probabilities(n);
  std::vector<std::string> patient_keys(n), stay_keys(n);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t r = pop.input_rows[i];
    pop.labels[i] = input.labels[r] > 0.5f ? 1 : 0;
    probabilities[i] = input.probabilities[r];
    pop.logits[i] = ClippedLogit(probabilities[i]);
    patient_keys[i] = input.rows[r].subject_id;
    stay_keys[i] = StayKey(input.rows[r]);
  }
  pop.num_patients = Densify(patient_keys, pop.patient);
  std::vector<uint32_t> stay_index;
  pop.num_stays = Densify(stay_keys, stay_index);
  std::vector<bool> positive(pop.num_patients, false);
  for (size_t i = 0; i < n; ++i) {
    if (pop.labels[i]) positive[pop.patient[i]] = true;
  }
  pop.num_positive_patients =
      static_cast<size_t>(std::count(positive.begin(), positive.end(), true));
  pop.model = MakeScored(std::move(probabilities), input.threshold);
  if (with_baselines) {
    for (const BaselineScore& b : input.baselines) {
      std::vector<double> scores(n);
      for (size_t i = 0; i < n; ++i) scores[i] = b.values[pop.input_rows[i]];
      pop.baselines.push_back(MakeScored(std::move(scores), b.threshold));
    }
  }
  if (with_utility) BuildUtilityStays(input, pop, stays_with_unknown_labels);
  return pop;
}

Weights ReplicateWeights(const Population& pop, uint64_t seed, uint32_t replicate) {
  Weights w;
  w.patient_counts = ResampleCounts(seed, replicate, pop.num_patients);
  w.rows.resize(pop.patient.size());
  for (size_t i = 0; i < pop.patient.size(); ++i) w.rows[i] = w.patient_counts[pop.patient[i]];
  return w;
}

std::vector<StayUtilities> UtilitiesOf(const Population& pop, const Scored& scored) {
  std::vector<StayUtilities> out;
  out.reserve(pop.utility_stays.size());
  std::vector<uint8_t> labels, alerts;
  for (const std::vector<uint32_t>& stay : pop.utility_stays) {
    labels.clear();
    alerts.clear();
    for (uint32_t i : stay) {
      labels.push_back(pop.labels[i]);
      alerts.push_back(scored.scores[i] >= scored.threshold ? 1 : 0);
    }
    // Inputs are 0/1 by construction and the parameters are the official ones: cannot fail.
    out.push_back(*StayUtilityBounds(labels, alerts));
  }
  return out;
}

ScalarMetrics ComputeScalars(const Population& pop, const Scored& scored, bool is_model,
                             const Weights& weights, std::span<const StayUtilities> stay_utilities,
                             const MetricContext& ctx) {
  ScalarMetrics m{};
  m.auroc = Auroc(scored.ranking, pop.labels, weights.rows);
  m.auprc = AveragePrecision(scored.ranking, pop.labels, weights.rows);
  m.sensitivity = m.specificity = m.ppv = m.npv = m.alert_rate = m.alerts_per_patient_day = kNaN;
  m.event1 = m.utility = m.brier = m.intercept = m.slope = kNaN;
  if (!std::isnan(scored.threshold)) {
    const Confusion c = ConfusionAt(scored.scores, pop.labels, weights.rows, scored.threshold);
    m.sensitivity = c.Sensitivity();
    m.specificity = c.Specificity();
    m.ppv = c.Ppv();
    m.npv = c.Npv();
    m.alert_rate = WeightedAlertRate(c);
    if (ctx.interval_days > 0) m.alerts_per_patient_day = m.alert_rate / ctx.interval_days;
    if (ctx.event1) m.event1 = PhysioNet2012Event1(c.tp, c.fp, c.fn);
    if (ctx.utility) {
      std::vector<double> stay_weights;
      if (!weights.patient_counts.empty()) {
        stay_weights.reserve(pop.utility_stay_patient.size());
        for (uint32_t p : pop.utility_stay_patient)
          stay_weights.push_back(weights.patient_counts[p]);
      }
      m.utility = NormalizedUtility(stay_utilities, stay_weights);
    }
  }
  if (is_model) {
    m.brier = BrierScore(scored.scores, pop.labels, weights.rows);
    const Recalibration r = FitRecalibration(pop.logits, pop.labels, weights.rows, ctx.warm_start);
    m.intercept = r.intercept;
    m.slope = r.slope;
  }
  return m;
}

}  // namespace vigil::evaluate::internal
