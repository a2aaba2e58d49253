#include "vigil/report/markdown.h"

#include <fmt/format.h>

#include <cmath>

#include "vigil/report/format.h"

namespace vigil::report {
namespace {

using internal::Num;
using internal::Pct;
using internal::PctWithInterval;
using internal::WithInterval;

void Line(std::string& out, std::string_view measure, std::string_view value) {
  out += fmt::format("| {} | {} |\n", measure, value);
}

std::string HosmerLemeshow(const evaluate::HosmerLemeshowResult& hl) {
  if (!std::isfinite(hl.statistic)) return Num(hl.statistic);
  return fmt::format("{} ({} df, p {:.2g})", Num(hl.statistic, 1), hl.degrees_of_freedom,
                     hl.p_value);
}

void Overall(const evaluate::Evaluation& ev, std::string& out) {
  const evaluate::PopulationMetrics& m = ev.overall;
  out += fmt::format(
      "{}; {} prediction rows{}.", internal::PatientsAndOutcomes(m.counts),
      internal::Count(static_cast<double>(m.counts.rows)),
      m.counts.rows_unlabeled > 0
          ? fmt::format(" ({} more without a known outcome, left out)", m.counts.rows_unlabeled)
          : "");
  if (ev.bootstrap_replicates > 0) {
    out += fmt::format(" In brackets: 95 % intervals from {} bootstrap replicates of the patients.",
                       ev.bootstrap_replicates);
  }
  out += "\n\n| measure | value |\n|---|---|\n";
  Line(out, "AUROC", WithInterval(m.discrimination.auroc));
  Line(out, "AUPRC", WithInterval(m.discrimination.auprc));
  Line(out, "Brier score", WithInterval(m.calibration.brier, 4));
  Line(out, "calibration intercept (0 is ideal)", WithInterval(m.calibration.intercept));
  Line(out, "calibration slope (1 is ideal)", WithInterval(m.calibration.slope));
  Line(out, "mean predicted risk; observed rate",
       Pct(m.calibration.mean_predicted) + "; " + Pct(m.calibration.observed_rate));
  Line(out, "Hosmer-Lemeshow C", HosmerLemeshow(m.calibration.hosmer_lemeshow));
  const evaluate::AtThreshold& t = m.at_threshold;
  if (std::isfinite(t.threshold)) {
    const std::string at = fmt::format("at the threshold {:.4g}", t.threshold);
    Line(out, "sensitivity " + at, PctWithInterval(t.sensitivity));
    Line(out, "specificity", PctWithInterval(t.specificity));
    Line(out, "PPV", PctWithInterval(t.ppv));
    Line(out, "NPV", PctWithInterval(t.npv));
    Line(out, "alerts (share of prediction rows)", PctWithInterval(t.alert_rate));
    if (std::isfinite(t.alerts_per_patient_day.value)) {
      Line(out, "alerts per patient-day", WithInterval(t.alerts_per_patient_day, 2));
    }
  }
  if (m.task.physionet2012) {
    Line(out, "PhysioNet 2012 Event 1 = min(sensitivity, PPV)", WithInterval(m.task.event1));
    Line(out, "PhysioNet 2012 Event 2 (range-normalized Hosmer-Lemeshow H)", Num(m.task.event2, 2));
  }
  if (m.task.physionet2019) {
    Line(out, "PhysioNet 2019 normalized utility", WithInterval(m.task.utility));
  }
  out += "\n";
}

void Baselines(const evaluate::Evaluation& ev, std::string& out) {
  if (ev.baselines.empty()) return;
  out += "Scores in use today, on the same rows:\n\n";
  out +=
      "| score | AUROC | model's AUROC minus the score's | sensitivity; PPV at its threshold |\n";
  out += "|---|---|---|---|\n";
  for (const evaluate::BaselineResult& b : ev.baselines) {
    const evaluate::AtThreshold& t = b.at_threshold;
    const std::string at = std::isfinite(t.threshold)
                               ? fmt::format("{}; {} (>= {:g})", Pct(t.sensitivity.value),
                                             Pct(t.ppv.value), t.threshold)
                               : "no threshold";
    out += fmt::format("| {} | {} | {} | {} |\n", b.name, WithInterval(b.discrimination.auroc),
                       WithInterval(b.auroc_difference), at);
  }
  out += "\n";
}

void Subgroups(const evaluate::Evaluation& ev, std::string& out) {
  if (ev.subgroups.empty()) return;
  std::string flagged, small;
  size_t judged = 0;
  for (const evaluate::SubgroupResult& s : ev.subgroups) {
    const std::string name = s.attribute + " " + s.level;
    if (s.enough_data) {
      ++judged;
    } else {
      small += fmt::format("{}{} ({})", small.empty() ? "" : "; ", name,
                           internal::PatientsAndOutcomes(s.metrics.counts));
    }
    for (const evaluate::FairnessFlag& f : s.flags) {
      flagged += fmt::format("- {}: {} {} ({} to {}), {} the whole cohort's {}\n", name, f.metric,
                             Num(f.subgroup_value), Num(f.lower), Num(f.upper), f.direction,
                             Num(f.overall_value));
    }
  }
  out += fmt::format(
      "Subgroups: {} examined, {} with enough patients with and without the outcome to judge.",
      ev.subgroups.size(), judged);
  if (judged == 0) {
    out += "\n";
  } else if (flagged.empty()) {
    out += " None departs from the whole cohort beyond its interval.\n";
  } else {
    out += " Departing from the whole cohort beyond their interval:\n\n" + flagged;
  }
  if (!small.empty()) out += fmt::format("\nToo few patients to judge: {}.\n", small);
  out += "\n";
}

}  // namespace

std::string ValidationMarkdown(const evaluate::Evaluation& ev) {
  std::string out;
  Overall(ev, out);
  Baselines(ev, out);
  Subgroups(ev, out);
  return out;
}

}  // namespace vigil::report
