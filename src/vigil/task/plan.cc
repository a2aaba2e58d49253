#include "vigil/task/plan.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vigil::task {
namespace {

constexpr float kUnknownLabel = std::numeric_limits<float>::quiet_NaN();
constexpr double kDaysPerYear = 365.2425;  // Gregorian mean year
constexpr int64_t kMicrosPerDay = 86'400'000'000LL;

bool Contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

int64_t Micros(base::Duration d) { return d.count(); }

// Does the sorted `times` hold a value in [lo, hi]?
bool AnyIn(const std::vector<int64_t>& times, int64_t lo, int64_t hi) {
  auto it = std::lower_bound(times.begin(), times.end(), lo);
  return it != times.end() && *it <= hi;
}

}  // namespace

void CohortReport::Merge(const CohortReport& o) {
  stays_seen += o.stays_seen;
  stays_included += o.stays_included;
  rows += o.rows;
  positive_rows += o.positive_rows;
  unlabelled_rows += o.unlabelled_rows;
  rows_dropped_prior_outcome += o.rows_dropped_prior_outcome;
  for (const auto& [reason, n] : o.stays_excluded) stays_excluded[reason] += n;
}

std::optional<double> AgeAt(const store::Subject* subject, const store::Stay& stay,
                            base::Instant at) {
  if (stay.age_years) {
    const double since_start =
        stay.start ? static_cast<double>(Micros(at - *stay.start)) / kMicrosPerDay / kDaysPerYear
                   : 0.0;
    return *stay.age_years + since_start;
  }
  if (subject != nullptr && subject->birth_date) {
    const int64_t birth = int64_t{*subject->birth_date} * kMicrosPerDay;
    return static_cast<double>(base::ToMicros(at) - birth) / kMicrosPerDay / kDaysPerYear;
  }
  return std::nullopt;
}

TaskPlan TaskPlan::Create(const TaskSpec& spec, const std::vector<store::CodeEntry>& codes) {
  TaskPlan plan;
  plan.spec_ = spec;
  int32_t max_key = 0;
  for (const auto& c : codes) max_key = std::max(max_key, c.code_key);
  plan.roles_.assign(static_cast<size_t>(max_key) + 1, 0);
  auto matches = [](const std::vector<std::string>& patterns, const std::string& code) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&code](const std::string& p) { return CodeMatches(p, code); });
  };
  for (const auto& c : codes) {
    if (c.code_key < 0) continue;
    uint8_t& role = plan.roles_[static_cast<size_t>(c.code_key)];
    if (matches(spec.label.codes, c.code)) role |= kOutcome;
    if (matches(spec.cohort.exclude_codes, c.code)) role |= kExcludeCode;
    if (spec.prediction.mode == PredictionMode::kVitalSigns &&
        matches(spec.prediction.codes, c.code)) {
      role |= kVitalSign;
    }
  }
  return plan;
}

bool TaskPlan::InCohort(const SubjectData& data, size_t index, std::string& reason) const {
  const store::Stay& stay = data.stays[index].stay;
  const CohortSpec& c = spec_.cohort;
  if (!c.kinds.empty() && !Contains(c.kinds, stay.kind)) {
    reason = "stay kind not in the cohort";
    return false;
  }
  if (!c.sources.empty() && !Contains(c.sources, stay.source)) {
    reason = "stay source not in the cohort";
    return false;
  }
  if (!stay.start) {
    reason = "no start time";
    return false;
  }
  if (c.min_length > base::Duration(0)) {
    if (!stay.end) {
      reason = "no end time (needed for min_length)";
      return false;
    }
    if (*stay.end - *stay.start < c.min_length) {
      reason = "shorter than min_length";
      return false;
    }
  }
  if (c.min_age || c.max_age) {
    const auto age = AgeAt(data.subject, stay, *stay.start);
    if (!age) {
      reason = "age unknown";
      return false;
    }
    if ((c.min_age && *age < *c.min_age) || (c.max_age && *age > *c.max_age)) {
      reason = "age outside the cohort's range";
      return false;
    }
  }
  return true;
}

bool TaskPlan::PredictionTimes(const SubjectData& data, size_t index, std::vector<int64_t>& times,
                               std::string& reason) const {
  const store::StayEntry& entry = data.stays[index];
  const int64_t start = base::ToMicros(*entry.stay.start);
  const std::optional<int64_t> end =
      entry.stay.end ? std::optional<int64_t>(base::ToMicros(*entry.stay.end)) : std::nullopt;
  const PredictionSpec& p = spec_.prediction;
  times.clear();
  switch (p.mode) {
    case PredictionMode::kOffset: {
      const int64_t t = start + Micros(p.offset);
      if (end && t > *end) {
        reason = "ended before the prediction time";
        return false;
      }
      times.push_back(t);
      break;
    }
    case PredictionMode::kEvery: {
      // Without an end, the stay's last event bounds it.
      int64_t last = std::numeric_limits<int64_t>::min();
      if (end) {
        last = *end;
      } else {
        for (size_t i = 0; i < data.time.size(); ++i) {
          if (data.stay_key[i] == entry.stay_key) last = data.time[i];
        }
      }
      if (last == std::numeric_limits<int64_t>::min()) {
        reason = "no end time and no events";
        return false;
      }
      for (int64_t t = start + Micros(p.offset); t <= last; t += Micros(p.every)) {
        times.push_back(t);
      }
      if (times.empty()) {
        reason = "ended before the first prediction time";
        return false;
      }
      break;
    }
    case PredictionMode::kVitalSigns: {
      auto it = std::lower_bound(data.time.begin(), data.time.end(), start);
      for (size_t i = static_cast<size_t>(it - data.time.begin()); i < data.time.size(); ++i) {
        if (end && data.time[i] > *end) break;
        if ((Role(data.code_key[i]) & kVitalSign) &&
            (times.empty() || times.back() != data.time[i])) {
          times.push_back(data.time[i]);
        }
      }
      if (times.empty()) {
        reason = "no vital signs during the stay";
        return false;
      }
      break;
    }
    case PredictionMode::kDischarge:
      if (!end) {
        reason = "no end time (needed for a prediction at discharge)";
        return false;
      }
      times.push_back(*end);
      break;
  }
  return true;
}

void TaskPlan::SubjectRows(const SubjectData& data, std::vector<PredictionRow>& rows,
                           CohortReport& report) const {
  const size_t first_row = rows.size();
  report.stays_seen += static_cast<int64_t>(data.stays.size());
  std::vector<int64_t> outcome_events, exclude_events, times, outcomes;
  for (size_t i = 0; i < data.time.size(); ++i) {
    const uint8_t role = Role(data.code_key[i]);
    if (role & kOutcome) outcome_events.push_back(data.time[i]);
    if (role & kExcludeCode) exclude_events.push_back(data.time[i]);
  }
  const LabelSpec& label = spec_.label;
  std::string reason;
  for (size_t s = 0; s < data.stays.size(); ++s) {
    if (!InCohort(data, s, reason) || !PredictionTimes(data, s, times, reason)) {
      report.stays_excluded[reason] += 1;
      continue;
    }
    const store::Stay& stay = data.stays[s].stay;
    // The stay's outcomes: outcome events, and the starts of the subject's other stays of a label
    // kind.
    outcomes = outcome_events;
    for (size_t o = 0; o < data.stays.size(); ++o) {
      const store::Stay& other = data.stays[o].stay;
      if (o != s && other.start && Contains(label.stay_kinds, other.kind)) {
        outcomes.push_back(base::ToMicros(*other.start));
      }
    }
    std::sort(outcomes.begin(), outcomes.end());
    const int64_t start = base::ToMicros(*stay.start);
    if (spec_.cohort.exclude_prior_outcome && AnyIn(outcomes, start, times.front())) {
      report.stays_excluded["outcome at or before the first prediction time"] += 1;
      continue;
    }
    if (AnyIn(exclude_events, start, times.front())) {
      report.stays_excluded["excluded code at or before the first prediction time"] += 1;
      continue;
    }
    report.stays_included += 1;
    for (int64_t t : times) {
      const bool prior = AnyIn(outcomes, start, t);
      if (prior && label.prior_outcome == PriorOutcome::kExclude) {
        report.rows_dropped_prior_outcome += 1;
        continue;
      }
      float value;
      if (prior && label.prior_outcome == PriorOutcome::kPositive) {
        value = 1;
      } else if (label.horizon) {
        value = AnyIn(outcomes, t + 1, t + Micros(*label.horizon)) ? 1 : 0;
      } else if (stay.end) {
        value = AnyIn(outcomes, t + 1, base::ToMicros(*stay.end)) ? 1 : 0;
      } else {
        // The end is unknown: no outcome ever after t is a 0; a later one may or may not have come
        // before the end.
        value = AnyIn(outcomes, t + 1, std::numeric_limits<int64_t>::max()) ? kUnknownLabel : 0;
      }
      rows.push_back({t, static_cast<uint32_t>(s), value});
      report.rows += 1;
      if (std::isnan(value)) {
        report.unlabelled_rows += 1;
      } else if (value == 1) {
        report.positive_rows += 1;
      }
    }
  }
  auto earlier = [](const PredictionRow& a, const PredictionRow& b) {
    return a.time != b.time ? a.time < b.time : a.stay < b.stay;
  };
  const auto first = rows.begin() + static_cast<ptrdiff_t>(first_row);
  if (!std::is_sorted(first, rows.end(), earlier)) std::stable_sort(first, rows.end(), earlier);
}

}  // namespace vigil::task
