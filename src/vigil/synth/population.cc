#include "vigil/synth/population.h"

#include <algorithm>
#include <cmath>

namespace vigil::synth {
namespace {

constexpr double kDaysPerYear = 365.2425;
constexpr double kMinAge = 18;
constexpr double kMaxAge = 102;

// Adult inpatients are old: a mixture of three age groups (weights, means, sds in years), giving a
// median near 65 like English and US general hospital admissions.
constexpr std::array<double, 3> kAgeGroupWeight = {0.25, 0.37, 0.38};
constexpr std::array<double, 3> kAgeGroupMean = {38, 62, 80};
constexpr std::array<double, 3> kAgeGroupSd = {12, 10, 8};

// Race (OMB categories; weights like a large urban US hospital) and Hispanic ethnicity.
constexpr std::array<double, 7> kRaceWeight = {0.60, 0.19, 0.06, 0.01, 0.005, 0.025, 0.11};
constexpr double kHispanic = 0.15;
constexpr double kEthnicityUnknown = 0.03;

// Chronic condition prevalence: logistic in age, p = base + extra / (1 + exp(-(age - mid) / 10)).
struct Prevalence {
  double base;
  double extra;
  double mid_age;
};
constexpr std::array<Prevalence, kChronicCount> kPrevalence = {{
    {0.02, 0.18, 65},  // COPD
    {0, 0, 0},         // hypercapnia: a fraction of COPD (below)
    {0.01, 0.20, 75},  // heart failure
    {0.02, 0.22, 72},  // chronic kidney disease
    {0.05, 0.22, 60},  // diabetes
    {0.08, 0.45, 60},  // hypertension
    {0.02, 0.14, 65},  // cancer
}};
constexpr double kHypercapnicFractionOfCopd = 0.3;

// Frailty: from age past 55 and the number of chronic conditions, with individual variation.
constexpr double kFrailtyPerYear = 0.013;
constexpr double kFrailtyAgeStart = 55;
constexpr double kFrailtyPerCondition = 0.09;
constexpr double kFrailtySd = 0.08;
// Treatment limits (ward-based ceiling of care with DNACPR), more likely when old and frail.
constexpr double kCeilingFrailtyCubed = 1.2;
constexpr double kCeilingAgeStart = 80;
constexpr double kCeilingPerYearPastStart = 0.03;
constexpr double kCeilingMax = 0.8;

double Logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

Baseline MakeBaseline(Rng& rng, const PatientProfile& p, double age) {
  const bool male = p.sex == Sex::kMale;
  Baseline b{};
  b.heart_rate = rng.Normal(male ? 74 : 78, 9);
  b.resp_rate = rng.Normal(16, 1.4);
  b.systolic = rng.Normal(121 + 0.5 * (age - 50) + (p.Has(Chronic::kHypertension) ? 9 : 0), 12);
  b.temperature = rng.Normal(36.8, 0.2);
  b.sao2 = std::min(99.3, rng.Normal(97.6 - 0.03 * std::max(0.0, age - 50), 0.9));
  b.paco2 = rng.Normal(40, 2.5);
  if (p.Has(Chronic::kCopd)) b.sao2 = rng.Normal(93.5, 1.4);
  if (p.Has(Chronic::kHypercapnia)) {
    b.sao2 = rng.Normal(90.5, 1.3);
    b.paco2 = rng.Normal(52, 4);
  }
  b.creatinine = (male ? 0.95 : 0.75) * std::exp(rng.Normal(0, 0.15));
  if (p.Has(Chronic::kCkd)) b.creatinine *= rng.Uniform(1.8, 3.2);
  b.white_cells = std::max(3.8, rng.Normal(7.2, 1.5));
  b.platelets = std::max(140.0, rng.Normal(255, 55));
  b.bilirubin = 0.6 * std::exp(rng.Normal(0, 0.3));
  b.lactate = std::max(0.5, rng.Normal(1.0, 0.25));
  b.weight_kg = std::max(40.0, rng.Normal(male ? 84 : 72, 16));
  b.height_cm = rng.Normal(male ? 176 : 162, 7);
  return b;
}

}  // namespace

std::string_view RaceName(Race r) {
  switch (r) {
    case Race::kWhite:
      return "white";
    case Race::kBlack:
      return "black";
    case Race::kAsian:
      return "asian";
    case Race::kAmericanIndian:
      return "american_indian_alaska_native";
    case Race::kPacificIslander:
      return "native_hawaiian_pacific_islander";
    case Race::kBlackAndWhite:
      return "black_and_white";
    case Race::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view EthnicityName(Ethnicity e) {
  switch (e) {
    case Ethnicity::kHispanic:
      return "hispanic";
    case Ethnicity::kNotHispanic:
      return "not_hispanic";
    case Ethnicity::kUnknown:
      return "unknown";
  }
  return "unknown";
}

PatientProfile MakePatient(Rng& rng, const PopulationOptions& options,
                           int64_t first_admission_day) {
  PatientProfile p;
  const int group = rng.Choose(kAgeGroupWeight);
  const double age =
      std::clamp(rng.Normal(kAgeGroupMean[group], kAgeGroupSd[group]), kMinAge, kMaxAge);
  p.birth_day = first_admission_day - static_cast<int64_t>(std::floor(age * kDaysPerYear));
  p.sex = rng.Bernoulli(0.51) ? Sex::kFemale : Sex::kMale;
  p.race = static_cast<Race>(rng.Choose(kRaceWeight));
  const double e = rng.Uniform();
  p.ethnicity = e < kEthnicityUnknown               ? Ethnicity::kUnknown
                : e < kEthnicityUnknown + kHispanic ? Ethnicity::kHispanic
                                                    : Ethnicity::kNotHispanic;
  int conditions = 0;
  for (int c = 0; c < kChronicCount; ++c) {
    const auto& prev = kPrevalence[c];
    p.chronic[c] = rng.Bernoulli(prev.base + prev.extra * Logistic((age - prev.mid_age) / 10.0));
    conditions += p.chronic[c] ? 1 : 0;
  }
  p.chronic[static_cast<int>(Chronic::kHypercapnia)] =
      p.Has(Chronic::kCopd) && rng.Bernoulli(kHypercapnicFractionOfCopd);
  p.frailty = std::clamp(kFrailtyPerYear * std::max(0.0, age - kFrailtyAgeStart) +
                             kFrailtyPerCondition * conditions + rng.Normal(0, kFrailtySd),
                         0.0, 1.0);
  const double ceiling =
      std::min(kCeilingMax, kCeilingFrailtyCubed * std::pow(p.frailty, 3) +
                                kCeilingPerYearPastStart * std::max(0.0, age - kCeilingAgeStart));
  p.ceiling_of_care = rng.Bernoulli(ceiling);
  const double bias_weight = p.race == Race::kBlack           ? 1.0
                             : p.race == Race::kBlackAndWhite ? 0.5
                                                              : 0.0;
  p.spo2_bias = bias_weight * options.spo2_bias_black;
  p.baseline = MakeBaseline(rng, p, age);
  return p;
}

int AgeOn(const PatientProfile& p, int64_t day) {
  return static_cast<int>(std::floor(static_cast<double>(day - p.birth_day) / kDaysPerYear));
}

}  // namespace vigil::synth
