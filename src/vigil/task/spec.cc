#include "vigil/task/spec.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <set>

#include "vigil/base/text.h"
#include "vigil/store/records.h"
#include "vigil/task/yaml_reader.h"

namespace vigil::task {
namespace {

using base::Result;
using base::Status;

// The vital signs whose measurement makes a prediction time when a task names none (NEWS2's
// inputs: heart rate, respiratory rate, SpO2, temperature, systolic pressure; BRIEF codes).
const std::vector<std::string> kDefaultVitalSignCodes = {
    "LOINC/8867-4", "LOINC/9279-1", "LOINC/59408-5", "LOINC/8310-5", "LOINC/8480-6"};

constexpr std::array<std::string_view, 5> kDemographics = {"age", "sex", "height", "weight",
                                                           "time_in_hospital"};
constexpr std::array<std::string_view, 3> kScores = {"NEWS2", "qSOFA", "SIRS"};

bool IsTaskName(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

bool IsCodeOrPattern(std::string_view s) {
  const size_t slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  const size_t star = s.find('*');
  return star == std::string_view::npos || star == s.size() - 1;
}

class SpecParser {
 public:
  explicit SpecParser(std::string file) : r_(std::move(file)) {}

  Result<TaskSpec> Parse(const YAML::Node& root) {
    TaskSpec spec;
    VIGIL_RETURN_IF_ERROR(r_.CheckMap(root, "task",
                                      {"name", "description", "cohort", "prediction", "label",
                                       "features", "split", "evaluation"}));
    for (std::string_view key : {"name", "prediction", "label", "features"}) {
      if (!root[std::string(key)]) {
        return r_.Error(root, "task", fmt::format("the required key '{}' is missing", key));
      }
    }
    VIGIL_ASSIGN_OR_RETURN(spec.name, r_.String(root["name"], "name"));
    if (!IsTaskName(spec.name)) {
      return r_.Error(root["name"], "name", "use lower-case letters, digits, '-', '_' and '.'");
    }
    if (root["description"]) {
      VIGIL_ASSIGN_OR_RETURN(spec.description, r_.String(root["description"], "description"));
    }
    if (root["cohort"]) VIGIL_RETURN_IF_ERROR(Cohort(root["cohort"], spec.cohort));
    VIGIL_RETURN_IF_ERROR(Prediction(root["prediction"], spec.prediction));
    VIGIL_RETURN_IF_ERROR(Label(root["label"], spec.label));
    VIGIL_RETURN_IF_ERROR(Features(root["features"], spec.label, spec.features));
    if (root["split"]) VIGIL_RETURN_IF_ERROR(Split(root["split"], spec.split));
    if (root["evaluation"]) {
      VIGIL_RETURN_IF_ERROR(Evaluation(root["evaluation"], spec.features, spec.evaluation));
    }
    return spec;
  }

 private:
  // A list whose every item is one of `known` (the stay kinds or sources the readers write): a
  // misspelt one would select no stay at all.
  template <size_t N>
  Status OneOf(const YAML::Node& n, std::string_view path, std::string_view what,
               const std::array<std::string_view, N>& known, std::vector<std::string>& out) {
    VIGIL_ASSIGN_OR_RETURN(out, r_.StringList(n, path));
    for (const std::string& k : out) {
      if (std::find(known.begin(), known.end(), k) == known.end()) {
        return r_.Error(
            n, path, fmt::format("unknown {} '{}' (known: {})", what, k, fmt::join(known, ", ")));
      }
    }
    return Status::Ok();
  }
  Status StayKinds(const YAML::Node& n, std::string_view path, std::vector<std::string>& out) {
    return OneOf(n, path, "stay kind", store::kStayKinds, out);
  }

  Status Codes(const YAML::Node& n, std::string_view path, std::vector<std::string>& out) {
    VIGIL_ASSIGN_OR_RETURN(out, r_.StringList(n, path));
    for (const std::string& c : out) {
      if (!IsCodeOrPattern(c)) {
        return r_.Error(
            n, path,
            fmt::format("'{}' is not a code (VOCABULARY/CODE, or a prefix ending in *)", c));
      }
    }
    return Status::Ok();
  }

  Status Cohort(const YAML::Node& n, CohortSpec& c) {
    VIGIL_RETURN_IF_ERROR(r_.CheckMap(n, "cohort",
                                      {"kinds", "sources", "min_length", "min_age", "max_age",
                                       "exclude_prior_outcome", "exclude_codes"}));
    if (n["kinds"]) VIGIL_RETURN_IF_ERROR(StayKinds(n["kinds"], "cohort.kinds", c.kinds));
    if (n["sources"]) {
      VIGIL_RETURN_IF_ERROR(
          OneOf(n["sources"], "cohort.sources", "source", store::kSources, c.sources));
    }
    if (n["min_length"]) {
      VIGIL_ASSIGN_OR_RETURN(c.min_length, r_.Duration(n["min_length"], "cohort.min_length"));
    }
    if (n["min_age"]) {
      VIGIL_ASSIGN_OR_RETURN(c.min_age, r_.Number(n["min_age"], "cohort.min_age"));
      if (*c.min_age < 0) return r_.Error(n["min_age"], "cohort.min_age", "must not be negative");
    }
    if (n["max_age"]) {
      VIGIL_ASSIGN_OR_RETURN(c.max_age, r_.Number(n["max_age"], "cohort.max_age"));
    }
    if (c.min_age && c.max_age && *c.min_age > *c.max_age) {
      return r_.Error(n["max_age"], "cohort.max_age", "is below cohort.min_age");
    }
    if (n["exclude_prior_outcome"]) {
      VIGIL_ASSIGN_OR_RETURN(c.exclude_prior_outcome,
                             r_.Bool(n["exclude_prior_outcome"], "cohort.exclude_prior_outcome"));
    }
    if (n["exclude_codes"]) {
      VIGIL_RETURN_IF_ERROR(Codes(n["exclude_codes"], "cohort.exclude_codes", c.exclude_codes));
    }
    return Status::Ok();
  }

  Status Prediction(const YAML::Node& n, PredictionSpec& p) {
    VIGIL_RETURN_IF_ERROR(r_.CheckMap(n, "prediction", {"at", "offset", "every", "codes"}));
    if (!n["at"]) return r_.Error(n, "prediction", "the required key 'at' is missing");
    VIGIL_ASSIGN_OR_RETURN(std::string at, r_.String(n["at"], "prediction.at"));
    if (at == "offset") {
      p.mode = PredictionMode::kOffset;
    } else if (at == "every") {
      p.mode = PredictionMode::kEvery;
    } else if (at == "vital_signs") {
      p.mode = PredictionMode::kVitalSigns;
    } else if (at == "discharge") {
      p.mode = PredictionMode::kDischarge;
    } else {
      return r_.Error(n["at"], "prediction.at", "expected offset, every, vital_signs or discharge");
    }
    if (p.mode == PredictionMode::kOffset && !n["offset"]) {
      return r_.Error(n, "prediction", "'at: offset' needs 'offset' (e.g. 48h)");
    }
    if (p.mode == PredictionMode::kEvery && !n["every"]) {
      return r_.Error(n, "prediction", "'at: every' needs 'every' (e.g. 1h)");
    }
    const bool offset_used = p.mode == PredictionMode::kOffset || p.mode == PredictionMode::kEvery;
    if (n["offset"] && !offset_used) {
      return r_.Error(n["offset"], "prediction.offset",
                      "is used only with 'at: offset' or 'every'");
    }
    if (n["every"] && p.mode != PredictionMode::kEvery) {
      return r_.Error(n["every"], "prediction.every", "is used only with 'at: every'");
    }
    if (n["codes"] && p.mode != PredictionMode::kVitalSigns) {
      return r_.Error(n["codes"], "prediction.codes", "is used only with 'at: vital_signs'");
    }
    if (n["offset"]) {
      VIGIL_ASSIGN_OR_RETURN(p.offset, r_.Duration(n["offset"], "prediction.offset"));
    }
    if (n["every"]) {
      VIGIL_ASSIGN_OR_RETURN(p.every, r_.Duration(n["every"], "prediction.every"));
      if (p.every <= base::Duration(0)) {
        return r_.Error(n["every"], "prediction.every", "must be longer than 0");
      }
      if (!n["offset"]) p.offset = p.every;
    }
    if (p.mode == PredictionMode::kVitalSigns) {
      p.codes = kDefaultVitalSignCodes;
      if (n["codes"]) VIGIL_RETURN_IF_ERROR(Codes(n["codes"], "prediction.codes", p.codes));
      if (p.codes.empty()) return r_.Error(n["codes"], "prediction.codes", "is empty");
    }
    return Status::Ok();
  }

  Status Label(const YAML::Node& n, LabelSpec& l) {
    VIGIL_RETURN_IF_ERROR(
        r_.CheckMap(n, "label", {"codes", "stay_kinds", "horizon", "prior_outcome"}));
    if (n["codes"]) VIGIL_RETURN_IF_ERROR(Codes(n["codes"], "label.codes", l.codes));
    if (n["stay_kinds"]) {
      VIGIL_RETURN_IF_ERROR(StayKinds(n["stay_kinds"], "label.stay_kinds", l.stay_kinds));
    }
    if (l.codes.empty() && l.stay_kinds.empty()) {
      return r_.Error(n, "label", "name the outcome: 'codes' (events) or 'stay_kinds' (new stays)");
    }
    if (!n["horizon"]) {
      return r_.Error(n, "label", "the required key 'horizon' is missing (e.g. 24h, or stay_end)");
    }
    VIGIL_ASSIGN_OR_RETURN(std::string horizon, r_.String(n["horizon"], "label.horizon"));
    if (horizon != "stay_end") {
      VIGIL_ASSIGN_OR_RETURN(l.horizon, r_.Duration(n["horizon"], "label.horizon"));
      if (*l.horizon <= base::Duration(0)) {
        return r_.Error(n["horizon"], "label.horizon", "must be longer than 0");
      }
    }
    if (n["prior_outcome"]) {
      VIGIL_ASSIGN_OR_RETURN(std::string prior,
                             r_.String(n["prior_outcome"], "label.prior_outcome"));
      if (prior == "positive") {
        l.prior_outcome = PriorOutcome::kPositive;
      } else if (prior == "exclude") {
        l.prior_outcome = PriorOutcome::kExclude;
      } else if (prior == "ignore") {
        l.prior_outcome = PriorOutcome::kIgnore;
      } else {
        return r_.Error(n["prior_outcome"], "label.prior_outcome",
                        "expected positive, exclude or ignore");
      }
    }
    return Status::Ok();
  }

  Result<std::vector<Stat>> Stats(const YAML::Node& n, std::string_view path) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> names, r_.StringList(n, path));
    std::vector<Stat> out;
    for (const std::string& name : names) {
      const std::optional<Stat> stat = StatFromName(name);
      if (!stat) {
        return r_.Error(n, path,
                        fmt::format("unknown statistic '{}' (known: {})", name, StatNames()));
      }
      const Stat s = *stat;
      if (std::find(out.begin(), out.end(), s) != out.end()) {
        return r_.Error(n, path, fmt::format("'{}' appears twice", name));
      }
      out.push_back(s);
    }
    return out;
  }

  Status Variables(const YAML::Node& list, const LabelSpec& label, FeatureSpec& f) {
    if (!list.IsSequence()) return r_.Error(list, "features.variables", "expected a list");
    std::set<std::string> seen;
    for (const auto& g : list) {
      VIGIL_RETURN_IF_ERROR(r_.CheckMap(g, "features.variables",
                                        {"codes", "stats", "windows", "window_stats", "lookback"}));
      VariableGroup group;
      if (!g["codes"]) return r_.Error(g, "features.variables", "each group needs 'codes'");
      VIGIL_RETURN_IF_ERROR(Codes(g["codes"], "features.variables.codes", group.codes));
      for (const std::string& c : group.codes) {
        if (!seen.insert(c).second) {
          return r_.Error(g["codes"], "features.variables.codes",
                          fmt::format("{} is listed twice", c));
        }
        for (const std::string& outcome : label.codes) {
          if (CodeMatches(c, outcome) && c.back() != '*') {
            return r_.Error(g["codes"], "features.variables.codes",
                            fmt::format("{} is the label's outcome: a feature from it would leak "
                                        "the label",
                                        c));
          }
        }
      }
      if (g["stats"]) {
        VIGIL_ASSIGN_OR_RETURN(group.stats, Stats(g["stats"], "features.stats"));
      }
      if (g["window_stats"]) {
        VIGIL_ASSIGN_OR_RETURN(group.window_stats,
                               Stats(g["window_stats"], "features.window_stats"));
      }
      if (g["windows"]) {
        if (!g["windows"].IsSequence()) {
          return r_.Error(g["windows"], "features.windows", "expected a list of durations");
        }
        for (const auto& w : g["windows"]) {
          VIGIL_ASSIGN_OR_RETURN(base::Duration d, r_.Duration(w, "features.windows"));
          if (d <= base::Duration(0)) return r_.Error(w, "features.windows", "must be > 0");
          if (std::find(group.windows.begin(), group.windows.end(), d) != group.windows.end()) {
            return r_.Error(w, "features.windows", "the same window appears twice");
          }
          group.windows.push_back(d);
        }
      }
      if (g["lookback"]) {
        VIGIL_ASSIGN_OR_RETURN(std::string lb,
                               r_.String(g["lookback"], "features.variables.lookback"));
        if (lb == "stay") {
          group.lookback = GroupLookback::kStay;
        } else if (lb == "all") {
          group.lookback = GroupLookback::kAll;
        } else {
          group.lookback = GroupLookback::kDuration;
          VIGIL_ASSIGN_OR_RETURN(group.lookback_duration,
                                 r_.Duration(g["lookback"], "features.variables.lookback"));
          if (group.lookback_duration <= base::Duration(0)) {
            return r_.Error(g["lookback"], "features.variables.lookback",
                            "must be longer than 0 (or stay, or all)");
          }
        }
      }
      if (group.windows.empty() != group.window_stats.empty()) {
        return r_.Error(g, "features.variables",
                        "'windows' and 'window_stats' go together: give both or neither");
      }
      if (group.stats.empty() && group.window_stats.empty()) {
        return r_.Error(g, "features.variables", "the group computes nothing: add 'stats'");
      }
      f.variables.push_back(std::move(group));
    }
    return Status::Ok();
  }

  template <size_t N>
  Status Names(const YAML::Node& n, std::string_view path,
               const std::array<std::string_view, N>& known, std::vector<std::string>& out) {
    VIGIL_ASSIGN_OR_RETURN(out, r_.StringList(n, path));
    for (const std::string& s : out) {
      if (std::find(known.begin(), known.end(), s) == known.end()) {
        std::string list;
        for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        return r_.Error(n, path, fmt::format("unknown name '{}' (known: {})", s, list));
      }
    }
    return Status::Ok();
  }

  Status Features(const YAML::Node& n, const LabelSpec& label, FeatureSpec& f) {
    VIGIL_RETURN_IF_ERROR(r_.CheckMap(n, "features",
                                      {"lookback", "variables", "time_in_stay", "demographics",
                                       "units", "scores", "score_lookback"}));
    if (n["lookback"]) {
      VIGIL_ASSIGN_OR_RETURN(std::string lb, r_.String(n["lookback"], "features.lookback"));
      if (lb != "stay") {
        VIGIL_ASSIGN_OR_RETURN(f.lookback, r_.Duration(n["lookback"], "features.lookback"));
        if (*f.lookback <= base::Duration(0)) {
          return r_.Error(n["lookback"], "features.lookback", "must be longer than 0");
        }
      }
    }
    if (n["variables"]) VIGIL_RETURN_IF_ERROR(Variables(n["variables"], label, f));
    if (n["time_in_stay"]) {
      VIGIL_ASSIGN_OR_RETURN(f.time_in_stay, r_.Bool(n["time_in_stay"], "features.time_in_stay"));
    }
    if (n["demographics"]) {
      VIGIL_RETURN_IF_ERROR(
          Names(n["demographics"], "features.demographics", kDemographics, f.demographics));
    }
    if (n["units"]) {
      if (!n["units"].IsSequence()) {
        return r_.Error(n["units"], "features.units", "expected a list of care unit names");
      }
      for (const auto& u : n["units"]) {
        VIGIL_ASSIGN_OR_RETURN(std::string unit, r_.String(u, "features.units"));
        if (unit.empty() || std::find(f.units.begin(), f.units.end(), unit) != f.units.end()) {
          return r_.Error(u, "features.units", "a unit name must be non-empty and listed once");
        }
        f.units.push_back(std::move(unit));
      }
    }
    if (n["scores"])
      VIGIL_RETURN_IF_ERROR(Names(n["scores"], "features.scores", kScores, f.scores));
    if (n["score_lookback"]) {
      VIGIL_ASSIGN_OR_RETURN(f.score_lookback,
                             r_.Duration(n["score_lookback"], "features.score_lookback"));
    }
    return Status::Ok();
  }

  Status Fraction(const YAML::Node& n, std::string_view path, double& out) {
    VIGIL_ASSIGN_OR_RETURN(out, r_.Number(n, path));
    if (!(out >= 0 && out < 1)) return r_.Error(n, path, "must be at least 0 and below 1");
    return Status::Ok();
  }

  Status Split(const YAML::Node& n, SplitSpec& s) {
    VIGIL_RETURN_IF_ERROR(r_.CheckMap(
        n, "split",
        {"method", "test_fraction", "validation_fraction", "seed", "cutoff", "test_fold"}));
    if (n["method"]) {
      VIGIL_ASSIGN_OR_RETURN(std::string m, r_.String(n["method"], "split.method"));
      if (m == "stratified") {
        s.method = SplitMethod::kStratified;
      } else if (m == "temporal") {
        s.method = SplitMethod::kTemporal;
      } else {
        return r_.Error(n["method"], "split.method", "expected stratified or temporal");
      }
    }
    if (n["test_fraction"]) {
      VIGIL_RETURN_IF_ERROR(Fraction(n["test_fraction"], "split.test_fraction", s.test_fraction));
    }
    if (n["validation_fraction"]) {
      VIGIL_RETURN_IF_ERROR(
          Fraction(n["validation_fraction"], "split.validation_fraction", s.validation_fraction));
    }
    if (s.test_fraction + s.validation_fraction >= 1) {
      return r_.Error(n, "split", "test_fraction + validation_fraction must stay below 1");
    }
    if (n["seed"]) {
      VIGIL_ASSIGN_OR_RETURN(std::string seed, r_.String(n["seed"], "split.seed"));
      auto v = base::ParseInt64(seed);
      if (!v || *v < 0) return r_.Error(n["seed"], "split.seed", "expected a whole number >= 0");
      s.seed = static_cast<uint64_t>(*v);
    }
    if (n["cutoff"]) {
      VIGIL_ASSIGN_OR_RETURN(std::string cutoff, r_.String(n["cutoff"], "split.cutoff"));
      auto t = base::ParseIso8601(cutoff);
      if (!t.ok()) return r_.Error(n["cutoff"], "split.cutoff", t.status().message());
      s.cutoff = t->instant;
    }
    if (s.method == SplitMethod::kTemporal && !s.cutoff) {
      return r_.Error(n, "split", "'method: temporal' needs 'cutoff' (e.g. 2021-01-01)");
    }
    if (s.method == SplitMethod::kStratified && s.cutoff) {
      return r_.Error(n["cutoff"], "split.cutoff", "is used only with 'method: temporal'");
    }
    if (n["test_fold"]) {
      VIGIL_ASSIGN_OR_RETURN(std::string fold, r_.String(n["test_fold"], "split.test_fold"));
      if (Status st = SetTestFold(fold, s); !st.ok()) {
        return r_.Error(n["test_fold"], "split.test_fold", st.message());
      }
      if (n["test_fraction"]) {
        return r_.Error(n["test_fold"], "split.test_fold",
                        "give test_fold or test_fraction, not both");
      }
      if (s.method != SplitMethod::kStratified) {
        return r_.Error(n["test_fold"], "split.test_fold",
                        "is used only with 'method: stratified'");
      }
    }
    return Status::Ok();
  }

  Status Evaluation(const YAML::Node& n, const FeatureSpec& f, EvaluationSpec& e) {
    VIGIL_RETURN_IF_ERROR(
        r_.CheckMap(n, "evaluation", {"threshold", "target", "challenge", "baselines"}));
    if (n["challenge"]) {
      VIGIL_ASSIGN_OR_RETURN(std::string c, r_.String(n["challenge"], "evaluation.challenge"));
      if (c == "physionet2012") {
        e.challenge = Challenge::kPhysioNet2012;
      } else if (c == "physionet2019") {
        e.challenge = Challenge::kPhysioNet2019;
      } else if (c == "none") {
        e.challenge = Challenge::kNone;
      } else {
        return r_.Error(n["challenge"], "evaluation.challenge",
                        "expected physionet2012, physionet2019 or none");
      }
    }
    if (n["threshold"]) {
      VIGIL_ASSIGN_OR_RETURN(std::string t, r_.String(n["threshold"], "evaluation.threshold"));
      if (t == "target_sensitivity") {
        e.threshold = ThresholdRuleKind::kTargetSensitivity;
      } else if (t == "target_alert_rate") {
        e.threshold = ThresholdRuleKind::kTargetAlertRate;
      } else if (t == "fixed") {
        e.threshold = ThresholdRuleKind::kFixed;
      } else if (t == "max_utility") {
        e.threshold = ThresholdRuleKind::kMaxUtility;
      } else if (t == "max_event1") {
        e.threshold = ThresholdRuleKind::kMaxEvent1;
      } else {
        return r_.Error(n["threshold"], "evaluation.threshold",
                        "expected target_sensitivity, target_alert_rate, fixed, max_utility or "
                        "max_event1");
      }
      if (e.threshold == ThresholdRuleKind::kMaxUtility &&
          e.challenge != Challenge::kPhysioNet2019) {
        return r_.Error(n["threshold"], "evaluation.threshold",
                        "max_utility is the PhysioNet 2019 utility: it needs 'challenge: "
                        "physionet2019'");
      }
    }
    const bool needs_target = e.threshold == ThresholdRuleKind::kTargetSensitivity ||
                              e.threshold == ThresholdRuleKind::kTargetAlertRate ||
                              e.threshold == ThresholdRuleKind::kFixed;
    if (n["target"]) {
      if (!needs_target) {
        return r_.Error(n["target"], "evaluation.target",
                        "is used only with target_sensitivity, target_alert_rate or fixed");
      }
      VIGIL_ASSIGN_OR_RETURN(e.target, r_.Number(n["target"], "evaluation.target"));
      if (!(e.target > 0 && e.target < 1)) {
        return r_.Error(n["target"], "evaluation.target", "must lie strictly between 0 and 1");
      }
    }
    if (n["baselines"]) {
      VIGIL_ASSIGN_OR_RETURN(e.baselines, r_.StringList(n["baselines"], "evaluation.baselines"));
      for (const std::string& b : e.baselines) {
        if (b.starts_with("reference:") && b.size() > 10) continue;
        if (std::find(f.scores.begin(), f.scores.end(), b) == f.scores.end()) {
          return r_.Error(n["baselines"], "evaluation.baselines",
                          fmt::format("'{}' is neither a score in features.scores nor "
                                      "'reference:NAME' (a stay reference score)",
                                      b));
        }
      }
    }
    return Status::Ok();
  }

  YamlReader r_;
};

}  // namespace

Result<TaskSpec> ParseTaskSpec(std::string_view yaml, std::string_view file_name) {
  YamlReader reader{std::string(file_name)};
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    if (!root || root.IsNull()) return reader.ErrorAt(YAML::Mark::null_mark(), "the file is empty");
    return SpecParser(std::string(file_name)).Parse(root);
  } catch (const YAML::Exception& e) {
    return reader.ErrorAt(e.mark, e.msg);
  }
}

base::Status SetTestFold(std::string_view k_of_n, SplitSpec& spec) {
  const size_t slash = k_of_n.find('/');
  const auto k = base::ParseInt64(k_of_n.substr(0, slash));
  const auto n =
      slash == std::string_view::npos ? std::nullopt : base::ParseInt64(k_of_n.substr(slash + 1));
  if (!k || !n || *n < 2 || *n > 100 || *k < 1 || *k > *n) {
    return base::InvalidArgumentError(
        "expected K/N: test on part K of N (2 <= N <= 100, 1 <= K <= N), e.g. 2/5");
  }
  if (1.0 / static_cast<double>(*n) + spec.validation_fraction >= 1) {
    return base::InvalidArgumentError(
        "one part of N plus validation_fraction must stay below 1: use more parts");
  }
  spec.folds = static_cast<int>(*n);
  spec.test_fold = static_cast<int>(*k);
  spec.test_fraction = 1.0 / static_cast<double>(*n);
  return base::Status::Ok();
}

}  // namespace vigil::task
