// A prediction task, as declared in a YAML file (docs/tasks.md): which stays (cohort), when to
// predict (prediction times), what to predict (label), which features to build, and how to split
// patients into training and test sets.
//
// Parsing validates everything it reads: an unknown key, a wrong type, a bad duration or a rule
// that contradicts another gives InvalidArgument with "FILE:LINE:COLUMN: what is wrong". The spec
// is plain data; TaskSpec values are cheap to copy and safe to share between threads.
#ifndef VIGIL_TASK_SPEC_H_
#define VIGIL_TASK_SPEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/base/status.h"
#include "vigil/base/time.h"

namespace vigil::task {

// "6h", "30min", "7d", "2w", "90s", "0" -> a duration. Integer counts only. InvalidArgument text
// says what is wrong (no quoting of the input is needed: task files are not patient data).
base::Result<base::Duration> ParseDuration(std::string_view text);
// The shortest exact form: 6h, 90min, 1d, 2w.
std::string FormatDuration(base::Duration d);

// Which stays enter the task.
struct CohortSpec {
  std::vector<std::string> kinds;    // stays.kind (icu, inpatient, ...); empty: every kind
  std::vector<std::string> sources;  // stays.source (input format); empty: every source
  base::Duration min_length{0};      // stays shorter than this (end - start) are left out
  std::optional<double> min_age;     // years at the stay's start; unknown age is left out
  std::optional<double> max_age;
  // Leave out stays whose outcome occurred at or before their first prediction time.
  bool exclude_prior_outcome = false;
  // Leave out stays with any of these codes at or before their first prediction time.
  std::vector<std::string> exclude_codes;
};

enum class PredictionMode {
  kOffset,      // once, at stay start + offset
  kEvery,       // at stay start + offset, then every `every`, up to the stay's end
  kVitalSigns,  // at each distinct time within the stay when one of `codes` was measured
  kDischarge,   // at the stay's end
};

struct PredictionSpec {
  PredictionMode mode = PredictionMode::kOffset;
  base::Duration offset{0};
  base::Duration every{0};
  std::vector<std::string> codes;  // kVitalSigns
};

// What a row is when the outcome already occurred at or before the prediction time (an outcome at
// exactly the prediction time counts as "before": events at the prediction time are visible to the
// features, so the outcome is no longer something to predict).
enum class PriorOutcome {
  kPositive,  // the row is positive ("already begun": the 2019 challenge's SepsisLabel)
  kExclude,   // the row is dropped (deterioration: predicting after the event is meaningless)
  kIgnore,    // earlier outcomes do not matter; only the label window counts (readmission)
};

// The label of a row at prediction time t: does an outcome occur in (t, end], where end is t +
// horizon, or the stay's end when there is no horizon? Outcomes are events with one of `codes`
// (any stay of the subject, or none), or the start of another stay of one of `stay_kinds`.
struct LabelSpec {
  std::vector<std::string> codes;
  std::vector<std::string> stay_kinds;
  std::optional<base::Duration> horizon;  // nullopt: until the end of the stay
  PriorOutcome prior_outcome = PriorOutcome::kExclude;
};

// Per-variable statistics (docs/features.md).
enum class Stat {
  kLast,
  kFirst,
  kMin,
  kMax,
  kMean,
  kCount,
  kSlope,
  kTimeSinceLast,
  kMissing,
  kSum
};
std::string_view StatName(Stat s);
std::optional<Stat> StatFromName(std::string_view name);
// Every statistic's name, in the order of Stat ("last, first, ...").
std::string StatNames();

// How far back a group's look-back statistics read: the task's look-back (FeatureSpec::lookback),
// a duration of its own, the stay (since its start), or the subject's whole history before the
// prediction time (e.g. chronic conditions recorded at an earlier admission).
enum class GroupLookback { kTask, kDuration, kStay, kAll };

// A group of variables (codes, or patterns such as "LOINC/*") with the statistics to compute over
// the look-back (`stats`) and over each of `windows` (`window_stats`).
struct VariableGroup {
  std::vector<std::string> codes;
  std::vector<Stat> stats;
  std::vector<Stat> window_stats;
  std::vector<base::Duration> windows;
  GroupLookback lookback = GroupLookback::kTask;
  base::Duration lookback_duration{0};  // with kDuration
};

struct FeatureSpec {
  // How far back `stats` look: nullopt means since the stay's start.
  std::optional<base::Duration> lookback;
  std::vector<VariableGroup> variables;
  bool time_in_stay = true;               // stay.hours_since_start
  std::vector<std::string> demographics;  // age, sex, height, weight, time_in_hospital
  // Care units (stays.unit, e.g. the PhysioNet 2012 ICU types CCU, CSRU, MICU, SICU): one
  // indicator column each, stay.unit.NAME (empty when the stay's unit is unknown).
  std::vector<std::string> units;
  std::vector<std::string> scores;                  // NEWS2, qSOFA, SIRS
  base::Duration score_lookback = base::Hours(24);  // inputs older than this are missing
};

enum class SplitMethod { kStratified, kTemporal };

struct SplitSpec {
  SplitMethod method = SplitMethod::kStratified;
  double test_fraction = 0.2;
  double validation_fraction = 0.0;
  uint64_t seed = 42;
  std::optional<base::Instant> cutoff;  // kTemporal: train before, test at or after
  // Outer cross-validation (YAML `test_fold: K/N`, or `vigil train --test-fold K/N`): with
  // folds > 0, each stratum's shuffled patients are cut into `folds` equal parts and part
  // `test_fold` (1-based) is the test set, in place of test_fraction. The parts of one seed
  // partition the patients, so N runs with K = 1..N test every patient exactly once.
  int folds = 0;
  int test_fold = 0;
};

// Parses "K/N" (1 <= K <= N, 2 <= N <= 100) into spec.test_fold and spec.folds; InvalidArgument
// also when one part of N and spec.validation_fraction would leave no patient to train on.
base::Status SetTestFold(std::string_view k_of_n, SplitSpec& spec);

// How a model for the task is judged (docs/tasks.md, "Evaluation"): the rule that picks its
// operating threshold, the challenge scores that apply, and the baseline scores it is compared
// with on the same rows.
enum class ThresholdRuleKind {
  kTargetSensitivity,  // the highest threshold reaching `target` sensitivity
  kTargetAlertRate,    // the lowest threshold whose alert rate stays at or below `target`
  kFixed,              // `target` is the probability
  kMaxUtility,         // the PhysioNet 2019 utility (challenge: physionet2019) per row
  kMaxEvent1,          // the PhysioNet 2012 Event 1: min(sensitivity, PPV)
};

enum class Challenge { kNone, kPhysioNet2012, kPhysioNet2019 };

struct EvaluationSpec {
  ThresholdRuleKind threshold = ThresholdRuleKind::kTargetSensitivity;
  double target = 0.8;
  Challenge challenge = Challenge::kNone;
  // Score features (NEWS2, qSOFA, SIRS) and the stay reference scores a data set ships
  // ("reference:SAPS-I"). Empty: every score the features compute.
  std::vector<std::string> baselines;
};

struct TaskSpec {
  std::string name;
  std::string description;
  CohortSpec cohort;
  PredictionSpec prediction;
  LabelSpec label;
  FeatureSpec features;
  SplitSpec split;
  EvaluationSpec evaluation;
};

// Parses and validates a task file's text. `file_name` prefixes every error ("FILE:LINE:COL: ...").
base::Result<TaskSpec> ParseTaskSpec(std::string_view yaml, std::string_view file_name);

// Does `code` match `pattern`? A pattern is a code, or ends in '*' (a prefix: "LOINC/*").
bool CodeMatches(std::string_view pattern, std::string_view code);

}  // namespace vigil::task

#endif  // VIGIL_TASK_SPEC_H_
