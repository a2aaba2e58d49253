#include "vigil/synth/evaluation.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <numeric>

#include "vigil/base/text.h"
#include "vigil/scores/news2.h"
#include "vigil/synth/auroc.h"
#include "vigil/synth/evaluation_data.h"
#include "vigil/synth/random.h"

namespace vigil::synth {
namespace {

using eval::Code;
using eval::DataSet;
using eval::Obs;

constexpr int64_t kDaySeconds = 86400;
constexpr int64_t kHorizon = 24 * 3600;       // deterioration within 24 h
constexpr int64_t kLateDocumentation = 3600;  // issued more than an hour after effective
constexpr int64_t kReadmissionWindow = 30 * kDaySeconds;
constexpr int kMinSetParameters = 3;  // a "set" charts at least 3 NEWS2 parameters at one time
// Occult hypoxaemia (Sjoding et al., NEJM 2020): SaO2 < 88 % while SpO2 reads 92-96 %.
constexpr double kOccultSaO2 = 88;
constexpr double kOccultSpO2Low = 92;
constexpr double kOccultSpO2High = 96;

// Targets of issue 4.
constexpr double kNews2AurocLow = 0.70;
constexpr double kNews2AurocHigh = 0.85;
constexpr double kTruthMargin = 0.05;
constexpr double kMortalityLow = 0.02, kMortalityHigh = 0.05;
constexpr double kSepsisLow = 0.05, kSepsisHigh = 0.10;

// Physiological limits: a value outside them is a charting error, not a measurement.
struct Limits {
  double low;
  double high;
};
Limits LimitsFor(Code c) {
  switch (c) {
    case Code::kHeartRate:
      return {20, 300};
    case Code::kRespRate:
      return {2, 80};
    case Code::kSpO2:
      return {40, 100};
    case Code::kSystolic:
      return {40, 300};
    case Code::kTemperature:
      return {25, 45};
    default:
      return {-1e300, 1e300};
  }
}

bool IsNews2Vital(Code c) {
  return c == Code::kHeartRate || c == Code::kRespRate || c == Code::kSpO2 ||
         c == Code::kSystolic || c == Code::kTemperature || c == Code::kAcvpu;
}

struct Row {
  int32_t patient;
  double news2;
  double truth;  // NaN-free: rows without truth are not in the truth comparison
  bool has_truth;
  uint8_t label;
};

void Apply(const Obs& o, scores::Observations& s) {
  switch (o.code) {
    case Code::kHeartRate:
      s.heart_rate = o.value;
      break;
    case Code::kRespRate:
      s.respiratory_rate = o.value;
      break;
    case Code::kSpO2:
      s.spo2 = o.value;
      break;
    case Code::kSystolic:
      s.systolic_bp = o.value;
      break;
    case Code::kTemperature:
      s.temperature = o.value;
      break;
    case Code::kAcvpu:
      if (auto c = scores::ParseAcvpu(std::string_view(&o.text, 1))) s.consciousness = c;
      break;
    case Code::kFiO2:  // the latest statement of the oxygen given replaces the earlier one
      s.fio2 = o.value;
      s.o2_flow.reset();
      break;
    case Code::kO2Flow:
      s.o2_flow = o.value;
      s.fio2.reset();
      break;
    default:
      break;
  }
}

void Stays(const DataSet& d, Evaluation& e) {
  std::vector<double> stays;
  std::vector<std::vector<const eval::Encounter*>> by_patient(d.patients.size());
  for (const auto& enc : d.encounters) {
    const double days = static_cast<double>(enc.end - enc.start) / kDaySeconds;
    if (enc.icu) {
      e.icu_days += days;
      continue;
    }
    ++e.admissions;
    stays.push_back(days);
    e.ward_days += days;
    if (enc.emergency) ++e.emergency_admissions;
    if (enc.died) ++e.deaths;
    if (enc.arrest) ++e.arrest_admissions;
    if (enc.emergency && enc.sepsis) ++e.sepsis_emergency;
    if (enc.patient >= 0) by_patient[enc.patient].push_back(&enc);
  }
  std::vector<bool> had_icu(d.encounters.size(), false);
  for (const auto& enc : d.encounters) {
    if (enc.icu && enc.parent >= 0 && !had_icu[enc.parent]) {
      had_icu[enc.parent] = true;
      ++e.icu_admissions;
    }
  }
  e.ward_days -= e.icu_days;
  for (auto& list : by_patient) {
    std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->start < b->start; });
    for (size_t i = 0; i < list.size(); ++i) {
      if (list[i]->died) continue;
      ++e.discharged_alive;
      if (i + 1 < list.size() && list[i + 1]->start - list[i]->end <= kReadmissionWindow)
        ++e.readmitted_30d;
    }
  }
  if (!stays.empty()) {
    std::sort(stays.begin(), stays.end());
    e.median_stay_days = stays[stays.size() / 2];
    e.mean_stay_days = std::accumulate(stays.begin(), stays.end(), 0.0) / stays.size();
  }
}

double TruthAt(const eval::Encounter& enc, int64_t t, bool& found) {
  auto it = std::upper_bound(enc.truth.begin(), enc.truth.end(), std::make_pair(t, 1e300));
  found = it != enc.truth.begin();
  return found ? std::prev(it)->second : 0.0;
}

// Walks each encounter's observations in time order: ward sets with their NEWS2 rows, ICU set
// counts, paired saturations, documentation delays.
std::vector<Row> Walk(DataSet& d, Evaluation& e) {
  std::vector<Row> rows;
  auto& obs = d.observations;
  std::sort(obs.begin(), obs.end(), [](const Obs& a, const Obs& b) {
    return a.encounter != b.encounter ? a.encounter < b.encounter : a.time < b.time;
  });
  scores::Observations state;
  int32_t current = -1;
  int last_band = -1;
  int64_t last_set = 0;
  for (size_t i = 0; i < obs.size();) {
    size_t j = i;
    while (j < obs.size() && obs[j].encounter == obs[i].encounter && obs[j].time == obs[i].time)
      ++j;
    const auto& enc = d.encounters[obs[i].encounter];
    if (obs[i].encounter != current) {
      current = obs[i].encounter;
      state = scores::Observations{};
      last_band = -1;
      if (enc.patient >= 0 && d.patients[enc.patient].hypercapnic)
        state.spo2_scale = scores::SpO2Scale::kScale2;
    }
    int vitals = 0;
    std::optional<double> spo2, sao2;
    for (size_t k = i; k < j; ++k) {
      const Obs& o = obs[k];
      if (IsNews2Vital(o.code)) {
        ++e.vital_observations;
        if (o.delay > kLateDocumentation) ++e.late_vitals;
        const Limits lim = LimitsFor(o.code);
        if (o.code != Code::kAcvpu && (o.value < lim.low || o.value > lim.high)) {
          ++e.implausible;
          continue;
        }
        ++vitals;
      }
      if (o.code == Code::kSpO2) spo2 = o.value;
      if (o.code == Code::kSaO2) sao2 = o.value;
      Apply(o, state);
    }
    if (spo2 && sao2 && *spo2 >= kOccultSpO2Low && *spo2 <= kOccultSpO2High && enc.patient >= 0) {
      auto& oh = e.occult_by_race[d.patients[enc.patient].race];
      ++oh.pairs;
      if (*sao2 < kOccultSaO2) ++oh.occult;
    }
    if (vitals >= kMinSetParameters) {
      if (enc.icu) {
        ++e.icu_sets;
      } else {
        ++e.ward_sets;
        const auto news = scores::ComputeNews2(state);
        ++e.news2_histogram[std::min(news.total, 20)];
        const int64_t t = obs[i].time;
        if (last_band >= 0) {
          e.hours_to_next_set[last_band] += static_cast<double>(t - last_set) / 3600;
          ++e.next_set_count[last_band];
        }
        last_band = news.total == 0 ? 0 : news.total <= 4 ? 1 : news.total <= 6 ? 2 : 3;
        last_set = t;
        bool label = false;
        for (int64_t when : enc.deteriorations) label = label || (when > t && when <= t + kHorizon);
        Row r{enc.patient, static_cast<double>(news.total), 0, false,
              label ? uint8_t{1} : uint8_t{0}};
        r.truth = TruthAt(enc, t, r.has_truth);
        rows.push_back(r);
      }
    }
    i = j;
  }
  return rows;
}

struct Scores {
  std::vector<double> news2, truth;
  std::vector<uint8_t> labels;
};

// AUROCs of NEWS2 and truth on the rows that have truth (all rows when `news2_all`).
std::pair<double, double> Aurocs(const std::vector<const Row*>& rows) {
  Scores s;
  for (const Row* r : rows) {
    if (!r->has_truth) continue;
    s.news2.push_back(r->news2);
    s.truth.push_back(r->truth);
    s.labels.push_back(r->label);
  }
  return {Auroc(s.news2, s.labels).value_or(0.5), Auroc(s.truth, s.labels).value_or(0.5)};
}

Interval Percentiles(double value, std::vector<double> samples) {
  Interval iv{value, value, value};
  if (samples.empty()) return iv;
  std::sort(samples.begin(), samples.end());
  iv.low = samples[static_cast<size_t>(0.025 * (samples.size() - 1))];
  iv.high = samples[static_cast<size_t>(0.975 * (samples.size() - 1))];
  return iv;
}

void Predict(const std::vector<Row>& rows, size_t patients, const EvaluationOptions& opt,
             Evaluation& e) {
  e.rows = static_cast<int64_t>(rows.size());
  for (int b = 0; b < 4; ++b) {
    if (e.next_set_count[b] > 0) e.hours_to_next_set[b] /= static_cast<double>(e.next_set_count[b]);
  }
  std::vector<std::vector<const Row*>> by_patient(patients + 1);
  std::vector<double> news2;
  std::vector<uint8_t> labels;
  for (const Row& r : rows) {
    e.positives += r.label;
    e.rows_with_truth += r.has_truth ? 1 : 0;
    news2.push_back(r.news2);
    labels.push_back(r.label);
    by_patient[r.patient >= 0 ? r.patient : patients].push_back(&r);
  }
  const double news2_all = Auroc(news2, labels).value_or(0.5);
  std::vector<const Row*> all;
  for (const Row& r : rows) all.push_back(&r);
  const auto [news2_paired, truth] = Aurocs(all);
  std::vector<double> s_news2, s_truth, s_diff;
  Rng rng(opt.seed, 0);
  for (int b = 0; b < opt.bootstrap; ++b) {
    std::vector<const Row*> sample;
    for (size_t p = 0; p < by_patient.size(); ++p) {
      const auto& take = by_patient[rng.UniformInt(0, static_cast<int64_t>(by_patient.size()) - 1)];
      sample.insert(sample.end(), take.begin(), take.end());
    }
    const auto [n2, tr] = Aurocs(sample);
    s_news2.push_back(n2);
    s_truth.push_back(tr);
    s_diff.push_back(tr - n2);
  }
  e.auroc_news2 = Percentiles(news2_all, s_news2);
  e.auroc_truth = Percentiles(truth, s_truth);
  e.auroc_difference = Percentiles(truth - news2_paired, s_diff);
}

double Ratio(int64_t a, int64_t b) { return b > 0 ? static_cast<double>(a) / b : 0.0; }

}  // namespace

base::Result<Evaluation> EvaluateDataSet(const EvaluationOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(DataSet d, eval::LoadDataSet(options.dir));
  Evaluation e;
  e.patients = static_cast<int64_t>(d.patients.size());
  e.unreadable_lines = d.unreadable_lines;
  Stays(d, e);
  const std::vector<Row> rows = Walk(d, e);
  Predict(rows, d.patients.size(), options, e);
  return e;
}

bool TargetsMet(const Evaluation& e) {
  const double mortality = Ratio(e.deaths, e.admissions);
  const double sepsis = Ratio(e.sepsis_emergency, e.emergency_admissions);
  return e.auroc_news2.value >= kNews2AurocLow && e.auroc_news2.value <= kNews2AurocHigh &&
         e.auroc_difference.value >= kTruthMargin && mortality >= kMortalityLow &&
         mortality <= kMortalityHigh && sepsis >= kSepsisLow && sepsis <= kSepsisHigh;
}

std::string FormatEvaluation(const Evaluation& e) {
  using base::WithThousands;
  std::string s;
  auto out = std::back_inserter(s);
  const auto pct = [](int64_t a, int64_t b) { return 100.0 * Ratio(a, b); };
  fmt::format_to(out, "patients {}, admissions {} ({} emergency), unreadable lines {}\n",
                 WithThousands(e.patients), WithThousands(e.admissions),
                 WithThousands(e.emergency_admissions), e.unreadable_lines);
  fmt::format_to(out,
                 "stay: median {:.1f} days, mean {:.1f} days; ward {:.0f} days, ICU {:.0f} days\n",
                 e.median_stay_days, e.mean_stay_days, e.ward_days, e.icu_days);
  fmt::format_to(out,
                 "events per admission: death {:.2f} %, ICU transfer {:.2f} %, cardiac arrest "
                 "{:.2f} %, readmission within 30 days {:.1f} % (of {} discharged alive)\n",
                 pct(e.deaths, e.admissions), pct(e.icu_admissions, e.admissions),
                 pct(e.arrest_admissions, e.admissions), pct(e.readmitted_30d, e.discharged_alive),
                 WithThousands(e.discharged_alive));
  fmt::format_to(out, "sepsis in emergency admissions: {:.2f} % ({} of {})\n",
                 pct(e.sepsis_emergency, e.emergency_admissions), e.sepsis_emergency,
                 e.emergency_admissions);
  fmt::format_to(
      out,
      "measurement: {} ward sets ({:.2f} per ward patient-day), {} ICU sets ({:.1f} per "
      "ICU patient-day); {:.1f} % of vital signs charted > 1 h late; {} implausible values\n",
      WithThousands(e.ward_sets), e.ward_days > 0 ? e.ward_sets / e.ward_days : 0.0,
      WithThousands(e.icu_sets), e.icu_days > 0 ? e.icu_sets / e.icu_days : 0.0,
      pct(e.late_vitals, e.vital_observations), e.implausible);
  fmt::format_to(out,
                 "hours to the next ward set after NEWS2 0: {:.1f}, 1-4: {:.1f}, 5-6: {:.1f}, 7+: "
                 "{:.1f}\n",
                 e.hours_to_next_set[0], e.hours_to_next_set[1], e.hours_to_next_set[2],
                 e.hours_to_next_set[3]);
  s += "NEWS2 at ward sets:";
  for (int i = 0; i <= 20; ++i) {
    if (e.news2_histogram[i] > 0) fmt::format_to(out, " {}:{}", i, e.news2_histogram[i]);
  }
  s += '\n';
  fmt::format_to(out,
                 "deterioration within 24 h (ICU transfer, cardiac arrest, death) at {} ward sets, "
                 "{} positive ({:.2f} %), {} with truth\n",
                 WithThousands(e.rows), WithThousands(e.positives), pct(e.positives, e.rows),
                 WithThousands(e.rows_with_truth));
  fmt::format_to(out, "  AUROC NEWS2       {:.3f} (95 % CI {:.3f}-{:.3f})\n", e.auroc_news2.value,
                 e.auroc_news2.low, e.auroc_news2.high);
  fmt::format_to(out, "  AUROC true risk   {:.3f} (95 % CI {:.3f}-{:.3f})\n", e.auroc_truth.value,
                 e.auroc_truth.low, e.auroc_truth.high);
  fmt::format_to(out,
                 "  difference        {:+.3f} (95 % CI {:+.3f} to {:+.3f}, patient bootstrap)\n",
                 e.auroc_difference.value, e.auroc_difference.low, e.auroc_difference.high);
  s += "occult hypoxaemia (SaO2 < 88 % with SpO2 92-96 %) among paired readings:\n";
  for (const auto& [race, oh] : e.occult_by_race) {
    fmt::format_to(out, "  {:<45} {:>6} pairs  {:5.1f} %\n", race.empty() ? "(none)" : race,
                   oh.pairs, pct(oh.occult, oh.pairs));
  }
  const double mortality = Ratio(e.deaths, e.admissions);
  const double sepsis = Ratio(e.sepsis_emergency, e.emergency_admissions);
  auto check = [&](bool ok, const std::string& what) {
    fmt::format_to(out, "  [{}] {}\n", ok ? "ok" : "FAIL", what);
  };
  s += "targets (issue 4):\n";
  check(e.auroc_news2.value >= kNews2AurocLow && e.auroc_news2.value <= kNews2AurocHigh,
        fmt::format("NEWS2 AUROC {:.3f} in [{:.2f}, {:.2f}]", e.auroc_news2.value, kNews2AurocLow,
                    kNews2AurocHigh));
  check(e.auroc_difference.value >= kTruthMargin,
        fmt::format("true risk beats NEWS2 by {:.3f} >= {:.2f}", e.auroc_difference.value,
                    kTruthMargin));
  check(mortality >= kMortalityLow && mortality <= kMortalityHigh,
        fmt::format("in-hospital mortality {:.2f} % in [{:.0f}, {:.0f}] %", 100 * mortality,
                    100 * kMortalityLow, 100 * kMortalityHigh));
  check(sepsis >= kSepsisLow && sepsis <= kSepsisHigh,
        fmt::format("sepsis in emergency admissions {:.2f} % in [{:.0f}, {:.0f}] %", 100 * sepsis,
                    100 * kSepsisLow, 100 * kSepsisHigh));
  return s;
}

}  // namespace vigil::synth
