#include "vigil/evaluate/evaluation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "vigil/evaluate/calibration.h"
#include "vigil/evaluate/json.h"

namespace vigil::evaluate {
namespace {

double Uniform(SplitMix64& rng) { return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53; }
double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
const base::Instant kAnchor = base::MakeInstant(2000, 1, 1);

// One row per patient (a single prediction per stay), well calibrated: y ~ Bernoulli(p).
EvalInput OneRowPerPatient(size_t n, uint64_t seed) {
  SplitMix64 rng(seed);
  EvalInput in;
  for (size_t i = 0; i < n; ++i) {
    const double p = 0.02 + 0.9 * Uniform(rng) * Uniform(rng);
    in.rows.push_back({"p" + std::to_string(i), "s" + std::to_string(i), kAnchor});
    in.probabilities.push_back(p);
    in.labels.push_back(Uniform(rng) < p ? 1.0f : 0.0f);
  }
  in.threshold = 0.3;
  return in;
}

EvalOptions Fast(int replicates = 100) {
  EvalOptions o;
  o.bootstrap_replicates = replicates;
  o.threads = 2;
  o.min_subgroup_patients_per_class = 5;
  return o;
}

TEST(EvaluationTest, RejectsMalformedInput) {
  EvalInput in = OneRowPerPatient(10, 1);
  in.probabilities.pop_back();
  EXPECT_EQ(Evaluate(in, Fast()).status().code(), base::StatusCode::kInvalidArgument);
  in = OneRowPerPatient(10, 1);
  in.probabilities[3] = 1.5;
  const auto bad_p = Evaluate(in, Fast());
  ASSERT_FALSE(bad_p.ok());
  EXPECT_NE(bad_p.status().message().find("row 3"), std::string::npos);
  EXPECT_EQ(bad_p.status().message().find("1.5"), std::string::npos);  // says where, not what
  in = OneRowPerPatient(10, 1);
  in.probabilities[2] = std::nan("");
  EXPECT_FALSE(Evaluate(in, Fast()).ok());
  in = OneRowPerPatient(10, 1);
  in.labels[0] = 2;
  EXPECT_FALSE(Evaluate(in, Fast()).ok());
  in = OneRowPerPatient(10, 1);
  in.threshold = 1.2;
  EXPECT_FALSE(Evaluate(in, Fast()).ok());
  in = OneRowPerPatient(10, 1);
  in.attributes.push_back({"sex", {"F"}});
  EXPECT_FALSE(Evaluate(in, Fast()).ok());
  in = OneRowPerPatient(10, 1);
  in.baselines.push_back({"NEWS2", {1, 2}, kNews2AlertThreshold, ""});
  EXPECT_FALSE(Evaluate(in, Fast()).ok());
  in = OneRowPerPatient(3, 1);
  for (float& y : in.labels) y = std::nanf("");
  EXPECT_FALSE(Evaluate(in, Fast()).ok());
}

TEST(EvaluationTest, UnknownLabelsAreCountedAndLeftOut) {
  EvalInput in = OneRowPerPatient(300, 2);
  const auto full = Evaluate(in, Fast(0));
  ASSERT_TRUE(full.ok());
  for (int k = 0; k < 3; ++k) {
    in.rows.push_back({"x" + std::to_string(k), "x", kAnchor});
    in.probabilities.push_back(0.99);
    in.labels.push_back(std::nanf(""));
  }
  const auto ev = Evaluate(in, Fast(0));
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  EXPECT_EQ(ev->overall.counts.rows, 300);
  EXPECT_EQ(ev->overall.counts.rows_unlabeled, 3);
  EXPECT_DOUBLE_EQ(ev->overall.discrimination.auroc.value,
                   full->overall.discrimination.auroc.value);
}

TEST(EvaluationTest, WholeCohortMetricsMatchTheirDefinitions) {
  const EvalInput in = OneRowPerPatient(2000, 3);
  const auto ev = Evaluate(in, Fast(200));
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  const PopulationMetrics& m = ev->overall;
  EXPECT_EQ(m.counts.rows, 2000);
  EXPECT_EQ(m.counts.patients, 2000);
  EXPECT_EQ(m.counts.stays, 2000);
  // Calibrated by construction.
  EXPECT_NEAR(m.calibration.slope.value, 1.0, 0.25);
  EXPECT_NEAR(m.calibration.intercept.value, 0.0, 0.2);
  EXPECT_LT(m.calibration.slope.lower, m.calibration.slope.value);
  EXPECT_GT(m.calibration.slope.upper, m.calibration.slope.value);
  EXPECT_NEAR(m.calibration.mean_predicted, m.calibration.observed_rate, 0.03);
  EXPECT_EQ(m.calibration.reliability.size(), 10u);
  EXPECT_EQ(m.calibration.hosmer_lemeshow.degrees_of_freedom, 8);
  // Threshold metrics agree with the 2x2 table.
  const AtThreshold& at = m.at_threshold;
  EXPECT_DOUBLE_EQ(at.tp + at.fp + at.tn + at.fn, 2000);
  EXPECT_DOUBLE_EQ(at.sensitivity.value, at.tp / (at.tp + at.fn));
  EXPECT_DOUBLE_EQ(at.ppv.value, at.tp / (at.tp + at.fp));
  EXPECT_DOUBLE_EQ(at.alert_rate.value, (at.tp + at.fp) / 2000);
  EXPECT_DOUBLE_EQ(at.alerts_per_stay, (at.tp + at.fp) / 2000);
  // One row per stay: no interval between rows, so alerts per patient-day is not reported.
  EXPECT_TRUE(std::isnan(at.alerts_per_patient_day.value));
  EXPECT_EQ(ev->row_interval_hours, 0);
  // Decision curve: at threshold t the model's net benefit is TP/n - FP/n t/(1-t).
  ASSERT_EQ(m.decision_curve.size(), 99u);
  const DecisionPoint& d30 = m.decision_curve[29];
  EXPECT_DOUBLE_EQ(d30.threshold, 0.30);
  EXPECT_NEAR(d30.net_benefit, at.tp / 2000 - at.fp / 2000 * 0.3 / 0.7, 1e-12);
  EXPECT_NEAR(m.decision_curve[0].treat_all, m.counts.prevalence - (1 - m.counts.prevalence) / 99,
              1e-12);
  // Every interval brackets its point estimate.
  for (const Estimate* e : {&m.discrimination.auroc, &m.discrimination.auprc, &m.calibration.brier,
                            &at.sensitivity, &at.specificity, &at.ppv, &at.npv}) {
    EXPECT_LE(e->lower, e->value);
    EXPECT_GE(e->upper, e->value);
    EXPECT_EQ(e->replicates, 200);
  }
}

TEST(EvaluationTest, DeterministicBySeedWhateverTheThreads) {
  EvalInput in = OneRowPerPatient(400, 4);
  in.attributes.push_back({"sex", {}});
  for (size_t i = 0; i < 400; ++i) in.attributes[0].values.push_back(i % 2 ? "F" : "M");
  EvalOptions one = Fast(50);
  one.threads = 1;
  EvalOptions two = Fast(50);
  two.threads = 2;
  const auto a = Evaluate(in, one);
  const auto b = Evaluate(in, two);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(EvaluationToJsonText(*a), EvaluationToJsonText(*b));
  two.seed = one.seed + 1;
  const auto c = Evaluate(in, two);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->overall.discrimination.auroc.lower, c->overall.discrimination.auroc.lower);
  EXPECT_EQ(a->overall.discrimination.auroc.value, c->overall.discrimination.auroc.value);
}

// The bootstrap resamples patients: duplicating every patient's row 20 times must not narrow the
// interval (a row bootstrap would narrow it about sqrt(20)-fold).
TEST(EvaluationTest, IntervalsResamplePatientsNotRows) {
  const EvalInput base = OneRowPerPatient(150, 5);
  EvalInput clustered;
  EvalInput independent;
  for (size_t i = 0; i < base.rows.size(); ++i) {
    for (int k = 0; k < 20; ++k) {
      const base::Instant t = kAnchor + base::Hours(k);
      clustered.rows.push_back({base.rows[i].subject_id, "s", t});
      independent.rows.push_back({base.rows[i].subject_id + "-" + std::to_string(k), "s", t});
      for (EvalInput* in : {&clustered, &independent}) {
        in->probabilities.push_back(base.probabilities[i]);
        in->labels.push_back(base.labels[i]);
      }
    }
  }
  const auto one = Evaluate(base, Fast(200));
  const auto cl = Evaluate(clustered, Fast(200));
  const auto ind = Evaluate(independent, Fast(200));
  ASSERT_TRUE(one.ok() && cl.ok() && ind.ok());
  auto width = [](const Evaluation& e) {
    return e.overall.discrimination.auroc.upper - e.overall.discrimination.auroc.lower;
  };
  EXPECT_EQ(cl->overall.counts.patients, 150);
  EXPECT_NEAR(width(*cl), width(*one), 0.35 * width(*one));
  EXPECT_GT(width(*cl), 2.5 * width(*ind));
  // Hourly rows: alerts per patient-day is 24 times the alert rate.
  EXPECT_DOUBLE_EQ(cl->row_interval_hours, 1.0);
  EXPECT_NEAR(cl->overall.at_threshold.alerts_per_patient_day.value,
              24 * cl->overall.at_threshold.alert_rate.value, 1e-9);
}

// Bootstrap intervals cover: for a binormal score with known AUROC, the 95 % interval contains the
// true value in about 95 % of repeated samples.
TEST(EvaluationTest, AurocIntervalsCoverTheTrueValue) {
  const double d = 1.0;
  const double true_auroc = 0.5 * std::erfc(-d / 2.0);  // Phi(d / sqrt(2))
  SplitMix64 rng(99);
  auto normal = [&] {
    return std::sqrt(-2 * std::log(1 - Uniform(rng))) * std::cos(2 * M_PI * Uniform(rng));
  };
  const int trials = 60;
  int covered = 0;
  for (int t = 0; t < trials; ++t) {
    EvalInput in;
    for (int i = 0; i < 120; ++i) {
      const bool pos = i % 3 == 0;
      in.rows.push_back({"p" + std::to_string(i), "s", kAnchor});
      in.probabilities.push_back(Sigmoid(normal() + (pos ? d : 0.0) - 1.0));
      in.labels.push_back(pos ? 1.0f : 0.0f);
    }
    EvalOptions o = Fast(200);
    o.seed = 1000 + t;
    const auto ev = Evaluate(in, o);
    ASSERT_TRUE(ev.ok());
    const Estimate& a = ev->overall.discrimination.auroc;
    covered += (a.lower <= true_auroc && true_auroc <= a.upper) ? 1 : 0;
  }
  EXPECT_GE(covered, 51) << covered << " of " << trials;  // 95 % nominal; 51/60 = 85 %
}

TEST(EvaluationTest, BaselinesOnTheSameRows) {
  EvalInput in = OneRowPerPatient(600, 6);
  BaselineScore perfect{"oracle", {}, 0.5, "test"};
  BaselineScore partial{"NEWS2", {}, kNews2AlertThreshold, "RCP 2017"};
  for (size_t i = 0; i < 600; ++i) {
    perfect.values.push_back(in.labels[i]);
    partial.values.push_back(i % 10 == 0 ? std::nan("") : (in.labels[i] > 0 ? 6 : 2));
  }
  in.baselines = {perfect, partial};
  const auto ev = Evaluate(in, Fast(100));
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  ASSERT_EQ(ev->baselines.size(), 2u);
  const BaselineResult& oracle = ev->baselines[0];
  EXPECT_DOUBLE_EQ(oracle.discrimination.auroc.value, 1.0);
  EXPECT_DOUBLE_EQ(oracle.at_threshold.sensitivity.value, 1.0);
  EXPECT_DOUBLE_EQ(oracle.at_threshold.specificity.value, 1.0);
  EXPECT_NEAR(oracle.auroc_difference.value, ev->overall.discrimination.auroc.value - 1.0, 1e-12);
  EXPECT_LT(oracle.auroc_difference.upper, 0.0);
  // The rule's decision curve at pt is TP/n - FP/n pt/(1-pt): with no false positives, TP/n.
  EXPECT_NEAR(oracle.decision_curve[49].net_benefit, ev->overall.counts.prevalence, 1e-12);
  const BaselineResult& news2 = ev->baselines[1];
  EXPECT_EQ(news2.rows_missing, 60);
  EXPECT_EQ(news2.threshold_source, "RCP 2017");
  // Missing scores never alert: the 60 rows without a score are negatives of the rule.
  EXPECT_DOUBLE_EQ(news2.at_threshold.tp + news2.at_threshold.fp, [&] {
    double alerts = 0;
    for (size_t i = 0; i < 600; ++i) alerts += (i % 10 != 0 && in.labels[i] > 0);
    return alerts;
  }());
}

TEST(EvaluationTest, FairnessFlagsAMiscalibratedSubgroup) {
  // Two subgroups of 1500 patients: in "A" the model is calibrated; in "B" the true risk is higher
  // than predicted by 1.5 logit units.
  SplitMix64 rng(8);
  EvalInput in;
  in.threshold = 0.3;
  Attribute group{"group", {}};
  for (int i = 0; i < 3000; ++i) {
    const bool b = i % 2 == 1;
    const double p = 0.05 + 0.6 * Uniform(rng);
    const double truth = b ? Sigmoid(ClippedLogit(p) + 1.5) : p;
    in.rows.push_back({"p" + std::to_string(i), "s", kAnchor});
    in.probabilities.push_back(p);
    in.labels.push_back(Uniform(rng) < truth ? 1.0f : 0.0f);
    group.values.push_back(b ? "B" : "A");
  }
  group.values[0] = "";  // an unknown value becomes its own level
  in.attributes.push_back(group);
  const auto ev = Evaluate(in, Fast(200));
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  ASSERT_EQ(ev->subgroups.size(), 3u);
  const SubgroupResult& a = ev->subgroups[0];
  const SubgroupResult& b = ev->subgroups[1];
  const SubgroupResult& unknown = ev->subgroups[2];
  EXPECT_EQ(a.level, "A");
  EXPECT_EQ(b.level, "B");
  EXPECT_EQ(unknown.level, "unknown");
  EXPECT_FALSE(unknown.enough_data);
  EXPECT_TRUE(unknown.flags.empty());
  ASSERT_TRUE(b.enough_data);
  bool intercept_flag = false;
  for (const FairnessFlag& f : b.flags) {
    if (f.metric == "calibration intercept") {
      intercept_flag = true;
      EXPECT_EQ(f.direction, "above");
      EXPECT_GT(f.lower, f.overall_value);
    }
  }
  EXPECT_TRUE(intercept_flag);
  // A's intercept departs the other way (the cohort's intercept is pulled up by B).
  bool a_below = false;
  for (const FairnessFlag& f : a.flags)
    a_below |= f.metric == "calibration intercept" && f.direction == "below";
  EXPECT_TRUE(a_below);
  EXPECT_EQ(a.metrics.counts.rows + b.metrics.counts.rows + unknown.metrics.counts.rows, 3000);
}

TEST(EvaluationTest, SubgroupLevelsInReadingOrder) {
  EvalInput in = OneRowPerPatient(800, 11);
  Attribute band{"band", {}};
  const std::vector<std::string> values = {"80+",   "<18",   "18-44", "",
                                           "65-79", "45-64", "zeta",  "alpha"};
  for (size_t i = 0; i < in.rows.size(); ++i) band.values.push_back(values[i % values.size()]);
  in.attributes.push_back(band);
  const auto ev = Evaluate(in, Fast(10));
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  std::vector<std::string> levels;
  for (const SubgroupResult& s : ev->subgroups) levels.push_back(s.level);
  EXPECT_EQ(levels, (std::vector<std::string>{"<18", "18-44", "45-64", "65-79", "80+", "alpha",
                                              "zeta", "unknown"}));
}

TEST(EvaluationTest, SensitivityFlag) {
  // Subgroup "low" has all its positives scored below the threshold: sensitivity 0 there.
  EvalInput in;
  in.threshold = 0.5;
  Attribute unit{"unit", {}};
  SplitMix64 rng(9);
  for (int i = 0; i < 800; ++i) {
    const bool low = i < 200;
    const bool pos = Uniform(rng) < 0.3;
    in.rows.push_back({"p" + std::to_string(i), "s", kAnchor});
    in.probabilities.push_back(pos ? (low ? 0.4 : 0.7) : 0.2 + 0.5 * Uniform(rng));
    in.labels.push_back(pos ? 1.0f : 0.0f);
    unit.values.push_back(low ? "low" : "high");
  }
  in.attributes.push_back(unit);
  const auto ev = Evaluate(in, Fast(100));
  ASSERT_TRUE(ev.ok());
  const SubgroupResult& low = ev->subgroups[1];
  ASSERT_EQ(low.level, "low");
  bool flagged = false;
  for (const FairnessFlag& f : low.flags)
    flagged |= f.metric == "sensitivity" && f.direction == "below";
  EXPECT_TRUE(flagged);
}

TEST(EvaluationTest, PhysioNet2019UtilityOfOptimalAndInactionPredictors) {
  // Hourly stays; septic ones have SepsisLabel 1 from hour 10. "Optimal" alerts (p = 0.9) exactly
  // on the best window [t_sepsis - 12, t_sepsis + 3], with t_sepsis = 16.
  EvalInput optimal;
  optimal.threshold = 0.5;
  for (int s = 0; s < 40; ++s) {
    const bool septic = s % 4 == 0;
    for (int t = 0; t < 24; ++t) {
      optimal.rows.push_back({"p" + std::to_string(s), "icu", kAnchor + base::Hours(23 - t)});
      const int hour = 23 - t;  // rows out of time order on purpose
      optimal.labels.push_back(septic && hour >= 10 ? 1.0f : 0.0f);
      optimal.probabilities.push_back(septic && hour >= 4 && hour <= 19 ? 0.9 : 0.1);
    }
  }
  EvalOptions o = Fast(50);
  o.challenge.physionet2019 = true;
  const auto ev = Evaluate(optimal, o);
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  EXPECT_TRUE(ev->overall.task.physionet2019);
  EXPECT_EQ(ev->overall.task.utility_stays, 40);
  EXPECT_NEAR(ev->overall.task.utility.value, 1.0, 1e-12);
  EvalInput inaction = optimal;
  for (double& p : inaction.probabilities) p = 0.1;
  const auto none = Evaluate(inaction, o);
  ASSERT_TRUE(none.ok());
  EXPECT_NEAR(none->overall.task.utility.value, 0.0, 1e-12);
  // A stay with an unknown label is left out of the utility (and the unknown row of everything).
  optimal.labels[5] = std::nanf("");
  const auto partial = Evaluate(optimal, o);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->overall.task.utility_stays, 39);
}

TEST(EvaluationTest, PhysioNet2012Events) {
  const EvalInput in = OneRowPerPatient(500, 10);
  EvalOptions o = Fast(50);
  o.challenge.physionet2012 = true;
  const auto ev = Evaluate(in, o);
  ASSERT_TRUE(ev.ok());
  const AtThreshold& at = ev->overall.at_threshold;
  EXPECT_DOUBLE_EQ(ev->overall.task.event1.value, std::min(at.sensitivity.value, at.ppv.value));
  std::vector<double> p(in.probabilities.begin(), in.probabilities.end());
  std::vector<uint8_t> y;
  for (float l : in.labels) y.push_back(l > 0 ? 1 : 0);
  EXPECT_DOUBLE_EQ(ev->overall.task.event2, PhysioNet2012Event2(p, y));
}

TEST(EvaluationTest, InputFromAFeatureMatrix) {
  features::FeatureMatrix m;
  m.names = {"f"};
  for (int i = 0; i < 40; ++i) {
    m.rows.push_back({"p" + std::to_string(i / 2), "s", kAnchor + base::Hours(i % 2)});
    m.values.push_back(static_cast<float>(i));
    m.labels.push_back(i % 5 == 0 ? std::nanf("") : static_cast<float>(i % 3 == 0));
  }
  std::vector<double> p;
  for (int i = 0; i < 40; ++i) p.push_back(i % 3 == 0 ? 0.8 : 0.2);
  const EvalInput in = MakeEvalInput(m, p, 0.5);
  EXPECT_EQ(in.rows.size(), 40u);
  EXPECT_EQ(in.threshold, 0.5);
  const auto ev = Evaluate(in, Fast(20));
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  EXPECT_EQ(ev->overall.counts.rows_unlabeled, 8);
  EXPECT_EQ(ev->overall.counts.patients, 20);
  EXPECT_DOUBLE_EQ(ev->overall.discrimination.auroc.value, 1.0);
  EXPECT_DOUBLE_EQ(ev->row_interval_hours, 1.0);
}

TEST(EvaluationTest, AgeBands) {
  EXPECT_EQ(AgeBand(5), "<18");
  EXPECT_EQ(AgeBand(18), "18-44");
  EXPECT_EQ(AgeBand(64.9), "45-64");
  EXPECT_EQ(AgeBand(65), "65-79");
  EXPECT_EQ(AgeBand(91), "80+");
  EXPECT_EQ(AgeBand(std::nan("")), "unknown");
  EXPECT_EQ(AgeBand(-1), "unknown");
}

}  // namespace
}  // namespace vigil::evaluate
