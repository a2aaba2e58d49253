#include "vigil/workflow/workflow.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include "vigil/base/file.h"
#include "vigil/base/hash.h"
#include "vigil/base/json_integer.h"
#include "vigil/base/time.h"
#include "vigil/base/version.h"
#include "vigil/evaluate/challenge.h"
#include "vigil/evaluate/json.h"
#include "vigil/explain/explain.h"
#include "vigil/features/display_name.h"
#include "vigil/features/export.h"
#include "vigil/model/calibration.h"
#include "vigil/model/fingerprint.h"
#include "vigil/model/xgboost.h"
#include "vigil/store/scan.h"
#include "vigil/task/split.h"
#include "vigil/terminology/display.h"

namespace vigil::workflow {
namespace {

using base::Result;
using base::Status;
using features::FeatureMatrix;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void Say(const ProgressFn& progress, const std::string& line) {
  if (progress) progress(line);
}

// The rows of `m` for which keep[i] is true (the same columns).
FeatureMatrix SelectRows(const FeatureMatrix& m, const std::vector<uint8_t>& keep) {
  FeatureMatrix out;
  out.names = m.names;
  const size_t cols = m.num_cols();
  size_t n = 0;
  for (uint8_t k : keep) n += k;
  out.rows.reserve(n);
  out.labels.reserve(n);
  out.values.reserve(n * cols);
  for (size_t i = 0; i < m.num_rows(); ++i) {
    if (!keep[i]) continue;
    out.rows.push_back(m.rows[i]);
    out.labels.push_back(m.labels[i]);
    out.values.insert(out.values.end(), m.row(i), m.row(i) + cols);
  }
  return out;
}

size_t CountSubjects(const FeatureMatrix& m) {
  std::unordered_set<std::string_view> s;
  for (const auto& r : m.rows) s.insert(r.subject_id);
  return s.size();
}

// ---- Training patients: salted digests (so a model folder never lists identifiers) ----------

std::string PatientDigest(std::string_view salt, std::string_view identity) {
  std::string text(salt);
  text.push_back('\x1f');
  text.append(identity);
  return base::Sha256Hex(text).substr(0, 24);
}

using Subjects = std::unordered_map<std::string, store::Subject>;

// Who a patient is, for telling training patients apart: the source's identifier with the birth
// date and sex the store holds for it. Another hospital's patient who happens to share an
// identifier (sequential numbers, p1, p2, ...) is someone else; the same records ingested again
// into another store are the same people.
std::string PatientIdentity(const std::string& subject_id, const Subjects& subjects) {
  std::string identity = subject_id;
  const auto it = subjects.find(subject_id);
  identity.push_back('\x1f');
  if (it != subjects.end() && it->second.birth_date) {
    identity += std::to_string(*it->second.birth_date);
  }
  identity.push_back('\x1f');
  if (it != subjects.end() && it->second.sex) identity += *it->second.sex;
  return identity;
}

nlohmann::ordered_json TrainingPatientsJson(const FeatureMatrix& train, uint64_t seed,
                                            const Subjects& subjects) {
  std::random_device device;
  std::mt19937_64 rng((static_cast<uint64_t>(device()) << 32) ^ device() ^ seed);
  const std::string salt = fmt::format("{:016x}{:016x}", rng(), rng());
  std::vector<std::string> digests;
  std::unordered_set<std::string_view> seen;
  for (const auto& r : train.rows) {
    if (seen.insert(r.subject_id).second) {
      digests.push_back(PatientDigest(salt, PatientIdentity(r.subject_id, subjects)));
    }
  }
  std::sort(digests.begin(), digests.end());
  return {{"about",
           "Salted SHA-256 digests (first 96 bits) of the patients the model was fitted on, each "
           "the patient's identifier, birth date (days since 1970-01-01) and sex joined by "
           "U+001F; evaluation leaves these patients out."},
          {"identity", "subject_id, birth_date, sex"},
          {"salt", salt},
          {"patients", digests.size()},
          {"digests", digests}};
}

struct TrainingPatients {
  std::string salt;
  std::unordered_set<std::string> digests;
  bool known = false;
  bool by_identifier_only = false;  // written before birth date and sex were part of it
  bool Contains(const std::string& subject_id, const Subjects& subjects) const {
    if (!known) return false;
    return digests.count(PatientDigest(
               salt, by_identifier_only ? subject_id : PatientIdentity(subject_id, subjects))) > 0;
  }
};

Result<TrainingPatients> ReadTrainingPatients(const nlohmann::ordered_json& j) {
  TrainingPatients t;
  if (j.is_null()) return t;
  try {
    t.salt = j.at("salt").get<std::string>();
    for (const auto& d : j.at("digests")) t.digests.insert(d.get<std::string>());
    t.by_identifier_only = !j.contains("identity");
    t.known = true;
  } catch (const nlohmann::json::exception&) {
    return base::DataLossError("training_patients.json is malformed");
  }
  return t;
}

// ---- Threshold rule from the task -----------------------------------------------------------

// Rows of one stay in time order, as indices into `m` (which is sorted by subject, then time).
std::vector<std::vector<size_t>> StayRuns(const FeatureMatrix& m) {
  std::vector<std::vector<size_t>> runs;
  std::unordered_map<std::string_view, size_t> index;
  for (size_t i = 0; i < m.num_rows(); ++i) {
    auto [it, inserted] = index.try_emplace(m.rows[i].stay_id, runs.size());
    if (inserted) runs.emplace_back();
    runs[it->second].push_back(i);
  }
  for (auto& run : runs) {
    std::stable_sort(run.begin(), run.end(),
                     [&](size_t a, size_t b) { return m.rows[a].time < m.rows[b].time; });
  }
  return runs;
}

Result<model::ThresholdRule> RuleFor(const task::EvaluationSpec& e, const FeatureMatrix& m) {
  model::ThresholdRule rule;
  rule.target = e.target;
  switch (e.threshold) {
    case task::ThresholdRuleKind::kTargetSensitivity:
      rule.kind = model::ThresholdRule::Kind::kTargetSensitivity;
      break;
    case task::ThresholdRuleKind::kTargetAlertRate:
      rule.kind = model::ThresholdRule::Kind::kTargetAlertRate;
      break;
    case task::ThresholdRuleKind::kFixed:
      rule.kind = model::ThresholdRule::Kind::kFixed;
      break;
    case task::ThresholdRuleKind::kMaxEvent1:
      rule.kind = model::ThresholdRule::Kind::kMaxEvent1;
      break;
    case task::ThresholdRuleKind::kMaxUtility: {
      // The PhysioNet 2019 utility of each row, from its stay's hourly labels.
      rule.kind = model::ThresholdRule::Kind::kMaxUtility;
      rule.row_utility.assign(m.num_rows(), model::RowUtility{});
      for (const auto& run : StayRuns(m)) {
        std::vector<uint8_t> labels;
        labels.reserve(run.size());
        for (size_t i : run) labels.push_back(m.labels[i] > 0.5f ? 1 : 0);
        VIGIL_ASSIGN_OR_RETURN(auto hours, evaluate::HourUtilities(labels));
        for (size_t k = 0; k < run.size(); ++k) {
          rule.row_utility[run[k]] = {hours[k].if_alert, hours[k].if_no_alert};
        }
      }
      break;
    }
  }
  return rule;
}

// ---- Evaluation input: subgroup attributes and baselines ------------------------------------

struct StoreContext {
  std::unordered_map<std::string, store::Subject> subjects;
  std::unordered_map<std::string, store::Stay> stays;
  // stay_id -> name -> value
  std::unordered_map<std::string, std::map<std::string, double>> reference_scores;
};

Result<StoreContext> ReadContext(store::Store& store) {
  StoreContext c;
  VIGIL_ASSIGN_OR_RETURN(auto subjects, store.ListSubjects());
  for (auto& s : subjects) c.subjects.emplace(s.subject.subject_id, std::move(s.subject));
  VIGIL_ASSIGN_OR_RETURN(auto stays, store.ListStays());
  for (auto& s : stays) c.stays.emplace(s.stay.stay_id, std::move(s.stay));
  VIGIL_ASSIGN_OR_RETURN(auto rows,
                         store.QueryText("SELECT stay_id, name, value FROM reference_scores"));
  for (const auto& r : rows) {
    if (r.size() < 3) continue;
    char* end = nullptr;
    const double v = std::strtod(r[2].c_str(), &end);
    if (end != r[2].c_str()) c.reference_scores[r[0]][r[1]] = v;
  }
  return c;
}

double AgeAt(const StoreContext& c, const features::RowKey& key) {
  auto stay = c.stays.find(key.stay_id);
  if (stay != c.stays.end() && stay->second.age_years) return *stay->second.age_years;
  auto subject = c.subjects.find(key.subject_id);
  if (subject != c.subjects.end() && subject->second.birth_date) {
    const double days = static_cast<double>(base::ToMicros(key.time)) / 86400e6 -
                        static_cast<double>(*subject->second.birth_date);
    return days / 365.2425;
  }
  return std::nan("");
}

std::string Lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

void AddAttributes(const StoreContext& c, const FeatureMatrix& m, evaluate::EvalInput& in) {
  const size_t n = m.num_rows();
  evaluate::Attribute sex{"sex", {}}, age{"age band", {}}, race{"race", {}},
      ethnicity{"ethnicity", {}}, unit{"unit", {}};
  for (auto* a : {&sex, &age, &race, &ethnicity, &unit}) a->values.reserve(n);
  for (const auto& key : m.rows) {
    auto subject = c.subjects.find(key.subject_id);
    auto stay = c.stays.find(key.stay_id);
    const store::Subject* s = subject == c.subjects.end() ? nullptr : &subject->second;
    const store::Stay* st = stay == c.stays.end() ? nullptr : &stay->second;
    sex.values.push_back(s && s->sex ? Lower(*s->sex) : "");
    age.values.push_back(evaluate::AgeBand(AgeAt(c, key)));
    race.values.push_back(s && s->race ? *s->race : "");
    ethnicity.values.push_back(s && s->ethnicity ? *s->ethnicity : "");
    unit.values.push_back(st && st->unit ? *st->unit : "");
  }
  for (auto* a : {&sex, &age, &race, &ethnicity, &unit}) {
    const bool any = std::any_of(a->values.begin(), a->values.end(),
                                 [](const std::string& v) { return !v.empty() && v != "unknown"; });
    if (any) in.attributes.push_back(std::move(*a));
  }
}

double ScoreThreshold(std::string_view name, std::string* source) {
  if (name == "NEWS2") {
    *source = "NEWS2 >= 5: key threshold for urgent response (Royal College of Physicians, 2017)";
    return evaluate::kNews2AlertThreshold;
  }
  if (name == "qSOFA") {
    *source = "qSOFA >= 2 (Seymour et al., JAMA 2016; Sepsis-3)";
    return evaluate::kQsofaAlertThreshold;
  }
  if (name == "SIRS") {
    *source = "SIRS >= 2 criteria (Bone et al., Chest 1992)";
    return evaluate::kSirsAlertThreshold;
  }
  *source = "no alerting threshold";
  return evaluate::kNoThreshold;
}

Status AddBaselines(const task::TaskSpec& spec, const StoreContext& c, const FeatureMatrix& m,
                    evaluate::EvalInput& in) {
  std::vector<std::string> names = spec.evaluation.baselines;
  if (names.empty()) names = spec.features.scores;
  for (const std::string& name : names) {
    evaluate::BaselineScore b;
    if (name.starts_with("reference:")) {
      b.name = name.substr(10);
      b.threshold = evaluate::kNoThreshold;
      b.threshold_source = "reference score shipped with the data set; no alerting threshold";
      b.values.reserve(m.num_rows());
      bool any = false;
      for (const auto& key : m.rows) {
        double v = std::nan("");
        auto st = c.reference_scores.find(key.stay_id);
        if (st != c.reference_scores.end()) {
          auto it = st->second.find(b.name);
          if (it != st->second.end()) {
            v = it->second;
            any = true;
          }
        }
        b.values.push_back(v);
      }
      if (!any) continue;  // the store has no such reference score
    } else {
      const std::string column = "score." + name;
      auto it = std::find(m.names.begin(), m.names.end(), column);
      if (it == m.names.end()) {
        return base::InvalidArgumentError(
            fmt::format("baseline {} is not among the task's score features", name));
      }
      const size_t col = static_cast<size_t>(it - m.names.begin());
      b.name = name;
      b.threshold = ScoreThreshold(name, &b.threshold_source);
      b.values.reserve(m.num_rows());
      for (size_t i = 0; i < m.num_rows(); ++i) b.values.push_back(m.at(i, col));
    }
    in.baselines.push_back(std::move(b));
  }
  return Status::Ok();
}

evaluate::EvalOptions EvalOptionsFor(const task::TaskSpec& spec, int bootstrap, uint64_t seed,
                                     int threads) {
  evaluate::EvalOptions o;
  o.bootstrap_replicates = bootstrap;
  o.seed = seed;
  o.threads = threads;
  o.challenge.physionet2012 = spec.evaluation.challenge == task::Challenge::kPhysioNet2012;
  o.challenge.physionet2019 = spec.evaluation.challenge == task::Challenge::kPhysioNet2019;
  return o;
}

Result<evaluate::Evaluation> EvaluateRows(const model::TrainedModel& model,
                                          const task::TaskSpec& spec, const StoreContext& c,
                                          const FeatureMatrix& m, int bootstrap, uint64_t seed,
                                          int threads) {
  VIGIL_ASSIGN_OR_RETURN(model::Predictions p, model.Predict(m));
  evaluate::EvalInput in = evaluate::MakeEvalInput(m, std::move(p.probability), model.threshold());
  AddAttributes(c, m, in);
  VIGIL_RETURN_IF_ERROR(AddBaselines(spec, c, m, in));
  return evaluate::Evaluate(in, EvalOptionsFor(spec, bootstrap, seed, threads));
}

// At most `limit` rows, evenly spaced (deterministic).
FeatureMatrix SampleRows(const FeatureMatrix& m, size_t limit) {
  if (m.num_rows() <= limit) return m;
  std::vector<uint8_t> keep(m.num_rows(), 0);
  for (size_t k = 0; k < limit; ++k) keep[k * m.num_rows() / limit] = 1;
  return SelectRows(m, keep);
}

// Feature columns in words (features::FeatureDisplayName), codes named as the store names them:
// the model card, the report and the explanations of predictions.
Result<std::vector<std::string>> InWords(store::Store& store,
                                         const std::vector<std::string>& columns) {
  VIGIL_ASSIGN_OR_RETURN(auto displays, store.CodeDisplays());
  const terminology::CodeNames code_names(std::move(displays));
  std::vector<std::string> out;
  out.reserve(columns.size());
  for (const std::string& c : columns) out.push_back(features::FeatureDisplayName(c, code_names));
  return out;
}

Result<report::ShapSummary> ShapOf(const model::TrainedModel& model, const FeatureMatrix& m,
                                   store::Store& store) {
  const FeatureMatrix sample = SampleRows(m, 4000);
  VIGIL_ASSIGN_OR_RETURN(explain::Contributions c, explain::Explain(model, sample));
  report::ShapInput in;
  in.names = c.names;
  VIGIL_ASSIGN_OR_RETURN(in.display_names, InWords(store, c.names));
  in.contributions.reserve(c.rows * c.names.size());
  in.values.reserve(c.rows * c.names.size());
  for (size_t r = 0; r < c.rows; ++r) {
    for (size_t j = 0; j < c.names.size(); ++j) {
      in.contributions.push_back(c.at(r, j));
      in.values.push_back(sample.at(r, c.matrix_column[j]));
    }
  }
  return report::SummarizeShap(in);
}

std::string ModelType(const model::TrainedModel& model) {
  const std::string calibration(model::CalibrationMethodDisplay(model.calibrator().method()));
  switch (model.kind()) {
    case model::ModelKind::kXgboost:
      return fmt::format("Gradient-boosted trees (XGBoost {}), {} calibration",
                         model::xgb::LibraryVersion(), calibration);
    case model::ModelKind::kLogistic:
      return fmt::format("{}, {} calibration", model::kLogisticDescription, calibration);
    case model::ModelKind::kBlend:
      break;
  }
  return fmt::format(
      "Blend of gradient-boosted trees (XGBoost {}) and {}: log-odds {:.2f} x trees + {:.2f} x "
      "logistic, weight chosen by cross-validation; {} calibration",
      model::xgb::LibraryVersion(), model::kLogisticDescription, model.xgboost_weight(),
      1 - model.xgboost_weight(), calibration);
}

std::string ThresholdText(const model::TrainedModel& model) {
  using Kind = model::ThresholdRule::Kind;
  const auto& rule = model.threshold_rule();
  std::string why;
  switch (rule.kind) {
    case Kind::kFixed:
      why = "fixed by the task";
      break;
    case Kind::kTargetSensitivity:
      why =
          fmt::format("the highest threshold that catches {:.3g}% of outcomes (target sensitivity)",
                      100 * rule.target);
      break;
    case Kind::kTargetAlertRate:
      why = fmt::format(
          "the lowest threshold that alerts on at most {:.3g}% of predictions (target alert "
          "rate)",
          100 * rule.target);
      break;
    case Kind::kMaxUtility:
      why = "the threshold with the highest utility of its alerts";
      break;
    case Kind::kMaxEvent1:
      why =
          "the threshold with the highest minimum of sensitivity and PPV (PhysioNet 2012 "
          "Event 1)";
      break;
  }
  return fmt::format(
      "alert at a predicted risk of {:.4g}% or more: {}, chosen on the training "
      "patients' out-of-fold calibrated predictions (rule '{}')",
      100 * model.threshold(), why, model::ThresholdRuleName(rule.kind));
}

// The text with its first letter in upper case: a sentence of the model card.
std::string Capitalized(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

std::string PredictionText(const task::TaskSpec& spec) {
  using task::PredictionMode;
  std::string when;
  switch (spec.prediction.mode) {
    case PredictionMode::kOffset:
      when = fmt::format(
          "once per stay, {} h after its start",
          std::chrono::duration_cast<std::chrono::hours>(spec.prediction.offset).count());
      break;
    case PredictionMode::kEvery: {
      const auto minutes =
          std::chrono::duration_cast<std::chrono::minutes>(spec.prediction.every).count();
      when = minutes == 60       ? "every hour of a stay"
             : minutes % 60 == 0 ? fmt::format("every {} h of a stay", minutes / 60)
                                 : fmt::format("every {} min of a stay", minutes);
      break;
    }
    case PredictionMode::kVitalSigns:
      when = "at each set of vital signs";
      break;
    case PredictionMode::kDischarge:
      when = "at discharge";
      break;
  }
  if (spec.label.horizon) {
    when +=
        fmt::format("; outcome within {} h",
                    std::chrono::duration_cast<std::chrono::hours>(*spec.label.horizon).count());
  } else {
    when += "; outcome before the end of the stay";
  }
  return Capitalized(when) + ".";
}

std::string CohortText(const task::TaskSpec& spec, const task::CohortReport& r) {
  // "ICU stays", "ICU and inpatient stays", "All stays" (store kinds: docs/store.md).
  std::string kinds;
  const auto& ks = spec.cohort.kinds;
  for (size_t i = 0; i < ks.size(); ++i) {
    kinds += i == 0 ? "" : i + 1 == ks.size() ? " and " : ", ";
    kinds += ks[i] == "icu" ? "ICU" : ks[i];
  }
  std::string text = kinds.empty() ? "All stays" : Capitalized(kinds + " stays");
  if (spec.cohort.min_age)
    text += fmt::format(" of patients aged {} or more", *spec.cohort.min_age);
  text += fmt::format(": {} seen, {} included", r.stays_seen, r.stays_included);
  for (const auto& [reason, n] : r.stays_excluded)
    text += fmt::format("; {} excluded: {}", n, reason);
  return text + ".";
}

report::ModelCard CardFor(const model::StoredModel& stored, const task::TaskSpec& spec,
                          const task::CohortReport& cohort, const store::Store& store,
                          const RowAccount& rows) {
  report::ModelCard card;
  card.title = spec.description.empty() ? spec.name : spec.description;
  card.model_name = stored.name.empty() ? spec.name : stored.name;
  card.model_version = stored.version > 0 ? std::to_string(stored.version)
                                          : stored.metadata.fingerprint.sha256.substr(0, 12);
  card.model_type = ModelType(stored.model);
  card.intended_use = stored.metadata.intended_use;
  card.outcome = spec.description;
  card.prediction_time = PredictionText(spec);
  card.data = fmt::format("Store {} (task {}): {} prediction rows of {} patients evaluated.",
                          store.path().filename().string(), spec.name, rows.rows_evaluated,
                          rows.patients_evaluated);
  card.cohort = CohortText(spec, cohort);
  card.validation =
      rows.rows_training_patients > 0
          ? fmt::format(
                "Patients the model never saw: {} rows of the model's training patients "
                "were left out.",
                rows.rows_training_patients)
          : "No evaluated patient was among the model's training patients.";
  card.threshold_rule = ThresholdText(stored.model);
  card.limitations = stored.metadata.limitations;
  card.generated_at = base::FormatIso8601(
      std::chrono::time_point_cast<base::Duration>(std::chrono::system_clock::now()));
  card.software_version = std::string(base::Version());
  return card;
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  return out + "\"";
}

}  // namespace

// A model is fitted only when some feature tells the training rows apart: a task whose codes the
// store lacks gives columns that are all missing (or all equal), and a "model" of them is noise.
// Columns that carry nothing while others do are counted in a warning.
base::Status CheckSomeFeatureVaries(const FeatureMatrix& train) {
  const size_t cols = train.num_cols();
  std::vector<uint8_t> varies(cols, 0);
  std::vector<float> first(cols, std::numeric_limits<float>::quiet_NaN());
  for (size_t r = 0; r < train.num_rows(); ++r) {
    const float* row = train.row(r);
    for (size_t c = 0; c < cols; ++c) {
      const float v = row[c];
      if (varies[c] || std::isnan(v)) continue;
      if (std::isnan(first[c])) {
        first[c] = v;
      } else if (v != first[c]) {
        varies[c] = 1;
      }
    }
  }
  const auto varying = static_cast<size_t>(std::count(varies.begin(), varies.end(), 1));
  if (varying == 0) {
    return base::FailedPreconditionError(
        "no feature varies in the training rows: every one is missing or the same in each row. "
        "Check that the task's codes are in this store (vigil stats --codes 100)");
  }
  if (varying < cols) {
    std::string names;  // the first few, which are code names, not patient data
    size_t shown = 0;
    for (size_t c = 0; c < cols && shown < 5; ++c) {
      if (varies[c]) continue;
      names += (shown++ > 0 ? ", " : "") + train.names[c];
    }
    spdlog::warn("{} of the {} features are missing or the same in every training row ({}{})",
                 cols - varying, cols, names, cols - varying > shown ? ", ..." : "");
  }
  return base::Status::Ok();
}

Result<model::XgboostParams> ParseXgboostParams(std::string_view json_text) {
  auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded()) {
    return base::InvalidArgumentError(
        "hyperparameters: not valid JSON (or a number beyond the range of a double)");
  }
  if (!j.is_object()) return base::InvalidArgumentError("hyperparameters: expected a JSON object");
  if (j.contains("hyperparameters") && j.contains("model")) {  // a model folder's file
    // A blend's file names its XGBoost part's hyperparameters.
    if ((j["model"] != "xgboost" && j["model"] != "blend") || !j["hyperparameters"].is_object()) {
      return base::InvalidArgumentError(
          "hyperparameters: the file is not an XGBoost or blend model's hyperparameters.json");
    }
    j = nlohmann::json(j["hyperparameters"]);
  }
  model::XgboostParams p;
  std::string key_read;  // for errors
  try {
    for (const auto& [key, value] : j.items()) {
      key_read = key;
      if (key == "max_depth") {
        p.max_depth = base::IntegerValue<int>(value, key);
      } else if (key == "learning_rate" || key == "eta") {
        p.learning_rate = value.get<double>();
      } else if (key == "min_child_weight") {
        p.min_child_weight = value.get<double>();
      } else if (key == "subsample") {
        p.subsample = value.get<double>();
      } else if (key == "colsample_bytree") {
        p.colsample_bytree = value.get<double>();
      } else if (key == "reg_lambda" || key == "lambda") {
        p.reg_lambda = value.get<double>();
      } else if (key == "reg_alpha" || key == "alpha") {
        p.reg_alpha = value.get<double>();
      } else if (key == "max_bin") {
        p.max_bin = base::IntegerValue<int>(value, key);
      } else if (key == "class_weighting") {
        const auto weighting = model::ParseClassWeighting(value.get<std::string>());
        if (!weighting) {
          return base::InvalidArgumentError(
              "hyperparameters: class_weighting is \"balanced\" or \"none\"");
        }
        p.class_weighting = *weighting;
      } else {
        return base::InvalidArgumentError(fmt::format("hyperparameters: unknown key '{}'", key));
      }
    }
  } catch (const nlohmann::json::exception&) {
    return base::InvalidArgumentError(
        fmt::format("hyperparameters: '{}' has the wrong type (or is out of range)", key_read));
  }
  const auto out_of_range = [](std::string_view key, std::string_view range) {
    return base::InvalidArgumentError(fmt::format("hyperparameters: '{}' must be {}", key, range));
  };
  if (p.max_depth < 1 || p.max_depth > 20) return out_of_range("max_depth", "from 1 to 20");
  if (!(p.learning_rate > 0 && p.learning_rate <= 1)) {
    return out_of_range("learning_rate", "above 0 and at most 1");
  }
  if (!(p.subsample > 0 && p.subsample <= 1))
    return out_of_range("subsample", "above 0 and at most 1");
  if (!(p.colsample_bytree > 0 && p.colsample_bytree <= 1)) {
    return out_of_range("colsample_bytree", "above 0 and at most 1");
  }
  if (p.max_bin < 2) return out_of_range("max_bin", "at least 2");
  if (!(p.min_child_weight >= 0 && std::isfinite(p.min_child_weight))) {
    return out_of_range("min_child_weight", "a number of at least 0");
  }
  if (!(p.reg_lambda >= 0 && std::isfinite(p.reg_lambda))) {
    return out_of_range("reg_lambda", "a number of at least 0");
  }
  if (!(p.reg_alpha >= 0 && std::isfinite(p.reg_alpha))) {
    return out_of_range("reg_alpha", "a number of at least 0");
  }
  return p;
}

Result<TrainResult> TrainTask(store::Store& store, const task::TaskSpec& spec,
                              std::string_view task_yaml, const TrainRequest& request) {
  std::error_code ec;
  if (!request.out.empty() && std::filesystem::exists(request.out, ec)) {
    return base::AlreadyExistsError(
        fmt::format("{} exists: choose a new model folder", request.out.string()));
  }
  TrainResult result;
  result.dir = request.out;
  auto start = std::chrono::steady_clock::now();
  Say(request.progress, "features: extracting");
  features::ExtractOptions xo;
  xo.threads = request.threads;
  xo.progress = [&](const features::ExtractProgress& p) {
    Say(request.progress, fmt::format("features: {}/{} patients, {} rows", p.subjects_done,
                                      p.subjects_total, p.rows));
  };
  VIGIL_ASSIGN_OR_RETURN(features::Extraction x, features::ExtractFeatures(store, spec, xo));
  result.seconds_features = Seconds(start);
  if (x.matrix.num_rows() == 0) {
    return base::FailedPreconditionError(
        fmt::format("the task {} has no rows in this store (no stay fits its cohort)", spec.name));
  }
  VIGIL_ASSIGN_OR_RETURN(task::Split split, features::SplitMatrix(spec.split, x.matrix));
  std::vector<uint8_t> train_rows(x.matrix.num_rows()), test_rows(x.matrix.num_rows());
  for (size_t i = 0; i < x.matrix.num_rows(); ++i) {
    const task::SplitSide side = split.row_side[i];
    train_rows[i] = side == task::SplitSide::kTrain || side == task::SplitSide::kValidation;
    test_rows[i] = side == task::SplitSide::kTest;
    result.rows_dropped += side == task::SplitSide::kDropped;
  }
  FeatureMatrix train = SelectRows(x.matrix, train_rows);
  FeatureMatrix test = SelectRows(x.matrix, test_rows);
  x.matrix = FeatureMatrix{};  // free it
  result.rows_train = static_cast<int64_t>(train.num_rows());
  result.rows_test = static_cast<int64_t>(test.num_rows());
  result.patients_train = static_cast<int64_t>(CountSubjects(train));
  result.patients_test = static_cast<int64_t>(CountSubjects(test));
  VIGIL_RETURN_IF_ERROR(CheckSomeFeatureVaries(train));

  start = std::chrono::steady_clock::now();
  model::TrainOptions options;
  options.kind = request.kind;
  options.folds = request.folds;
  options.seed = request.seed;
  options.num_threads = request.threads;
  options.bags = request.bags;
  if (request.xgboost_params) options.xgboost_grid = {*request.xgboost_params};
  VIGIL_ASSIGN_OR_RETURN(options.threshold, RuleFor(spec.evaluation, train));
  options.progress = [&](std::string_view line) {
    Say(request.progress, fmt::format("train: {}", line));
  };
  VIGIL_ASSIGN_OR_RETURN(model::TrainedModel trained, model::Train(train, options));
  result.seconds_train = Seconds(start);
  result.training_json = trained.training_report();

  model::ModelMetadata meta;
  meta.task_yaml = std::string(task_yaml);
  meta.feature_definitions = {{"task", spec.name}, {"columns", train.num_cols()}};
  // The features in words, for the model card.
  VIGIL_ASSIGN_OR_RETURN(auto words, InWords(store, trained.feature_names()));
  meta.feature_definitions["display_names"] = std::move(words);
  meta.fingerprint = model::Fingerprint(train);
  meta.intended_use = fmt::format(
      "{} For decision support by clinicians, alongside their own judgement; not for autonomous "
      "decisions. Validated only on the data described in the report.",
      spec.description);
  VIGIL_ASSIGN_OR_RETURN(StoreContext context, ReadContext(store));
  meta.training_patients = TrainingPatientsJson(train, request.seed, context.subjects);

  if (test.num_rows() > 0) {
    start = std::chrono::steady_clock::now();
    Say(request.progress, "evaluate: held-out test patients");
    auto ev = EvaluateRows(trained, spec, context, test, request.bootstrap, request.seed,
                           request.threads);
    if (ev.ok()) {
      meta.metrics = nlohmann::ordered_json::parse(evaluate::EvaluationToJsonText(*ev));
      meta.metrics["about"] =
          "Held-out test patients of the task's split: no fit saw them (training used the "
          "training and validation patients).";
      result.test = std::move(*ev);
    } else {
      // A test set without positives (for example) cannot be evaluated; the model is still kept.
      meta.metrics = {{"about", "held-out test evaluation failed"},
                      {"error", std::string(ev.status().message())}};
    }
    result.seconds_evaluate = Seconds(start);
  }
  if (request.out.empty()) {
    VIGIL_ASSIGN_OR_RETURN(auto saved,
                           model::Registry(request.registry).Save(spec.name, trained, meta));
    result.dir = saved.dir;
  } else {
    VIGIL_RETURN_IF_ERROR(model::WriteModelFolder(request.out, spec.name, 1, trained, meta));
  }
  result.extraction_summary.cohort = x.cohort;
  result.extraction_summary.events_read = x.events_read;
  result.extraction_summary.absent_codes = x.absent_codes;
  return result;
}

Result<EvaluateResult> EvaluateModel(const model::StoredModel& stored, store::Store& store,
                                     const EvaluateRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(task::TaskSpec spec,
                         task::ParseTaskSpec(stored.metadata.task_yaml, "task.yaml (model)"));
  VIGIL_ASSIGN_OR_RETURN(TrainingPatients trained_on,
                         ReadTrainingPatients(stored.metadata.training_patients));
  EvaluateResult result;
  auto start = std::chrono::steady_clock::now();
  Say(request.progress, "features: extracting");
  features::ExtractOptions xo;
  xo.threads = request.threads;
  VIGIL_ASSIGN_OR_RETURN(features::Extraction x, features::ExtractFeatures(store, spec, xo));
  result.seconds_features = Seconds(start);
  VIGIL_ASSIGN_OR_RETURN(StoreContext context, ReadContext(store));
  std::vector<uint8_t> keep(x.matrix.num_rows(), 1);
  result.rows.rows = static_cast<int64_t>(x.matrix.num_rows());
  if (!request.include_training_patients) {
    for (size_t i = 0; i < keep.size(); ++i) {
      if (trained_on.Contains(x.matrix.rows[i].subject_id, context.subjects)) {
        keep[i] = 0;
        ++result.rows.rows_training_patients;
      }
    }
  }
  FeatureMatrix m = SelectRows(x.matrix, keep);
  x.matrix = FeatureMatrix{};
  result.rows.rows_evaluated = static_cast<int64_t>(m.num_rows());
  result.rows.patients_evaluated = static_cast<int64_t>(CountSubjects(m));
  if (m.num_rows() == 0) {
    return base::FailedPreconditionError(
        result.rows.rows_training_patients > 0
            ? "every row of this store belongs to a patient the model was trained on: nothing "
              "is left to validate on"
            : "the model's task has no rows in this store");
  }
  start = std::chrono::steady_clock::now();
  Say(request.progress, "evaluate: predicting and bootstrapping");
  VIGIL_ASSIGN_OR_RETURN(result.evaluation,
                         EvaluateRows(stored.model, spec, context, m, request.bootstrap,
                                      request.seed, request.threads));
  if (request.shap) {
    Say(request.progress, "explain: SHAP summary");
    if (auto shap = ShapOf(stored.model, m, store); shap.ok()) result.shap = std::move(*shap);
  }
  result.seconds_evaluate = Seconds(start);
  result.card = CardFor(stored, spec, x.cohort, store, result.rows);
  if (request.include_training_patients && result.rows.rows_training_patients == 0 &&
      trained_on.known) {
    // Count how many rows were training patients, for the card's honesty.
    int64_t n = 0;
    for (const auto& r : m.rows) n += trained_on.Contains(r.subject_id, context.subjects);
    if (n > 0) {
      result.card.validation = fmt::format(
          "NOT a validation: {} of the {} rows belong to patients the model was trained on "
          "(apparent performance, optimistic).",
          n, m.num_rows());
    }
  }
  return result;
}

Result<PredictResult> PredictToFile(const model::StoredModel& stored, store::Store& store,
                                    const std::filesystem::path& out,
                                    const PredictRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(task::TaskSpec spec,
                         task::ParseTaskSpec(stored.metadata.task_yaml, "task.yaml (model)"));
  Say(request.progress, "features: extracting");
  features::ExtractOptions xo;
  xo.threads = request.threads;
  VIGIL_ASSIGN_OR_RETURN(features::Extraction x, features::ExtractFeatures(store, spec, xo));
  const FeatureMatrix& m = x.matrix;
  Say(request.progress, "predict: scoring");
  VIGIL_ASSIGN_OR_RETURN(model::Predictions p, stored.model.Predict(m));
  std::optional<explain::Contributions> contributions;
  std::unordered_map<std::string, std::string> display_names;  // the explanation's features
  if (request.explain_top > 0 && m.num_rows() > 0) {
    Say(request.progress, "predict: explaining");
    VIGIL_ASSIGN_OR_RETURN(contributions, explain::Explain(stored.model, m));
    VIGIL_ASSIGN_OR_RETURN(auto words, InWords(store, contributions->names));
    for (size_t j = 0; j < words.size(); ++j) {
      display_names.emplace(contributions->names[j], std::move(words[j]));
    }
  }
  // Rows come sorted by subject, then time (features/extract.h); keep that order, stably by stay.
  std::vector<size_t> order(m.num_rows());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (m.rows[a].subject_id != m.rows[b].subject_id)
      return m.rows[a].subject_id < m.rows[b].subject_id;
    return m.rows[a].time < m.rows[b].time;
  });
  std::string text = "subject_id,stay_id,time,probability,alert,label";
  if (contributions) text += ",explanation";
  text += "\n";
  PredictResult r;
  r.rows = static_cast<int64_t>(m.num_rows());
  r.patients = static_cast<int64_t>(CountSubjects(m));
  for (size_t i : order) {
    const auto& key = m.rows[i];
    text += CsvField(key.subject_id);
    text += ',';
    text += CsvField(key.stay_id);
    text += ',';
    text += base::FormatIso8601(key.time);
    text += fmt::format(",{:.6g},{},", p.probability[i], p.alert[i] ? 1 : 0);
    r.alerts += p.alert[i] ? 1 : 0;
    if (m.has_label(i)) text += m.labels[i] > 0.5f ? "1" : "0";
    if (contributions) {
      text += ',';
      auto top = explain::TopContributions(*contributions, m, i, request.explain_top);
      for (explain::TopContribution& t : top) t.display = display_names.at(t.name);
      text += CsvField(explain::ToJson(top).dump());
    }
    text += '\n';
  }
  VIGIL_RETURN_IF_ERROR(base::WriteFileAtomically(out, text));
  return r;
}

}  // namespace vigil::workflow
