// Evaluate: every validation metric of a model's predictions, for the whole cohort, for each
// subgroup, and for baseline scores on the same rows. docs/evaluation.md defines each metric and
// its interval.
//
//   evaluate::EvalInput in;
//   in.rows = matrix.rows; in.labels = matrix.labels; in.probabilities = model_probabilities;
//   in.threshold = model.threshold;
//   in.attributes.push_back({"sex", sex_per_row});
//   in.baselines.push_back({"NEWS2", news2_per_row, evaluate::kNews2AlertThreshold, "..."});
//   VIGIL_ASSIGN_OR_RETURN(evaluate::Evaluation ev, evaluate::Evaluate(in, {}));
//   std::string json = evaluate::ToJson(ev);
//
// Rows whose label is unknown (NaN) are counted and left out of every metric. Intervals come from
// the patient bootstrap (bootstrap.h): every replicate resamples patients (subject_id), keeping all
// rows of a drawn patient. Results are deterministic in (input, options): the same seed gives the
// same numbers whatever the number of threads.
//
// Errors (InvalidArgument, naming the row index or column, never a value or an identifier): columns
// of different lengths, a probability that is not a number in [0, 1], a label other than 0, 1 or
// NaN, an operating threshold outside [0, 1], no labelled row. Thread-safety: Evaluate is
// reentrant; it uses up to options.threads worker threads.
#ifndef VIGIL_EVALUATE_EVALUATION_H_
#define VIGIL_EVALUATE_EVALUATION_H_

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/base/time.h"
#include "vigil/evaluate/bootstrap.h"
#include "vigil/evaluate/calibration.h"
#include "vigil/evaluate/decision.h"
#include "vigil/evaluate/metrics.h"
#include "vigil/features/matrix.h"

namespace vigil::evaluate {

// Conventional alerting thresholds of the baseline scores ("score >= threshold" alerts).
// NEWS2: aggregate 5 or more is the key threshold for urgent response (Royal College of Physicians,
// National Early Warning Score 2, 2017).
inline constexpr double kNews2AlertThreshold = 5;
// qSOFA: 2 or more of 3 criteria (Seymour et al., JAMA 2016; Singer et al., Sepsis-3, JAMA 2016).
inline constexpr double kQsofaAlertThreshold = 2;
// SIRS: 2 or more of 4 criteria (Bone et al., ACCP/SCCM consensus, Chest 1992).
inline constexpr double kSirsAlertThreshold = 2;

// A baseline score without an alerting threshold (for example SAPS-I).
inline constexpr double kNoThreshold = std::numeric_limits<double>::quiet_NaN();

// A categorical attribute of each row, for the subgroup (fairness) analysis: sex, age band, race,
// ethnicity, unit or ICU type, whatever the data has. An empty value is reported as the level
// "unknown".
struct Attribute {
  std::string name;                 // e.g. "sex"
  std::vector<std::string> values;  // one per row
};

// A baseline score on the same rows (NEWS2, qSOFA, SIRS, a dataset's reference score such as
// SAPS-I). Higher means more risk. A row where the score could not be computed (NaN) ranks lowest
// and never alerts (a score nobody can compute raises no alarm); such rows are counted in
// `rows_missing`.
struct BaselineScore {
  std::string name;
  std::vector<double> values;       // one per row
  double threshold = kNoThreshold;  // alert when value >= threshold; NaN when the score has none
  std::string threshold_source;     // where the threshold comes from, for the report
};

struct EvalInput {
  std::vector<features::RowKey> rows;  // who and when; rows need not be sorted
  std::vector<double> probabilities;   // the model's calibrated probability, one per row
  std::vector<float> labels;           // 1, 0, or NaN when unknown
  double threshold = 0.5;              // the model's operating threshold: alert when p >= threshold
  std::vector<Attribute> attributes;
  std::vector<BaselineScore> baselines;
  // Time between consecutive predictions of a stay, for alerts per patient-day. Zero: inferred as
  // the median gap between consecutive rows of the same stay; when no stay has two rows, alerts per
  // patient-day is not reported (NaN) and alerts per stay is.
  base::Duration row_interval{0};
};

// Which task-specific challenge scores to compute (the task says which apply).
struct ChallengeScores {
  bool physionet2012 =
      false;  // Event 1 (min(Se, PPV) at the threshold) and Event 2 (range-normalized H)
  bool physionet2019 = false;  // normalized utility of "p >= threshold" on hourly rows of each stay
};

struct EvalOptions {
  int bootstrap_replicates = 1000;  // 0: point estimates only
  uint64_t seed = 20240601;
  int threads = 0;  // 0: std::thread::hardware_concurrency()
  int reliability_bins = 10;
  Binning reliability_binning = Binning::kQuantile;
  size_t max_curve_points = 200;  // ROC and PR curves are thinned to this many points for storage
  ChallengeScores challenge;
  // Subgroups with fewer patients who have a positive row, or fewer patients without one, get
  // metrics but no fairness flags (their intervals are too wide to mean anything).
  int min_subgroup_patients_per_class = 10;
};

struct Counts {
  int64_t rows = 0;            // labelled rows used
  int64_t rows_unlabeled = 0;  // rows left out because the label is unknown
  int64_t positives = 0;       // labelled rows with label 1
  int64_t patients = 0;
  int64_t positive_patients = 0;  // patients with at least one positive row
  int64_t stays = 0;
  double prevalence = 0;  // positives / rows
};

struct Discrimination {
  Estimate auroc;
  Estimate auprc;
  std::vector<CurvePoint> roc;
  std::vector<CurvePoint> pr;
};

struct Calibration {
  Estimate brier;
  Estimate intercept;  // calibration-in-the-large (0 is ideal; > 0: risk underestimated)
  Estimate slope;      // 1 is ideal; < 1: predictions too extreme
  double mean_predicted = 0;
  double observed_rate = 0;
  std::vector<ReliabilityBin> reliability;
  HosmerLemeshowResult hosmer_lemeshow{};
};

struct AtThreshold {
  double threshold = kNoThreshold;        // NaN: the predictor has no threshold; the rest is NaN
  double tp = 0, fp = 0, tn = 0, fn = 0;  // rows
  Estimate sensitivity;
  Estimate specificity;
  Estimate ppv;
  Estimate npv;
  Estimate alert_rate;  // fraction of rows that alert
  Estimate
      alerts_per_patient_day;  // alert rows / patient-days of predictions (NaN: see row_interval)
  double alerts_per_stay = std::numeric_limits<double>::quiet_NaN();
};

struct TaskScores {
  bool physionet2012 = false;
  Estimate event1;                                           // min(Se, PPV) at the threshold
  double event2 = std::numeric_limits<double>::quiet_NaN();  // range-normalized H (no interval)
  bool physionet2019 = false;
  Estimate utility;  // normalized utility
  int64_t utility_stays = 0;
};

// The metrics of one set of rows (the whole cohort or one subgroup).
struct PopulationMetrics {
  Counts counts;
  Discrimination discrimination;
  Calibration calibration;
  AtThreshold at_threshold;
  std::vector<DecisionPoint> decision_curve;
  TaskScores task;
};

struct BaselineResult {
  std::string name;
  std::string threshold_source;
  int64_t rows_missing = 0;
  Discrimination discrimination;
  AtThreshold at_threshold;                   // empty (threshold NaN) when the score has none
  std::vector<DecisionPoint> decision_curve;  // of the rule "score >= threshold"
  Estimate auroc_difference;                  // model minus baseline, paired bootstrap
  TaskScores task;                            // challenge scores of the rule, where computed
};

// A subgroup whose calibration or sensitivity departs from the whole cohort beyond its interval:
// the cohort's point estimate lies outside the subgroup's 95 % bootstrap interval.
struct FairnessFlag {
  std::string metric;  // "sensitivity", "calibration intercept" or "calibration slope"
  double subgroup_value = 0;
  double lower = 0;
  double upper = 0;
  double overall_value = 0;
  std::string direction;  // "above" or "below" the cohort
};

struct SubgroupResult {
  std::string attribute;
  std::string level;
  bool enough_data =
      false;  // false: too few patients for flags (see min_subgroup_patients_per_class)
  PopulationMetrics metrics;
  std::vector<FairnessFlag> flags;
};

struct Evaluation {
  int bootstrap_replicates = 0;
  uint64_t seed = 0;
  double row_interval_hours = 0;  // used for alerts per patient-day; 0 when unknown
  PopulationMetrics overall;
  std::vector<BaselineResult> baselines;
  std::vector<SubgroupResult> subgroups;
};

base::Result<Evaluation> Evaluate(const EvalInput& input, const EvalOptions& options);

// The input for a feature matrix's rows (keys and labels copied) with the model's probabilities for
// those rows; attributes and baselines are added by the caller. Evaluate checks the lengths.
EvalInput MakeEvalInput(const features::FeatureMatrix& matrix, std::vector<double> probabilities,
                        double threshold);

// The age band of an age in years, for the subgroup analysis: "<18", "18-44", "45-64", "65-79",
// "80+"; "unknown" for NaN or a negative age.
std::string AgeBand(double years);

}  // namespace vigil::evaluate

#endif  // VIGIL_EVALUATE_EVALUATION_H_
