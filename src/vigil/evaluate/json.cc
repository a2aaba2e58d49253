#include "vigil/evaluate/json.h"

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

#include "vigil/base/json_integer.h"

namespace vigil::evaluate {

using nlohmann::json;

namespace {

constexpr char kFormat[] = "vigil.evaluation";

// Reading: a missing or null number is NaN; anything else of the wrong type throws json exceptions,
// caught in EvaluationFromJson.
double Num(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::numeric_limits<double>::quiet_NaN();
  return it->get<double>();
}

template <typename T>
void Read(const json& j, const char* key, T& out) {
  if constexpr (std::is_same_v<T, double>) {
    out = Num(j, key);
  } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    // An integer field must hold an integer: nlohmann would cast a float such as 1e300 (undefined
    // behaviour when out of range). Evaluations are written by vigil with integers, so unlike
    // base::IntegerValue a whole float (6.0) is refused too; the range check is shared.
    const json& v = j.at(key);
    if (!v.is_number_integer()) {
      throw json::type_error::create(302, std::string("'") + key + "' is not an integer", &v);
    }
    out = base::IntegerValue<T>(v, key);
  } else {
    j.at(key).get_to(out);
  }
}

}  // namespace

// ADL hooks for nlohmann::json, one pair per struct. Doubles go through Num so NaN survives.
#define VIGIL_JSON_PUT(field) j[#field] = v.field;
#define VIGIL_JSON_GET(field) Read(j, #field, v.field);

void to_json(json& j, const Estimate& v) {
  VIGIL_JSON_PUT(value) VIGIL_JSON_PUT(lower) VIGIL_JSON_PUT(upper) VIGIL_JSON_PUT(replicates)
}
void from_json(const json& j, Estimate& v) {
  VIGIL_JSON_GET(value) VIGIL_JSON_GET(lower) VIGIL_JSON_GET(upper) VIGIL_JSON_GET(replicates)
}

void to_json(json& j, const CurvePoint& v) {
  VIGIL_JSON_PUT(x) VIGIL_JSON_PUT(y) VIGIL_JSON_PUT(threshold)
}
void from_json(const json& j, CurvePoint& v) {
  VIGIL_JSON_GET(x) VIGIL_JSON_GET(y) VIGIL_JSON_GET(threshold)
}

void to_json(json& j, const ReliabilityBin& v) {
  VIGIL_JSON_PUT(mean_predicted)
  VIGIL_JSON_PUT(observed) VIGIL_JSON_PUT(lower) VIGIL_JSON_PUT(upper) VIGIL_JSON_PUT(rows)
}
void from_json(const json& j, ReliabilityBin& v) {
  VIGIL_JSON_GET(mean_predicted)
  VIGIL_JSON_GET(observed) VIGIL_JSON_GET(lower) VIGIL_JSON_GET(upper) VIGIL_JSON_GET(rows)
}

void to_json(json& j, const HosmerLemeshowResult& v) {
  VIGIL_JSON_PUT(statistic) VIGIL_JSON_PUT(degrees_of_freedom) VIGIL_JSON_PUT(p_value)
}
void from_json(const json& j, HosmerLemeshowResult& v) {
  VIGIL_JSON_GET(statistic) VIGIL_JSON_GET(degrees_of_freedom) VIGIL_JSON_GET(p_value)
}

void to_json(json& j, const DecisionPoint& v) {
  VIGIL_JSON_PUT(threshold) VIGIL_JSON_PUT(net_benefit) VIGIL_JSON_PUT(treat_all)
}
void from_json(const json& j, DecisionPoint& v) {
  VIGIL_JSON_GET(threshold) VIGIL_JSON_GET(net_benefit) VIGIL_JSON_GET(treat_all)
}

void to_json(json& j, const Counts& v) {
  VIGIL_JSON_PUT(rows)
  VIGIL_JSON_PUT(rows_unlabeled)
  VIGIL_JSON_PUT(positives)
  VIGIL_JSON_PUT(patients)
  VIGIL_JSON_PUT(positive_patients) VIGIL_JSON_PUT(stays) VIGIL_JSON_PUT(prevalence)
}
void from_json(const json& j, Counts& v) {
  VIGIL_JSON_GET(rows)
  VIGIL_JSON_GET(rows_unlabeled)
  VIGIL_JSON_GET(positives)
  VIGIL_JSON_GET(patients)
  VIGIL_JSON_GET(positive_patients) VIGIL_JSON_GET(stays) VIGIL_JSON_GET(prevalence)
}

void to_json(json& j, const Discrimination& v) {
  VIGIL_JSON_PUT(auroc) VIGIL_JSON_PUT(auprc) VIGIL_JSON_PUT(roc) VIGIL_JSON_PUT(pr)
}
void from_json(const json& j, Discrimination& v) {
  VIGIL_JSON_GET(auroc) VIGIL_JSON_GET(auprc) VIGIL_JSON_GET(roc) VIGIL_JSON_GET(pr)
}

void to_json(json& j, const Calibration& v) {
  VIGIL_JSON_PUT(brier)
  VIGIL_JSON_PUT(intercept)
  VIGIL_JSON_PUT(slope)
  VIGIL_JSON_PUT(mean_predicted)
  VIGIL_JSON_PUT(observed_rate) VIGIL_JSON_PUT(reliability) VIGIL_JSON_PUT(hosmer_lemeshow)
}
void from_json(const json& j, Calibration& v) {
  VIGIL_JSON_GET(brier)
  VIGIL_JSON_GET(intercept)
  VIGIL_JSON_GET(slope)
  VIGIL_JSON_GET(mean_predicted)
  VIGIL_JSON_GET(observed_rate) VIGIL_JSON_GET(reliability) VIGIL_JSON_GET(hosmer_lemeshow)
}

void to_json(json& j, const AtThreshold& v) {
  VIGIL_JSON_PUT(threshold)
  VIGIL_JSON_PUT(tp)
  VIGIL_JSON_PUT(fp)
  VIGIL_JSON_PUT(tn)
  VIGIL_JSON_PUT(fn)
  VIGIL_JSON_PUT(sensitivity)
  VIGIL_JSON_PUT(specificity)
  VIGIL_JSON_PUT(ppv)
  VIGIL_JSON_PUT(npv)
  VIGIL_JSON_PUT(alert_rate) VIGIL_JSON_PUT(alerts_per_patient_day) VIGIL_JSON_PUT(alerts_per_stay)
}
void from_json(const json& j, AtThreshold& v) {
  VIGIL_JSON_GET(threshold)
  VIGIL_JSON_GET(tp)
  VIGIL_JSON_GET(fp)
  VIGIL_JSON_GET(tn)
  VIGIL_JSON_GET(fn)
  VIGIL_JSON_GET(sensitivity)
  VIGIL_JSON_GET(specificity)
  VIGIL_JSON_GET(ppv)
  VIGIL_JSON_GET(npv)
  VIGIL_JSON_GET(alert_rate) VIGIL_JSON_GET(alerts_per_patient_day) VIGIL_JSON_GET(alerts_per_stay)
}

void to_json(json& j, const TaskScores& v) {
  VIGIL_JSON_PUT(physionet2012)
  VIGIL_JSON_PUT(event1)
  VIGIL_JSON_PUT(event2)
  VIGIL_JSON_PUT(physionet2019) VIGIL_JSON_PUT(utility) VIGIL_JSON_PUT(utility_stays)
}
void from_json(const json& j, TaskScores& v) {
  VIGIL_JSON_GET(physionet2012)
  VIGIL_JSON_GET(event1)
  VIGIL_JSON_GET(event2)
  VIGIL_JSON_GET(physionet2019) VIGIL_JSON_GET(utility) VIGIL_JSON_GET(utility_stays)
}

void to_json(json& j, const PopulationMetrics& v) {
  VIGIL_JSON_PUT(counts)
  VIGIL_JSON_PUT(discrimination)
  VIGIL_JSON_PUT(calibration)
  VIGIL_JSON_PUT(at_threshold) VIGIL_JSON_PUT(decision_curve) VIGIL_JSON_PUT(task)
}
void from_json(const json& j, PopulationMetrics& v) {
  VIGIL_JSON_GET(counts)
  VIGIL_JSON_GET(discrimination)
  VIGIL_JSON_GET(calibration)
  VIGIL_JSON_GET(at_threshold) VIGIL_JSON_GET(decision_curve) VIGIL_JSON_GET(task)
}

void to_json(json& j, const BaselineResult& v) {
  VIGIL_JSON_PUT(name)
  VIGIL_JSON_PUT(threshold_source)
  VIGIL_JSON_PUT(rows_missing)
  VIGIL_JSON_PUT(discrimination)
  VIGIL_JSON_PUT(at_threshold)
  VIGIL_JSON_PUT(decision_curve) VIGIL_JSON_PUT(auroc_difference) VIGIL_JSON_PUT(task)
}
void from_json(const json& j, BaselineResult& v) {
  VIGIL_JSON_GET(name)
  VIGIL_JSON_GET(threshold_source)
  VIGIL_JSON_GET(rows_missing)
  VIGIL_JSON_GET(discrimination)
  VIGIL_JSON_GET(at_threshold)
  VIGIL_JSON_GET(decision_curve) VIGIL_JSON_GET(auroc_difference) VIGIL_JSON_GET(task)
}

void to_json(json& j, const FairnessFlag& v) {
  VIGIL_JSON_PUT(metric)
  VIGIL_JSON_PUT(subgroup_value)
  VIGIL_JSON_PUT(lower)
  VIGIL_JSON_PUT(upper) VIGIL_JSON_PUT(overall_value) VIGIL_JSON_PUT(direction)
}
void from_json(const json& j, FairnessFlag& v) {
  VIGIL_JSON_GET(metric)
  VIGIL_JSON_GET(subgroup_value)
  VIGIL_JSON_GET(lower)
  VIGIL_JSON_GET(upper) VIGIL_JSON_GET(overall_value) VIGIL_JSON_GET(direction)
}

void to_json(json& j, const SubgroupResult& v) {
  VIGIL_JSON_PUT(attribute)
  VIGIL_JSON_PUT(level) VIGIL_JSON_PUT(enough_data) VIGIL_JSON_PUT(metrics) VIGIL_JSON_PUT(flags)
}
void from_json(const json& j, SubgroupResult& v){
    VIGIL_JSON_GET(attribute) VIGIL_JSON_GET(level) VIGIL_JSON_GET(enough_data)
        VIGIL_JSON_GET(metrics) VIGIL_JSON_GET(flags)}
#undef VIGIL_JSON_PUT
#undef VIGIL_JSON_GET

json EvaluationToJson(const Evaluation& v) {
  json j;
  j["format"] = kFormat;
  j["format_version"] = kEvaluationFormatVersion;
  j["bootstrap_replicates"] = v.bootstrap_replicates;
  j["seed"] = v.seed;
  j["row_interval_hours"] = v.row_interval_hours;
  j["overall"] = v.overall;
  j["baselines"] = v.baselines;
  j["subgroups"] = v.subgroups;
  return j;
}

base::Result<Evaluation> EvaluationFromJson(const json& j) {
  try {
    if (!j.is_object() || j.value("format", std::string()) != kFormat) {
      return base::InvalidArgumentError("evaluation JSON: 'format' is not vigil.evaluation");
    }
    int version = 0;
    Read(j, "format_version", version);
    if (version > kEvaluationFormatVersion) {
      return base::FailedPreconditionError("evaluation JSON: format_version " +
                                           std::to_string(version) +
                                           " is newer than this vigil reads");
    }
    Evaluation v;
    Read(j, "bootstrap_replicates", v.bootstrap_replicates);
    Read(j, "seed", v.seed);
    v.row_interval_hours = Num(j, "row_interval_hours");
    j.at("overall").get_to(v.overall);
    j.at("baselines").get_to(v.baselines);
    j.at("subgroups").get_to(v.subgroups);
    return v;
  } catch (const json::exception& e) {
    // nlohmann's message names the key or type, never a value from the data.
    return base::InvalidArgumentError(std::string("evaluation JSON: ") + e.what());
  }
}

std::string EvaluationToJsonText(const Evaluation& evaluation) {
  return EvaluationToJson(evaluation).dump(2);
}

base::Result<Evaluation> EvaluationFromJsonText(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return base::InvalidArgumentError("evaluation JSON: not valid JSON");
  return EvaluationFromJson(j);
}

}  // namespace vigil::evaluate
