#include "vigil/evaluate/json.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vigil::evaluate {
namespace {

Evaluation Sample() {
  EvalInput in;
  SplitMix64 rng(1);
  Attribute sex{"sex", {}};
  BaselineScore qsofa{"qSOFA", {}, kQsofaAlertThreshold, "Seymour 2016"};
  BaselineScore saps{"SAPS-I", {}, std::nan(""), "no threshold"};
  for (int i = 0; i < 300; ++i) {
    const double p = static_cast<double>(rng.Below(1000)) / 1000.0;
    in.rows.push_back({"p" + std::to_string(i / 3), "s", base::MakeInstant(2000, 1, 1, i % 3)});
    in.probabilities.push_back(p);
    in.labels.push_back(rng.Below(1000) < p * 1000 ? 1.0f : 0.0f);
    sex.values.push_back(i % 2 ? "F" : "M");
    qsofa.values.push_back(static_cast<double>(rng.Below(4)));
    saps.values.push_back(static_cast<double>(rng.Below(30)));
  }
  in.attributes.push_back(sex);
  in.baselines = {qsofa, saps};
  EvalOptions o;
  o.bootstrap_replicates = 30;
  o.min_subgroup_patients_per_class = 1;
  o.challenge.physionet2012 = true;
  o.challenge.physionet2019 = true;
  auto ev = Evaluate(in, o);
  EXPECT_TRUE(ev.ok()) << ev.status().ToString();
  return *ev;
}

TEST(EvaluationJsonTest, RoundTripIsExact) {
  const Evaluation ev = Sample();
  const std::string text = EvaluationToJsonText(ev);
  const auto back = EvaluationFromJsonText(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(EvaluationToJsonText(*back), text);
  EXPECT_EQ(back->overall.counts.rows, ev.overall.counts.rows);
  EXPECT_EQ(back->overall.discrimination.auroc.value, ev.overall.discrimination.auroc.value);
  EXPECT_EQ(back->subgroups.size(), ev.subgroups.size());
  // NaN (undefined) survives as null: the SAPS-I baseline has no threshold.
  ASSERT_EQ(back->baselines.size(), 2u);
  EXPECT_TRUE(std::isnan(back->baselines[1].at_threshold.threshold));
  EXPECT_TRUE(std::isnan(back->baselines[1].at_threshold.sensitivity.value));
  EXPECT_TRUE(std::isnan(back->overall.discrimination.roc.front().threshold));
  EXPECT_NE(text.find("\"format\": \"vigil.evaluation\""), std::string::npos);
}

TEST(EvaluationJsonTest, RejectsWhatItCannotRead) {
  EXPECT_EQ(EvaluationFromJsonText("{").status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_EQ(EvaluationFromJsonText("[]").status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_EQ(EvaluationFromJsonText(R"({"format":"other"})").status().code(),
            base::StatusCode::kInvalidArgument);
  nlohmann::json j = EvaluationToJson(Sample());
  j["format_version"] = kEvaluationFormatVersion + 1;
  EXPECT_EQ(EvaluationFromJson(j).status().code(), base::StatusCode::kFailedPrecondition);
  j = EvaluationToJson(Sample());
  j["overall"]["counts"]["rows"] = "many";
  const auto wrong_type = EvaluationFromJson(j);
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.status().code(), base::StatusCode::kInvalidArgument);
  j = EvaluationToJson(Sample());
  j["overall"]["counts"]["rows"] = 1e300;  // a float where an integer belongs is refused, not cast
  EXPECT_EQ(EvaluationFromJson(j).status().code(), base::StatusCode::kInvalidArgument);
  j = EvaluationToJson(Sample());
  j["bootstrap_replicates"] = int64_t{1}
                              << 40;  // an integer, but not an int's: refused, not wrapped
  EXPECT_EQ(EvaluationFromJson(j).status().code(), base::StatusCode::kInvalidArgument);
  j = EvaluationToJson(Sample());
  j["seed"] = -2.5;
  EXPECT_FALSE(EvaluationFromJson(j).ok());
  j = EvaluationToJson(Sample());
  j.erase("subgroups");
  EXPECT_FALSE(EvaluationFromJson(j).ok());
}

}  // namespace
}  // namespace vigil::evaluate
