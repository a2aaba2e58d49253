#include "vigil/evaluate/evaluation.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <thread>

#include "vigil/evaluate/population.h"

namespace vigil::evaluate {
namespace {

using internal::Population;
using internal::ScalarMetrics;
using internal::Scored;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMicrosPerDay = 86400e6;
constexpr double kMicrosPerHour = 3600e6;
constexpr int kMaxYearsChild = 18;
constexpr int kMaxYearsYoungAdult = 45;
constexpr int kMaxYearsMiddleAge = 65;
constexpr int kMaxYearsOlder = 80;

base::Status ValidateInput(const EvalInput& in) {
  const size_t n = in.rows.size();
  if (in.probabilities.size() != n || in.labels.size() != n) {
    return base::InvalidArgumentError("evaluate: rows, probabilities and labels differ in length");
  }
  if (!(in.threshold >= 0 && in.threshold <= 1)) {
    return base::InvalidArgumentError("evaluate: the operating threshold is not in [0, 1]");
  }
  for (size_t i = 0; i < n; ++i) {
    const double p = in.probabilities[i];
    if (!(p >= 0 && p <= 1)) {
      return base::InvalidArgumentError("evaluate: row " + std::to_string(i) +
                                        ": probability is not a number in [0, 1]");
    }
    const float y = in.labels[i];
    if (!std::isnan(y) && y != 0.0f && y != 1.0f) {
      return base::InvalidArgumentError("evaluate: row " + std::to_string(i) +
                                        ": label is not 0, 1 or unknown");
    }
  }
  for (const Attribute& a : in.attributes) {
    if (a.values.size() != n) {
      return base::InvalidArgumentError("evaluate: attribute '" + a.name + "' has " +
                                        std::to_string(a.values.size()) + " values for " +
                                        std::to_string(n) + " rows");
    }
  }
  for (const BaselineScore& b : in.baselines) {
    if (b.values.size() != n) {
      return base::InvalidArgumentError("evaluate: baseline '" + b.name + "' has " +
                                        std::to_string(b.values.size()) + " values for " +
                                        std::to_string(n) + " rows");
    }
  }
  return base::Status::Ok();
}

// The median gap between consecutive rows of the same stay, in microseconds; 0 when there is none.
double InferRowIntervalMicros(const EvalInput& in) {
  std::vector<uint32_t> order(in.rows.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  auto key = [&](uint32_t i) {
    return std::tie(in.rows[i].subject_id, in.rows[i].stay_id, in.rows[i].time);
  };
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return key(a) < key(b); });
  std::vector<double> gaps;
  for (size_t k = 1; k < order.size(); ++k) {
    const features::RowKey& a = in.rows[order[k - 1]];
    const features::RowKey& b = in.rows[order[k]];
    if (a.subject_id == b.subject_id && a.stay_id == b.stay_id && b.time > a.time) {
      gaps.push_back(static_cast<double>((b.time - a.time).count()));
    }
  }
  if (gaps.empty()) return 0;
  std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
  return gaps[gaps.size() / 2];
}

std::vector<std::string> StaysWithUnknownLabels(const EvalInput& in) {
  std::vector<std::string> keys;
  for (size_t i = 0; i < in.rows.size(); ++i) {
    if (std::isnan(in.labels[i])) keys.push_back(internal::StayKey(in.rows[i]));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

// Replicate values of every predictor of a population: [predictor][replicate], predictor 0 = model.
using ReplicateTable = std::vector<std::vector<ScalarMetrics>>;

ReplicateTable RunBootstrap(const Population& pop, uint64_t seed, const EvalOptions& options,
                            const std::vector<std::vector<StayUtilities>>& utilities,
                            const internal::MetricContext& ctx) {
  const int replicates = options.bootstrap_replicates;
  const size_t predictors = 1 + pop.baselines.size();
  ReplicateTable table(predictors, std::vector<ScalarMetrics>(std::max(replicates, 0)));
  if (replicates <= 0) return table;
  int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, replicates);
  auto work = [&](int first) {
    for (int b = first; b < replicates; b += threads) {
      const internal::Weights w = internal::ReplicateWeights(pop, seed, static_cast<uint32_t>(b));
      table[0][b] = internal::ComputeScalars(pop, pop.model, true, w, utilities[0], ctx);
      for (size_t k = 0; k < pop.baselines.size(); ++k) {
        table[k + 1][b] =
            internal::ComputeScalars(pop, pop.baselines[k], false, w, utilities[k + 1], ctx);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& t : pool) t.join();
  return table;
}

Estimate Interval(double point, const std::vector<ScalarMetrics>& reps,
                  double ScalarMetrics::*field) {
  std::vector<double> values;
  values.reserve(reps.size());
  for (const ScalarMetrics& m : reps) values.push_back(m.*field);
  if (reps.empty()) return PointOnly(point);
  return PercentileInterval(point, std::move(values));
}

AtThreshold MakeAtThreshold(const Population& pop, const Scored& s, const ScalarMetrics& point,
                            const std::vector<ScalarMetrics>& reps) {
  AtThreshold at;
  at.threshold = s.threshold;
  if (std::isnan(s.threshold)) return at;
  const Confusion c = ConfusionAt(s.scores, pop.labels, {}, s.threshold);
  at.tp = c.tp;
  at.fp = c.fp;
  at.tn = c.tn;
  at.fn = c.fn;
  at.sensitivity = Interval(point.sensitivity, reps, &ScalarMetrics::sensitivity);
  at.specificity = Interval(point.specificity, reps, &ScalarMetrics::specificity);
  at.ppv = Interval(point.ppv, reps, &ScalarMetrics::ppv);
  at.npv = Interval(point.npv, reps, &ScalarMetrics::npv);
  at.alert_rate = Interval(point.alert_rate, reps, &ScalarMetrics::alert_rate);
  at.alerts_per_patient_day =
      Interval(point.alerts_per_patient_day, reps, &ScalarMetrics::alerts_per_patient_day);
  at.alerts_per_stay = pop.num_stays > 0 ? c.Alerts() / static_cast<double>(pop.num_stays) : kNaN;
  return at;
}

Discrimination MakeDiscrimination(const Population& pop, const Scored& s,
                                  const ScalarMetrics& point,
                                  const std::vector<ScalarMetrics>& reps, size_t max_points) {
  Discrimination d;
  d.auroc = Interval(point.auroc, reps, &ScalarMetrics::auroc);
  d.auprc = Interval(point.auprc, reps, &ScalarMetrics::auprc);
  d.roc = RocCurve(s.ranking, s.scores, pop.labels, max_points);
  d.pr = PrCurve(s.ranking, s.scores, pop.labels, max_points);
  return d;
}

TaskScores MakeTaskScores(const Population& pop, const ScalarMetrics& point,
                          const std::vector<ScalarMetrics>& reps, const ChallengeScores& which,
                          bool is_model) {
  TaskScores t;
  t.physionet2012 = which.physionet2012;
  t.event1 = Interval(point.event1, reps, &ScalarMetrics::event1);
  t.event2 = kNaN;
  if (which.physionet2012 && is_model) {
    std::vector<double> p(pop.model.scores);
    t.event2 = PhysioNet2012Event2(p, pop.labels);
  }
  t.physionet2019 = which.physionet2019;
  t.utility = Interval(point.utility, reps, &ScalarMetrics::utility);
  t.utility_stays = static_cast<int64_t>(pop.utility_stays.size());
  return t;
}

struct Context {
  const EvalInput& input;
  const EvalOptions& options;
  double interval_days;
  std::vector<std::string> stays_with_unknown_labels;
};

// Metrics of the model (and, for the cohort, of every baseline) on `rows`.
PopulationMetrics EvaluatePopulation(const Context& cx, std::vector<uint32_t> rows, uint64_t seed,
                                     bool with_baselines, std::vector<BaselineResult>* baselines,
                                     size_t* positive_patients, size_t* negative_patients) {
  const EvalOptions& opt = cx.options;
  const bool utility = opt.challenge.physionet2019;
  Population pop = internal::BuildPopulation(cx.input, std::move(rows), with_baselines, utility,
                                             cx.stays_with_unknown_labels);
  *positive_patients = pop.num_positive_patients;
  // Patients with at least one negative row.
  std::vector<bool> has_negative(pop.num_patients, false);
  for (size_t i = 0; i < pop.labels.size(); ++i) {
    if (!pop.labels[i]) has_negative[pop.patient[i]] = true;
  }
  *negative_patients =
      static_cast<size_t>(std::count(has_negative.begin(), has_negative.end(), true));

  std::vector<std::vector<StayUtilities>> utilities(1 + pop.baselines.size());
  if (utility) {
    utilities[0] = internal::UtilitiesOf(pop, pop.model);
    for (size_t k = 0; k < pop.baselines.size(); ++k) {
      if (!std::isnan(pop.baselines[k].threshold)) {
        utilities[k + 1] = internal::UtilitiesOf(pop, pop.baselines[k]);
      }
    }
  }
  internal::MetricContext ctx{cx.interval_days, opt.challenge.physionet2012, utility, {0.0, 1.0}};
  const internal::Weights sample;
  const ScalarMetrics point =
      internal::ComputeScalars(pop, pop.model, true, sample, utilities[0], ctx);
  ctx.warm_start = {point.intercept, point.slope};
  const ReplicateTable reps = RunBootstrap(pop, seed, opt, utilities, ctx);

  PopulationMetrics m;
  const size_t n = pop.labels.size();
  m.counts.rows = static_cast<int64_t>(n);
  m.counts.positives = std::count(pop.labels.begin(), pop.labels.end(), 1);
  m.counts.patients = static_cast<int64_t>(pop.num_patients);
  m.counts.positive_patients = static_cast<int64_t>(pop.num_positive_patients);
  m.counts.stays = static_cast<int64_t>(pop.num_stays);
  m.counts.prevalence = n > 0 ? static_cast<double>(m.counts.positives) / n : kNaN;
  m.discrimination = MakeDiscrimination(pop, pop.model, point, reps[0], opt.max_curve_points);
  Calibration& cal = m.calibration;
  cal.brier = Interval(point.brier, reps[0], &ScalarMetrics::brier);
  cal.intercept = Interval(point.intercept, reps[0], &ScalarMetrics::intercept);
  cal.slope = Interval(point.slope, reps[0], &ScalarMetrics::slope);
  double sum_p = 0;
  for (double p : pop.model.scores) sum_p += p;
  cal.mean_predicted = n > 0 ? sum_p / n : kNaN;
  cal.observed_rate = m.counts.prevalence;
  cal.reliability =
      ReliabilityCurve(pop.model.scores, pop.labels, opt.reliability_bins, opt.reliability_binning);
  cal.hosmer_lemeshow = HosmerLemeshow(pop.model.scores, pop.labels);
  m.at_threshold = MakeAtThreshold(pop, pop.model, point, reps[0]);
  const std::vector<double> thresholds = DecisionThresholds();
  m.decision_curve = DecisionCurve(pop.model.scores, pop.labels, thresholds);
  m.task = MakeTaskScores(pop, point, reps[0], opt.challenge, true);

  if (baselines == nullptr) return m;
  for (size_t k = 0; k < pop.baselines.size(); ++k) {
    const Scored& s = pop.baselines[k];
    const BaselineScore& in = cx.input.baselines[k];
    BaselineResult b;
    b.name = in.name;
    b.threshold_source = in.threshold_source;
    for (uint32_t r : pop.input_rows) b.rows_missing += std::isnan(in.values[r]) ? 1 : 0;
    const ScalarMetrics bp = internal::ComputeScalars(pop, s, false, sample, utilities[k + 1], ctx);
    b.discrimination = MakeDiscrimination(pop, s, bp, reps[k + 1], opt.max_curve_points);
    b.at_threshold = MakeAtThreshold(pop, s, bp, reps[k + 1]);
    if (!std::isnan(s.threshold)) {
      b.decision_curve =
          RuleDecisionCurve(ConfusionAt(s.scores, pop.labels, {}, s.threshold), thresholds);
    }
    std::vector<double> diff;
    for (size_t r = 0; r < reps[0].size(); ++r)
      diff.push_back(reps[0][r].auroc - reps[k + 1][r].auroc);
    b.auroc_difference = diff.empty() ? PointOnly(point.auroc - bp.auroc)
                                      : PercentileInterval(point.auroc - bp.auroc, std::move(diff));
    b.task = MakeTaskScores(pop, bp, reps[k + 1], opt.challenge, false);
    if (std::isnan(s.threshold)) b.task.physionet2012 = b.task.physionet2019 = false;
    baselines->push_back(std::move(b));
  }
  return m;
}

void AddFlag(const std::string& metric, const Estimate& sub, double overall,
             std::vector<FairnessFlag>& flags) {
  if (std::isnan(sub.lower) || std::isnan(sub.upper) || std::isnan(overall)) return;
  if (overall >= sub.lower && overall <= sub.upper) return;
  flags.push_back(
      {metric, sub.value, sub.lower, sub.upper, overall, sub.upper < overall ? "below" : "above"});
}

// Subgroup levels in reading order: numeric bands by their number ("<18" before "18-44" before
// "80+"), other levels alphabetically, "unknown" last.
struct LevelOrder {
  static std::optional<double> Leading(const std::string& s) {
    const bool below = !s.empty() && s[0] == '<';
    double v = 0;
    const char* begin = s.data() + (below ? 1 : 0);
    const auto [end, ec] = std::from_chars(begin, s.data() + s.size(), v);
    if (ec != std::errc() || end == begin) return std::nullopt;
    return below ? v - 0.5 : v;
  }
  bool operator()(const std::string& a, const std::string& b) const {
    if ((a == "unknown") != (b == "unknown")) return b == "unknown";
    const std::optional<double> x = Leading(a), y = Leading(b);
    if (x && y && *x != *y) return *x < *y;
    if (x.has_value() != y.has_value()) return x.has_value();
    return a < b;
  }
};

}  // namespace

base::Result<Evaluation> Evaluate(const EvalInput& input, const EvalOptions& options) {
  VIGIL_RETURN_IF_ERROR(ValidateInput(input));
  std::vector<uint32_t> labelled;
  for (uint32_t i = 0; i < input.rows.size(); ++i) {
    if (!std::isnan(input.labels[i])) labelled.push_back(i);
  }
  if (labelled.empty()) return base::InvalidArgumentError("evaluate: no row has a known label");

  const double interval_micros = input.row_interval.count() > 0
                                     ? static_cast<double>(input.row_interval.count())
                                     : InferRowIntervalMicros(input);
  Context cx{input, options, interval_micros / kMicrosPerDay, StaysWithUnknownLabels(input)};
  Evaluation ev;
  ev.bootstrap_replicates = std::max(options.bootstrap_replicates, 0);
  ev.seed = options.seed;
  ev.row_interval_hours = interval_micros / kMicrosPerHour;
  size_t pos_patients = 0, neg_patients = 0;
  ev.overall = EvaluatePopulation(cx, labelled, DeriveSeed(options.seed, "overall"), true,
                                  &ev.baselines, &pos_patients, &neg_patients);
  ev.overall.counts.rows_unlabeled = static_cast<int64_t>(input.rows.size() - labelled.size());

  for (const Attribute& attr : input.attributes) {
    std::map<std::string, std::vector<uint32_t>, LevelOrder> levels;
    for (uint32_t i : labelled) {
      const std::string& v = attr.values[i];
      levels[v.empty() ? "unknown" : v].push_back(i);
    }
    for (auto& [level, rows] : levels) {
      SubgroupResult sub;
      sub.attribute = attr.name;
      sub.level = level;
      sub.metrics =
          EvaluatePopulation(cx, std::move(rows), DeriveSeed(options.seed, attr.name + "=" + level),
                             false, nullptr, &pos_patients, &neg_patients);
      const auto min_class =
          static_cast<size_t>(std::max(options.min_subgroup_patients_per_class, 0));
      sub.enough_data = pos_patients >= min_class && neg_patients >= min_class;
      if (sub.enough_data) {
        AddFlag("sensitivity", sub.metrics.at_threshold.sensitivity,
                ev.overall.at_threshold.sensitivity.value, sub.flags);
        AddFlag("calibration intercept", sub.metrics.calibration.intercept,
                ev.overall.calibration.intercept.value, sub.flags);
        AddFlag("calibration slope", sub.metrics.calibration.slope,
                ev.overall.calibration.slope.value, sub.flags);
      }
      ev.subgroups.push_back(std::move(sub));
    }
  }
  return ev;
}

EvalInput MakeEvalInput(const features::FeatureMatrix& matrix, std::vector<double> probabilities,
                        double threshold) {
  EvalInput in;
  in.rows = matrix.rows;
  in.labels = matrix.labels;
  in.probabilities = std::move(probabilities);
  in.threshold = threshold;
  return in;
}

std::string AgeBand(double years) {
  if (std::isnan(years) || years < 0) return "unknown";
  if (years < kMaxYearsChild) return "<18";
  if (years < kMaxYearsYoungAdult) return "18-44";
  if (years < kMaxYearsMiddleAge) return "45-64";
  if (years < kMaxYearsOlder) return "65-79";
  return "80+";
}

}  // namespace vigil::evaluate
