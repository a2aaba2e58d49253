#include "vigil/report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "vigil/base/file.h"
#include "vigil/report/format.h"
#include "vigil/report/sections.h"
#include "vigil/report/svg.h"

namespace vigil::report {
namespace {

using internal::Stated;
using internal::Tag;

// An interval wider than this (AUROC units) is called imprecise in the limitations.
constexpr double kWideAurocInterval = 0.1;
constexpr double kMaxDecisionThreshold = 0.99;
constexpr double kMinDecisionThreshold = 0.1;

// Inline styles only: the file must not load anything. No '<' or '&' inside (XHTML-safe).
constexpr char kStyle[] = R"(
body { font-family: Helvetica, Arial, sans-serif; color: #222; max-width: 1000px; margin: 24px auto;
       padding: 0 16px; line-height: 1.45; }
h1 { font-size: 26px; margin-bottom: 4px; }
h2 { font-size: 20px; border-bottom: 2px solid #0072B2; padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 16px; }
.subtitle { color: #555; margin-top: 0; }
.glance { background: #f2f7fb; border-left: 5px solid #0072B2; padding: 8px 18px; }
.card dt { font-weight: bold; margin-top: 10px; }
.card dd { margin-left: 0; }
.missing { color: #a33; font-style: italic; }
table { border-collapse: collapse; margin: 12px 0; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
figure { margin: 8px 0; }
.pair { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.flag { color: #fff; background: #D55E00; padding: 0 6px; border-radius: 3px; font-weight: bold; }
.chart-title { font-weight: bold; font-size: 13px; }
.note { fill: #555; font-size: 10px; }
.methods { font-size: 13px; color: #444; }
footer { margin-top: 40px; font-size: 12px; color: #666; }
)";

std::string ModelCardSection(const ModelCard& card, const evaluate::Evaluation& ev) {
  std::string out = "<section class=\"card\">\n<h2>Model card</h2>\n<dl>\n";
  auto item = [&](const char* term, const std::string& text) {
    out += Tag("dt", term) + "\n<dd>" + Stated(text) + "</dd>\n";
  };
  item("Intended use", card.intended_use);
  item("What it predicts", card.outcome);
  item("When it predicts", card.prediction_time);
  item("Model", card.model_type);
  item("Alert threshold", card.threshold_rule);
  item("Data", card.data);
  item("Cohort", card.cohort);
  out += "<dd>" + internal::CohortTable(ev) + "</dd>\n";
  item("How it was validated", card.validation);
  out += Tag("dt", "Limitations") + "\n<dd><ul>\n";
  for (const std::string& l : card.limitations) out += Tag("li", l) + "\n";
  for (const std::string& l : AutomaticLimitations(ev)) out += Tag("li", l) + "\n";
  return out + "</ul></dd>\n</dl>\n</section>\n";
}

double ChooseDecisionMax(const evaluate::Evaluation& ev, double requested) {
  if (requested > 0) return std::min(requested, kMaxDecisionThreshold);
  const double threshold = ev.overall.at_threshold.threshold;
  double top =
      std::max(3 * ev.overall.counts.prevalence, 2 * (std::isfinite(threshold) ? threshold : 0));
  top = std::ceil(top * 10) / 10;
  return std::clamp(top, kMinDecisionThreshold, kMaxDecisionThreshold);
}

}  // namespace

std::vector<std::string> AutomaticLimitations(const evaluate::Evaluation& ev) {
  std::vector<std::string> out;
  const auto& m = ev.overall;
  const auto& auroc = m.discrimination.auroc;
  if (std::isfinite(auroc.upper) && auroc.upper - auroc.lower > kWideAurocInterval) {
    out.push_back(
        fmt::format("The evaluation is small: the AUROC could plausibly lie anywhere from "
                    "{} to {}.",
                    internal::Num(auroc.lower), internal::Num(auroc.upper)));
  }
  const auto& slope = m.calibration.slope;
  const bool slope_apart = (std::isfinite(slope.upper) && slope.upper < 1) ||
                           (std::isfinite(slope.lower) && slope.lower > 1);
  if (slope_apart) {
    out.push_back(
        fmt::format("Calibration slope {}: predicted risks should be recalibrated before "
                    "they are read as probabilities in this population.",
                    internal::WithInterval(slope, 2)));
  } else if (internal::SlopeFarFromOne(slope.value)) {
    out.push_back(fmt::format(
        "Calibration slope {} is far from 1, though this evaluation is too small to tell it "
        "apart from 1: check calibration on more patients before predicted risks are read as "
        "probabilities in this population.",
        internal::WithInterval(slope, 2)));
  } else if (!std::isfinite(slope.value)) {
    out.push_back(
        "The calibration slope is undefined here (too few outcomes, or predictions that do not "
        "vary): how well predicted risks match observed ones cannot be judged.");
  }
  for (const auto& b : ev.baselines) {
    if (std::isfinite(b.auroc_difference.lower) && b.auroc_difference.lower > 0) continue;
    out.push_back(
        fmt::format("The model does not clearly discriminate better than {} on these "
                    "patients (AUROC difference {}).",
                    b.name, internal::WithInterval(b.auroc_difference)));
  }
  for (const auto& s : ev.subgroups) {
    if (!s.flags.empty()) {
      out.push_back(fmt::format("Flagged subgroup {}: {}; see the subgroup section.",
                                s.attribute + " " + s.level,
                                s.flags.front().metric + (s.flags.size() > 1 ? " and more" : "")));
    } else if (!s.enough_data) {
      out.push_back(fmt::format("Too few patients to judge performance for {} {} ({}).",
                                s.attribute, s.level,
                                internal::PatientsAndOutcomes(s.metrics.counts)));
    }
  }
  if (m.counts.rows_unlabeled > 0) {
    out.push_back(fmt::format("{} predictions had no known outcome and are not in these figures.",
                              internal::Count(static_cast<double>(m.counts.rows_unlabeled))));
  }
  return out;
}

std::string RenderReport(const ModelCard& card, const evaluate::Evaluation& ev,
                         const ShapSummary* shap, double decision_max_threshold) {
  const std::string title = card.title.empty() ? "Model report" : card.title;
  std::string out =
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
      "<meta charset=\"utf-8\"/>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
  out += Tag("title", title) + "\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += Tag("h1", title) + "\n";
  std::string subtitle = card.model_name.empty() ? "" : card.model_name;
  if (!card.model_version.empty())
    subtitle += (subtitle.empty() ? "" : ", version ") + card.model_version;
  out += "<p class=\"subtitle\">" + EscapeXml(subtitle.empty() ? "Unnamed model" : subtitle) +
         "</p>\n";
  out += internal::AtAGlanceSection(ev);
  out += ModelCardSection(card, ev);
  out += internal::DiscriminationSection(ev);
  out += internal::CalibrationSection(ev);
  out += internal::UsefulnessSection(ev, ChooseDecisionMax(ev, decision_max_threshold));
  out += internal::BaselinesSection(ev);
  out += internal::SubgroupSection(ev);
  out += internal::ExplanationSection(shap);
  out += internal::MethodsSection(ev);
  out += "<footer>" +
         EscapeXml(fmt::format(
             "Generated {} by vigil {}. Aggregate figures only; no patient is "
             "identifiable from this report.",
             card.generated_at.empty() ? "(time not stated)" : card.generated_at,
             card.software_version.empty() ? "(version not stated)" : card.software_version)) +
         "</footer>\n</body>\n</html>\n";
  return out;
}

base::Status WriteReport(const std::filesystem::path& path, const ModelCard& card,
                         const evaluate::Evaluation& evaluation, const ShapSummary* shap) {
  return base::WriteFileAtomically(path, RenderReport(card, evaluation, shap));
}

}  // namespace vigil::report
