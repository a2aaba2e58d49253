#include "vigil/report/markdown.h"

#include <gtest/gtest.h>

#include <string>

#include "vigil/report/format.h"
#include "vigil/report/sample_for_test.h"

namespace vigil::report {
namespace {

TEST(MarkdownTest, ValidationReadsAsATableOfFiguresWithIntervals) {
  const evaluate::Evaluation ev = testing::SampleEvaluation();
  const std::string md = ValidationMarkdown(ev);
  const auto& m = ev.overall;
  EXPECT_EQ(md.rfind(internal::PatientsAndOutcomes(m.counts) + "; ", 0), 0u) << md;
  EXPECT_NE(md.find("95 % intervals from 30 bootstrap replicates of the patients"),
            std::string::npos);
  EXPECT_NE(md.find("| AUROC | " + internal::WithInterval(m.discrimination.auroc) + " |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| calibration slope (1 is ideal) | " +
                    internal::WithInterval(m.calibration.slope) + " |\n"),
            std::string::npos);
  EXPECT_NE(md.find("| sensitivity at the threshold 0.25 | " +
                    internal::PctWithInterval(m.at_threshold.sensitivity) + " |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| Hosmer-Lemeshow C | "), std::string::npos);
  // No challenge scores for a task without them; no JSON key paths anywhere.
  EXPECT_EQ(md.find("PhysioNet"), std::string::npos);
  EXPECT_EQ(md.find("overall."), std::string::npos);
  // Both baselines, with the model's AUROC gain over each.
  for (const auto& b : ev.baselines) {
    EXPECT_NE(md.find("| " + b.name + " | " + internal::WithInterval(b.discrimination.auroc) +
                      " | " + internal::WithInterval(b.auroc_difference) + " | "),
              std::string::npos)
        << b.name;
  }
  // The sample's miscalibrated subgroup is named with its figure and the cohort's.
  EXPECT_NE(md.find("- unit ward: calibration"), std::string::npos) << md;
  EXPECT_NE(md.find("Subgroups: " + std::to_string(ev.subgroups.size()) + " examined, "),
            std::string::npos);
  EXPECT_NE(md.find(" to judge. Departing from the whole cohort beyond their interval:\n\n- "),
            std::string::npos)
      << md;
}

TEST(MarkdownTest, NamesChallengeScoresAndSmallSubgroups) {
  evaluate::Evaluation ev = testing::SampleEvaluation();
  ev.overall.task.physionet2012 = true;
  ev.overall.task.event1 = {0.487, 0.394, 0.553, 30};
  ev.overall.task.event2 = 58.74;
  ev.subgroups[0].enough_data = false;
  ev.subgroups[0].flags.clear();
  ev.subgroups[0].metrics.counts.patients = 9;
  ev.subgroups[0].metrics.counts.positive_patients = 2;
  const std::string md = ValidationMarkdown(ev);
  EXPECT_NE(md.find("| PhysioNet 2012 Event 1 = min(sensitivity, PPV) | 0.487 (0.394 to 0.553) |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| PhysioNet 2012 Event 2 (range-normalized Hosmer-Lemeshow H) | 58.74 |"),
            std::string::npos);
  EXPECT_NE(md.find("Too few patients to judge: " + ev.subgroups[0].attribute + " " +
                    ev.subgroups[0].level + " (9 patients, 2 with the outcome)"),
            std::string::npos)
      << md;
}

}  // namespace
}  // namespace vigil::report
