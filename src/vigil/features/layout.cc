#include "vigil/features/layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "vigil/features/subject_features.h"
#include "vigil/scores/observations.h"

namespace vigil::features {
namespace {

// The codes NEWS2, qSOFA and SIRS read (scores/observations.h).
constexpr std::string_view kScoreInputs[] = {
    scores::kCodeHeartRate,   scores::kCodeRespiratoryRate, scores::kCodeSpO2,
    scores::kCodeTemperature, scores::kCodeSystolicBp,      scores::kCodeFiO2,
    scores::kCodeO2Flow,      scores::kCodeGcsTotal,        scores::kCodeAcvpu,
    scores::kCodeWhiteCells,  scores::kCodePaCO2,           scores::kCodeBandNeutrophils};

bool IsPattern(const std::string& code) { return !code.empty() && code.back() == '*'; }

// The codes a group names: its explicit codes, and its patterns expanded over the store's codes.
std::vector<std::string> Expand(const task::VariableGroup& group,
                                const std::vector<std::string>& store_codes,
                                const std::set<std::string>& explicit_codes,
                                const std::set<std::string>& outcome_codes) {
  std::vector<std::string> out;
  for (const std::string& c : group.codes) {
    if (!IsPattern(c)) {
      out.push_back(c);
      continue;
    }
    for (const std::string& s : store_codes) {
      if (task::CodeMatches(c, s) && !explicit_codes.count(s) && !outcome_codes.count(s)) {
        out.push_back(s);
      }
    }
  }
  return out;
}

}  // namespace

base::Result<FeatureLayout> FeatureLayout::Create(const task::TaskSpec& spec,
                                                  const std::vector<store::CodeEntry>& codes,
                                                  const task::TaskPlan& plan) {
  FeatureLayout l;
  const task::FeatureSpec& f = spec.features;
  l.score_lookback_ = f.score_lookback.count();

  std::set<std::string> store_code_set, outcome_codes, explicit_codes;
  for (const auto& c : codes) {
    store_code_set.insert(c.code);
    if (plan.Role(c.code_key) & task::TaskPlan::kOutcome) outcome_codes.insert(c.code);
  }
  const std::vector<std::string> store_codes(store_code_set.begin(), store_code_set.end());
  for (const auto& g : f.variables) {
    for (const std::string& c : g.codes) {
      if (!IsPattern(c)) explicit_codes.insert(c);
    }
  }

  std::unordered_map<std::string, size_t> track_index;
  for (const auto& g : f.variables) {
    for (const std::string& code : Expand(g, store_codes, explicit_codes, outcome_codes)) {
      if (!track_index.try_emplace(code, l.tracks_.size()).second) continue;
      Track t;
      t.code = code;
      t.is_variable = true;
      t.stats = g.stats;
      t.lookback_kind = g.lookback;
      if (g.lookback == task::GroupLookback::kDuration) t.lookback = g.lookback_duration.count();
      if (g.lookback == task::GroupLookback::kTask) {
        t.lookback_kind = f.lookback ? task::GroupLookback::kDuration : task::GroupLookback::kStay;
        if (f.lookback) t.lookback = f.lookback->count();
      }
      t.window_stats = g.window_stats;
      for (base::Duration w : g.windows) t.windows.push_back(w.count());
      t.first_column = l.names_.size();
      t.first_window = l.num_windows_;
      l.num_windows_ += t.windows.size();
      t.stats_scan = StatsNeedScan(t.stats);
      t.window_stats_scan = StatsNeedScan(t.window_stats);
      t.when_unmeasured.resize(t.num_columns());
      float* out = t.when_unmeasured.data();
      WriteStats(nullptr, nullptr, 0, 0, 0, t.stats, out);
      for (size_t w = 0; w < t.windows.size(); ++w) {
        WriteStats(nullptr, nullptr, 0, 0, 0, t.window_stats,
                   out + t.stats.size() + w * t.window_stats.size());
      }
      for (task::Stat s : t.stats)
        l.names_.push_back(fmt::format("{}.{}", code, task::StatName(s)));
      for (base::Duration w : g.windows) {
        for (task::Stat s : t.window_stats) {
          l.names_.push_back(
              fmt::format("{}.{}.{}", code, task::StatName(s), task::FormatDuration(w)));
        }
      }
      l.tracks_.push_back(std::move(t));
    }
  }
  if (f.time_in_stay) {
    l.time_in_stay_column_ = static_cast<int64_t>(l.names_.size());
    l.names_.push_back("stay.hours_since_start");
  }
  for (const std::string& d : f.demographics) {
    const size_t column = l.names_.size();
    if (d == "age") {
      l.demographics_.emplace_back(Demographic::kAge, column);
      l.names_.push_back("demographics.age_years");
    } else if (d == "sex") {
      l.demographics_.emplace_back(Demographic::kSex, column);
      l.names_.push_back("demographics.female");
    } else if (d == "height") {
      l.demographics_.emplace_back(Demographic::kHeight, column);
      l.names_.push_back("demographics.height_cm");
    } else if (d == "weight") {
      l.demographics_.emplace_back(Demographic::kWeight, column);
      l.names_.push_back("demographics.weight_kg");
    } else if (d == "time_in_hospital") {
      l.demographics_.emplace_back(Demographic::kTimeInHospital, column);
      l.names_.push_back("stay.hours_since_hospital_admission");
    }
  }
  for (const std::string& u : f.units) {
    l.units_.emplace_back(u, l.names_.size());
    l.names_.push_back(fmt::format("stay.unit.{}", u));
  }
  for (const std::string& s : f.scores) {
    const Score score = s == "NEWS2" ? Score::kNews2 : s == "qSOFA" ? Score::kQsofa : Score::kSirs;
    l.scores_.emplace_back(score, l.names_.size());
    l.names_.push_back(fmt::format("score.{}", s));
    l.names_.push_back(fmt::format("score.{}.missing", s));
  }
  if (!f.scores.empty()) {
    for (std::string_view input : kScoreInputs) {
      auto [it, added] = track_index.try_emplace(std::string(input), l.tracks_.size());
      if (added) {
        Track t;
        t.code = std::string(input);
        l.tracks_.push_back(std::move(t));
      }
      l.tracks_[it->second].is_score_input = true;
    }
  }

  for (const Track& t : l.tracks_) {
    if (t.is_variable && !store_code_set.count(t.code)) l.absent_codes_.push_back(t.code);
  }
  std::set<std::string> seen;
  for (const std::string& n : l.names_) {
    if (!seen.insert(n).second) {
      return base::InvalidArgumentError(
          fmt::format("task {}: two features would be named {}", spec.name, n));
    }
  }
  int32_t max_key = 0;
  for (const auto& c : codes) max_key = std::max(max_key, c.code_key);
  l.track_of_code_.assign(static_cast<size_t>(max_key) + 1, -1);
  for (const auto& c : codes) {
    if (c.code_key < 0) continue;
    auto it = track_index.find(c.code);
    if (it != track_index.end()) {
      l.track_of_code_[static_cast<size_t>(c.code_key)] = static_cast<int32_t>(it->second);
    }
    if (it != track_index.end() || plan.Role(c.code_key) != 0) l.code_keys_.push_back(c.code_key);
  }
  return l;
}

}  // namespace vigil::features
