#include "vigil/task/spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "vigil/task/builtin.h"

namespace vigil::task {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kMinimal = R"(name: t
prediction:
  at: every
  every: 1h
label:
  codes: [VIGIL/SEPSIS_ONSET]
  horizon: 6h
  prior_outcome: positive
features:
  variables:
    - codes: [LOINC/8867-4]
      stats: [last]
)";

std::string ErrorOf(std::string_view yaml) {
  auto spec = ParseTaskSpec(yaml, "t.yaml");
  EXPECT_FALSE(spec.ok());
  return spec.ok() ? "" : spec.status().message();
}

TEST(DurationTest, ParsesAndFormats) {
  EXPECT_EQ(*ParseDuration("6h"), base::Hours(6));
  EXPECT_EQ(*ParseDuration("30min"), base::Minutes(30));
  EXPECT_EQ(*ParseDuration("7d"), base::Days(7));
  EXPECT_EQ(*ParseDuration("2w"), base::Days(14));
  EXPECT_EQ(*ParseDuration("0"), base::Duration(0));
  for (std::string_view bad : {"", "h", "6", "6 h", "-1h", "1.5h", "6hours", "99999999999h"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
  EXPECT_EQ(FormatDuration(base::Hours(6)), "6h");
  EXPECT_EQ(FormatDuration(base::Hours(24)), "1d");
  EXPECT_EQ(FormatDuration(base::Minutes(90)), "90min");
  EXPECT_EQ(FormatDuration(base::Days(14)), "2w");
}

TEST(SpecTest, ParsesAMinimalTaskWithDefaults) {
  auto spec = ParseTaskSpec(kMinimal, "t.yaml");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->name, "t");
  EXPECT_EQ(spec->prediction.mode, PredictionMode::kEvery);
  EXPECT_EQ(spec->prediction.offset, base::Hours(1));  // the first prediction after one period
  EXPECT_EQ(spec->label.horizon, base::Hours(6));
  EXPECT_EQ(spec->label.prior_outcome, PriorOutcome::kPositive);
  EXPECT_FALSE(spec->features.lookback.has_value());
  ASSERT_EQ(spec->features.variables.size(), 1u);
  EXPECT_EQ(spec->features.variables[0].stats, std::vector<Stat>{Stat::kLast});
  EXPECT_EQ(spec->split.method, SplitMethod::kStratified);
  EXPECT_EQ(spec->split.seed, 42u);
}

TEST(SpecTest, ErrorsNameTheFileLineAndKey) {
  std::string yaml(kMinimal);
  yaml += "cohort:\n  kinds: [icu]\n  minimum_age: 18\n";
  EXPECT_EQ(ErrorOf(yaml),
            "t.yaml:15:3: cohort: unknown key 'minimum_age' (known: kinds, sources, min_length, "
            "min_age, max_age, exclude_prior_outcome, exclude_codes)");

  std::string bad_horizon(kMinimal);
  bad_horizon.replace(bad_horizon.find("6h"), 2, "6 hours");
  EXPECT_THAT(ErrorOf(bad_horizon), HasSubstr("t.yaml:7:12: label.horizon: "));

  std::string bad_stat(kMinimal);
  bad_stat.replace(bad_stat.find("[last]"), 6, "[last, median]");
  EXPECT_THAT(ErrorOf(bad_stat), HasSubstr("t.yaml:12:14: features.stats: unknown statistic "
                                           "'median'"));

  // A misspelt stay kind would select no stay at all: it is an error, in the cohort and the label.
  std::string bad_kind(kMinimal);
  bad_kind += "cohort:\n  kinds: [icu, inpateint]\n";
  EXPECT_EQ(ErrorOf(bad_kind),
            "t.yaml:14:10: cohort.kinds: unknown stay kind 'inpateint' (known: icu, inpatient, "
            "emergency, ambulatory, other)");
  std::string bad_stay_kind(kMinimal);
  bad_stay_kind.replace(bad_stay_kind.find("codes: [VIGIL/SEPSIS_ONSET]"), 27,
                        "stay_kinds: [readmission]");
  EXPECT_THAT(ErrorOf(bad_stay_kind),
              HasSubstr("label.stay_kinds: unknown stay kind 'readmission'"));
  std::string bad_source(kMinimal);
  bad_source += "cohort:\n  sources: [physionet2020]\n";
  EXPECT_THAT(ErrorOf(bad_source),
              HasSubstr("cohort.sources: unknown source 'physionet2020' (known: fhir, "
                        "physionet2012, physionet2019)"));

  // What `vigil tasks check` used to pass and feature building then refused, or took silently.
  std::string twice(kMinimal);
  twice.replace(twice.find("horizon: 6h"), 11, "horizon: 6h\n  horizon: 12h");
  EXPECT_THAT(ErrorOf(twice), HasSubstr("t.yaml:8:3: label: key 'horizon' appears twice"));
  std::string windows(kMinimal);
  windows.replace(windows.find("stats: [last]"), 13,
                  "stats: [last]\n      windows: [24h, 1d]\n      window_stats: [max]");
  EXPECT_THAT(ErrorOf(windows), HasSubstr("features.windows: the same window appears twice"));
  std::string age(kMinimal);
  age += "cohort:\n  min_age: -5\n";
  EXPECT_THAT(ErrorOf(age), HasSubstr("cohort.min_age: must not be negative"));
  std::string sum(kMinimal);
  sum.replace(sum.find("[last]"), 6, "[median]");
  EXPECT_THAT(ErrorOf(sum), HasSubstr("missing, sum)"));

  EXPECT_THAT(ErrorOf("name: t\nprediction: {at: every, every: 1h\n"), HasSubstr("t.yaml:"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("t.yaml: the file is empty"));
  EXPECT_THAT(ErrorOf("- a\n- b\n"), HasSubstr("t.yaml:1:1: task: expected a map"));
}

TEST(SpecTest, RejectsContradictionsAndLeaks) {
  struct Case {
    std::string_view from, to, message;
  };
  const Case cases[] = {
      {"at: every", "at: hourly", "expected offset, every, vital_signs or discharge"},
      {"  every: 1h\n", "", "'at: every' needs 'every'"},
      {"horizon: 6h", "horizon: 0", "label.horizon: must be longer than 0"},
      {"  codes: [VIGIL/SEPSIS_ONSET]\n", "", "name the outcome"},
      {"codes: [LOINC/8867-4]", "codes: [VIGIL/SEPSIS_ONSET]", "would leak the label"},
      {"codes: [LOINC/8867-4]", "codes: [LOINC/8867-4, LOINC/8867-4]", "is listed twice"},
      {"codes: [LOINC/8867-4]", "codes: [heart rate]", "is not a code"},
      {"      stats: [last]\n", "      windows: [6h]\n",
       "'windows' and 'window_stats' go together"},
      {"prior_outcome: positive", "prior_outcome: maybe", "expected positive, exclude or ignore"},
      {"name: t", "name: My Task", "use lower-case letters"},
  };
  for (const Case& c : cases) {
    std::string yaml(kMinimal);
    const size_t at = yaml.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    yaml.replace(at, c.from.size(), c.to);
    EXPECT_THAT(ErrorOf(yaml), HasSubstr(c.message)) << c.to;
  }
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "split:\n  method: temporal\n"),
              HasSubstr("needs 'cutoff'"));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "split:\n  test_fraction: 0.6\n  "
                                              "validation_fraction: 0.5\n"),
              HasSubstr("must stay below 1"));
  auto temporal = ParseTaskSpec(
      std::string(kMinimal) + "split:\n  method: temporal\n  cutoff: 2021-06-01\n", "t.yaml");
  ASSERT_TRUE(temporal.ok()) << temporal.status().ToString();
  EXPECT_EQ(temporal->split.cutoff, base::MakeInstant(2021, 6, 1));
  auto fold = ParseTaskSpec(std::string(kMinimal) + "split:\n  test_fold: 2/5\n", "t.yaml");
  ASSERT_TRUE(fold.ok()) << fold.status().ToString();
  EXPECT_EQ(fold->split.folds, 5);
  EXPECT_EQ(fold->split.test_fold, 2);
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "split:\n  test_fold: 6/5\n"),
              HasSubstr("t.yaml:14:14: split.test_fold: expected K/N"));
  EXPECT_THAT(ErrorOf(std::string(kMinimal) + "split:\n  test_fold: 1/5\n  test_fraction: 0.2\n"),
              HasSubstr("not both"));
}

TEST(SpecTest, CodePatterns) {
  EXPECT_TRUE(CodeMatches("LOINC/*", "LOINC/8867-4"));
  EXPECT_FALSE(CodeMatches("LOINC/*", "SNOMED/1"));
  EXPECT_TRUE(CodeMatches("LOINC/8867-4", "LOINC/8867-4"));
  EXPECT_FALSE(CodeMatches("LOINC/8867", "LOINC/8867-4"));
}

TEST(BuiltinTest, EveryBuiltinTaskParses) {
  const auto& tasks = BuiltinTasks();
  std::vector<std::string> names;
  for (const BuiltinTask& t : tasks) {
    names.emplace_back(t.name);
    auto spec = LoadTask(t.name);
    ASSERT_TRUE(spec.ok()) << spec.status().ToString();
    EXPECT_EQ(spec->name, t.name) << "a task's name is its file name";
  }
  EXPECT_THAT(names, ::testing::IsSupersetOf({"physionet2012-mortality", "physionet2019-sepsis",
                                              "deterioration-24h", "readmission-30d"}));
  auto missing = LoadTask("no-such-task");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("physionet2019-sepsis"));
}

}  // namespace
}  // namespace vigil::task
