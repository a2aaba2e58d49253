#include "vigil/report/sections.h"

#include <fmt/format.h>

#include <cmath>

#include "vigil/report/charts.h"
#include "vigil/report/format.h"
#include "vigil/report/svg.h"

namespace vigil::report::internal {
namespace {

using evaluate::AtThreshold;
using evaluate::Evaluation;

constexpr double kSmallestP = 0.001;  // smaller p-values are shown as "< 0.001"

std::string Figure(const std::string& svg) {
  return svg.empty() ? "" : "<figure>" + svg + "</figure>\n";
}

// "1 false alert", "2 false alerts".
std::string Counted(double n, std::string_view one, std::string_view many) {
  return Count(n) + " " + std::string(n == 1 ? one : many);
}

std::string AlertSentence(const AtThreshold& at) {
  if (!std::isfinite(at.threshold)) return "";
  std::string s = fmt::format(
      "At the operating threshold (alert when the predicted risk is {} or more), the model alerts "
      "on {} of predictions. It catches {} of the predictions that were followed by the outcome "
      "(sensitivity)",
      Pct(at.threshold), Pct(at.alert_rate.value), Pct(at.sensitivity.value));
  if (at.tp + at.fp > 0 && std::isfinite(at.ppv.value)) {
    s += fmt::format(
        ", and when it alerts, the outcome follows {} of the time (positive "
        "predictive value).",
        Pct(at.ppv.value));
  } else {
    s += "; it never alerts on these predictions, so its positive predictive value is undefined.";
  }
  if (std::isfinite(at.alerts_per_patient_day.value)) {
    s += fmt::format(" That is about {:.2g} alerts per patient per day.",
                     at.alerts_per_patient_day.value);
  }
  return Tag("p", s) + "\n";
}

std::string ThresholdTable(const std::string& name, const AtThreshold& at) {
  std::string out = "<table>\n";
  out += Row({"", "Outcome followed", "No outcome"}, true);
  out += Row({Tag("b", "Alert (" + name + ")"), Counted(at.tp, "true alert", "true alerts"),
              Counted(at.fp, "false alert", "false alerts")});
  out += Row({Tag("b", "No alert"), Count(at.fn) + " missed", Count(at.tn) + " correctly quiet"});
  out += "</table>\n<table>\n";
  out += Row({"Measure", "Value (95% interval)"}, true);
  out += Row({"Sensitivity", PctWithInterval(at.sensitivity)});
  out += Row({"Specificity", PctWithInterval(at.specificity)});
  out += Row({"Positive predictive value", PctWithInterval(at.ppv)});
  out += Row({"Negative predictive value", PctWithInterval(at.npv)});
  out += Row({"Alerts per patient-day", WithInterval(at.alerts_per_patient_day, 2)});
  out += Row({"Alerts per stay", Num(at.alerts_per_stay, 2)});
  return out + "</table>\n";
}

// A verdict only where an interval supports it; without one (no bootstrap, too few outcomes) the
// figures are stated and the question is left open.
std::string CalibrationVerdict(const evaluate::Calibration& c) {
  const evaluate::Estimate& a = c.intercept;
  const evaluate::Estimate& b = c.slope;
  const std::string means = fmt::format("mean predicted risk {}, observed {}",
                                        Pct(c.mean_predicted), Pct(c.observed_rate));
  std::string s;
  if (!HasInterval(a)) {
    s += fmt::format(
        "Without an interval for calibration-in-the-large, whether predicted and "
        "observed risks agree on average cannot be judged ({}). ",
        means);
  } else if (a.lower > 0) {
    s += fmt::format(
        "The model underestimates risk overall (observed outcomes are more frequent "
        "than predicted: {}). ",
        means);
  } else if (a.upper < 0) {
    s += fmt::format(
        "The model overestimates risk overall (observed outcomes are less frequent "
        "than predicted: {}). ",
        means);
  } else {
    s += fmt::format("Predicted and observed risks do not clearly differ on average ({}). ", means);
  }
  if (!std::isfinite(b.value)) {
    s += "Whether the spread of its predictions matches the spread of risk cannot be judged (the "
         "calibration slope is undefined).";
  } else if (!HasInterval(b)) {
    s += fmt::format(
        "Whether the spread of its predictions matches the spread of risk cannot be "
        "judged without an interval (calibration slope {}).",
        Num(b.value, 2));
  } else if (b.upper < 1) {
    s += "Its predictions are too extreme: high risks are too high and low risks too low.";
  } else if (b.lower > 1) {
    s += "Its predictions are too modest: real differences in risk are larger than predicted.";
  } else if (SlopeFarFromOne(b.value)) {
    s += fmt::format(
        "The calibration slope, {}, is far from 1, but this evaluation is too small "
        "to tell it apart from 1.",
        WithInterval(b, 2));
  } else {
    s += "The spread of its predictions matches the observed spread of risk.";
  }
  const auto& hl = c.hosmer_lemeshow;
  if (std::isfinite(hl.p_value) && hl.p_value < 0.05) {
    s += fmt::format(
        " The Hosmer-Lemeshow test finds observed and predicted risks apart in some tenths of "
        "risk ({}); with many predictions it detects even small departures, so read the "
        "reliability diagram.",
        hl.p_value < 0.001 ? std::string("p < 0.001") : fmt::format("p = {:.3f}", hl.p_value));
  }
  return s;
}

}  // namespace

bool SlopeFarFromOne(double slope) { return std::isfinite(slope) && (slope < 0.8 || slope > 1.2); }

std::string AtAGlanceSection(const Evaluation& ev) {
  const auto& m = ev.overall;
  std::string out = "<section class=\"glance\">\n<h2>At a glance</h2>\n<ul>\n";
  out += Tag("li",
             fmt::format("Evaluated on {} patients ({} predictions); the outcome occurred "
                         "after {} of predictions.",
                         Count(m.counts.patients), Count(m.counts.rows), Pct(m.counts.prevalence)));
  out += Tag("li", "Discrimination (AUROC, 0.5 = chance, 1 = perfect): " +
                       WithInterval(m.discrimination.auroc) + ".");
  out += Tag("li", "Calibration: " + CalibrationVerdict(m.calibration));
  if (std::isfinite(m.at_threshold.threshold)) {
    out +=
        Tag("li", fmt::format("At the alert threshold of {}: sensitivity {}, positive predictive "
                              "value {}.",
                              Pct(m.at_threshold.threshold), Pct(m.at_threshold.sensitivity.value),
                              Pct(m.at_threshold.ppv.value)));
  }
  for (const auto& b : ev.baselines) {
    const auto& d = b.auroc_difference;
    std::string verdict = "shows no clear difference in discrimination from";
    if (!HasInterval(d)) verdict = "was compared, without an interval, with";
    if (std::isfinite(d.lower) && d.lower > 0) verdict = "discriminates better than";
    if (std::isfinite(d.upper) && d.upper < 0) verdict = "discriminates worse than";
    out += Tag("li", fmt::format("The model {} {} (AUROC difference {}).", verdict, b.name,
                                 WithInterval(d)));
  }
  size_t flagged = 0;
  for (const auto& s : ev.subgroups) flagged += s.flags.empty() ? 0 : 1;
  if (!ev.subgroups.empty()) {
    out += Tag("li", fmt::format("{} of {} subgroups are flagged for calibration or sensitivity "
                                 "that departs from the whole cohort.",
                                 flagged, ev.subgroups.size()));
  }
  return out + "</ul>\n</section>\n";
}

std::string CohortTable(const Evaluation& ev) {
  const auto& c = ev.overall.counts;
  std::string out = "<table>\n";
  out += Row({"Patients", Count(c.patients)});
  out += Row({"Patients with the outcome", Count(c.positive_patients)});
  out += Row({"Stays", Count(c.stays)});
  out += Row({"Predictions (rows) evaluated", Count(c.rows)});
  out += Row(
      {"Predictions followed by the outcome", Count(c.positives) + " (" + Pct(c.prevalence) + ")"});
  out += Row({"Predictions left out (outcome unknown)", Count(c.rows_unlabeled)});
  return out + "</table>\n";
}

std::string DiscriminationSection(const Evaluation& ev) {
  std::string out = "<section>\n<h2>Discrimination: does the model rank patients correctly?</h2>\n";
  out += Tag("p",
             "The ROC curve shows, for every possible alert threshold, how many outcomes are "
             "caught against how many false alarms are raised. The precision-recall curve shows "
             "how often an alert is right at each level of sensitivity; when outcomes are rare it "
             "is the more telling of the two.") +
         "\n";
  out += "<div class=\"pair\">" + Figure(RocChart(ev)) + Figure(PrChart(ev)) + "</div>\n";
  out += "<table>\n" + Row({"", "AUROC (95% interval)", "AUPRC (95% interval)"}, true);
  out += Row({Tag("b", "Model"), WithInterval(ev.overall.discrimination.auroc),
              WithInterval(ev.overall.discrimination.auprc)});
  for (const auto& b : ev.baselines) {
    out += Row({EscapeXml(b.name), WithInterval(b.discrimination.auroc),
                WithInterval(b.discrimination.auprc)});
  }
  return out + "</table>\n</section>\n";
}

std::string CalibrationSection(const Evaluation& ev) {
  const auto& c = ev.overall.calibration;
  std::string out =
      "<section>\n<h2>Calibration: can the predicted risks be taken at face value?</h2>\n";
  out += Tag("p", CalibrationVerdict(c)) + "\n";
  out += "<div class=\"pair\">" + Figure(ReliabilityChart(ev)) + "<div>\n<table>\n";
  out += Row({"Measure", "Value (95% interval)", "Ideal"}, true);
  out += Row({"Mean predicted risk", Pct(c.mean_predicted), "= observed"});
  out += Row({"Observed outcome rate", Pct(c.observed_rate), ""});
  out += Row({"Calibration intercept", WithInterval(c.intercept), "0"});
  out += Row({"Calibration slope", WithInterval(c.slope), "1"});
  out += Row({"Brier score", WithInterval(c.brier, 4), "0 (lower is better)"});
  out +=
      Row({"Hosmer-Lemeshow statistic (10 groups)",
           Num(c.hosmer_lemeshow.statistic, 2) + ", p " +
               (c.hosmer_lemeshow.p_value < kSmallestP ? "&lt; 0.001"
                                                       : "= " + Num(c.hosmer_lemeshow.p_value, 3)),
           "small, p above 0.05"});
  if (ev.overall.task.physionet2012) {
    out += Row({"PhysioNet 2012 Event 2 (range-normalized H)", Num(ev.overall.task.event2, 2),
                "lower is better"});
  }
  return out + "</table>\n</div></div>\n</section>\n";
}

std::string UsefulnessSection(const Evaluation& ev, double decision_max_threshold) {
  const auto& m = ev.overall;
  std::string out =
      "<section>\n<h2>Clinical usefulness: what happens if you act on the alerts?</h2>\n";
  out += AlertSentence(m.at_threshold);
  if (std::isfinite(m.at_threshold.threshold)) out += ThresholdTable("model", m.at_threshold);
  out += Tag("p",
             "The decision curve compares acting on the model's alerts with alerting on every "
             "patient or on none, across the risk at which you would act. Where the model's "
             "line is highest, acting on it does more good than harm compared with the "
             "alternatives.") +
         "\n";
  out += Figure(DecisionChart(ev, decision_max_threshold));
  if (m.task.physionet2012 || m.task.physionet2019) {
    out += "<h3>Challenge scores</h3>\n<table>\n" + Row({"Score", "Value (95% interval)"}, true);
    if (m.task.physionet2019) {
      out += Row({"PhysioNet 2019 normalized utility (" + Count(m.task.utility_stays) + " stays)",
                  WithInterval(m.task.utility)});
    }
    if (m.task.physionet2012) {
      out += Row({"PhysioNet 2012 Event 1: min(sensitivity, PPV)", WithInterval(m.task.event1)});
      out += Row({"PhysioNet 2012 Event 2: range-normalized H", Num(m.task.event2, 2)});
    }
    out += "</table>\n";
  }
  return out + "</section>\n";
}

std::string BaselinesSection(const Evaluation& ev) {
  if (ev.baselines.empty()) return "";
  std::string out = "<section>\n<h2>Compared with established scores</h2>\n";
  out += Tag("p",
             "Each score is evaluated on exactly the same predictions as the model, at its own "
             "usual alert threshold. Differences in AUROC come from the same bootstrap samples "
             "(paired), so their interval shows whether the difference is real.") +
         "\n";
  std::vector<std::string> header = {"Measure", "Model"};
  for (const auto& b : ev.baselines) header.push_back(EscapeXml(b.name));
  std::string out_table = "<table>\n" + Row(header, true);
  auto row = [&](const std::string& label, const std::string& model, auto&& cell) {
    std::vector<std::string> r = {label, model};
    for (const auto& b : ev.baselines) r.push_back(cell(b));
    out_table += Row(r);
  };
  const auto& m = ev.overall;
  row("Alert threshold", "risk " + Pct(m.at_threshold.threshold), [](const auto& b) {
    return std::isfinite(b.at_threshold.threshold)
               ? "score " + fmt::format("{:g}", b.at_threshold.threshold) + " or more"
               : std::string("none");
  });
  row("AUROC", WithInterval(m.discrimination.auroc),
      [](const auto& b) { return WithInterval(b.discrimination.auroc); });
  row("AUROC difference (model minus score)", "",
      [](const auto& b) { return WithInterval(b.auroc_difference); });
  row("AUPRC", WithInterval(m.discrimination.auprc),
      [](const auto& b) { return WithInterval(b.discrimination.auprc); });
  row("Sensitivity", PctWithInterval(m.at_threshold.sensitivity),
      [](const auto& b) { return PctWithInterval(b.at_threshold.sensitivity); });
  row("Specificity", PctWithInterval(m.at_threshold.specificity),
      [](const auto& b) { return PctWithInterval(b.at_threshold.specificity); });
  row("Positive predictive value", PctWithInterval(m.at_threshold.ppv),
      [](const auto& b) { return PctWithInterval(b.at_threshold.ppv); });
  row("Alerts per patient-day", WithInterval(m.at_threshold.alerts_per_patient_day, 2),
      [](const auto& b) { return WithInterval(b.at_threshold.alerts_per_patient_day, 2); });
  if (m.task.physionet2019) {
    row("PhysioNet 2019 utility", WithInterval(m.task.utility),
        [](const auto& b) { return WithInterval(b.task.utility); });
  }
  if (m.task.physionet2012) {
    row("PhysioNet 2012 Event 1", WithInterval(m.task.event1),
        [](const auto& b) { return WithInterval(b.task.event1); });
  }
  row("Predictions without a score", "0",
      [](const auto& b) { return Count(static_cast<double>(b.rows_missing)); });
  out += out_table + "</table>\n<ul class=\"sources\">\n";
  for (const auto& b : ev.baselines) {
    if (!b.threshold_source.empty()) out += Tag("li", b.name + ": " + b.threshold_source);
  }
  out += "</ul>\n";
  out += Tag("p",
             "A prediction where a score could not be computed (a measurement it needs was "
             "never taken) counts as the lowest score: it never alerts.") +
         "\n";
  return out + "</section>\n";
}

}  // namespace vigil::report::internal
