#include "vigil/report/charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "vigil/report/format.h"
#include "vigil/report/svg.h"

namespace vigil::report {
namespace {

constexpr double kChartWidth = 460;
constexpr double kChartHeight = 380;
constexpr double kWideWidth = 720;
constexpr double kBandHeight = 26;        // pixels per category in bar, forest and beeswarm charts
constexpr double kCategoricalExtra = 90;  // title, axis and note room of categorical charts
constexpr double kCategoryMargin = 200;
constexpr char kModelName[] = "Model";

std::vector<Point> ToPoints(const std::vector<evaluate::CurvePoint>& curve) {
  std::vector<Point> p;
  p.reserve(curve.size());
  for (const auto& c : curve) p.push_back({c.x, c.y});
  return p;
}

std::string AurocLegend(const std::string& name, const evaluate::Estimate& auroc) {
  return fmt::format("{} ({:.2f})", name, auroc.value);
}

// Blue (low) to red (high) through light grey, for feature values; grey when missing.
std::string ValueColor(double rank) {
  if (std::isnan(rank)) return "#aaaaaa";
  const double r0 = 0x00, g0 = 0x72, b0 = 0xB2;  // kBlue
  const double r1 = 0xD5, g1 = 0x5E, b1 = 0x00;  // kVermillion
  return fmt::format("#{:02X}{:02X}{:02X}", static_cast<int>(r0 + (r1 - r0) * rank),
                     static_cast<int>(g0 + (g1 - g0) * rank),
                     static_cast<int>(b0 + (b1 - b0) * rank));
}

}  // namespace

std::string RocChart(const evaluate::Evaluation& ev) {
  Chart c(kChartWidth, kChartHeight);
  c.SetTitle("ROC curve");
  c.SetXAxis({"1 - specificity (false alarm rate)", 0, 1});
  c.SetYAxis({"Sensitivity", 0, 1});
  c.SetLegendCorner(Chart::LegendCorner::kBottomRight);
  c.AddLine({{0, 0}, {1, 1}}, {.color = kGrey, .width = 1, .dashed = true, .legend = "Chance"});
  for (size_t i = 0; i < ev.baselines.size(); ++i) {
    c.AddLine(ToPoints(ev.baselines[i].discrimination.roc),
              {.color = SeriesColor(i + 1),
               .width = 1.5,
               .legend = AurocLegend(ev.baselines[i].name, ev.baselines[i].discrimination.auroc)});
  }
  c.AddLine(ToPoints(ev.overall.discrimination.roc),
            {.color = SeriesColor(0),
             .width = 2.5,
             .legend = AurocLegend(kModelName, ev.overall.discrimination.auroc)});
  c.SetNote("In brackets: area under the curve (AUROC).");
  return c.Render();
}

std::string PrChart(const evaluate::Evaluation& ev) {
  Chart c(kChartWidth, kChartHeight);
  c.SetTitle("Precision-recall curve");
  c.SetXAxis({"Sensitivity (recall)", 0, 1});
  c.SetYAxis({"Positive predictive value (precision)", 0, 1});
  const double prevalence = ev.overall.counts.prevalence;
  c.AddLine({{0, prevalence}, {1, prevalence}},
            {.color = kGrey, .width = 1, .dashed = true, .legend = "Outcome rate"});
  for (size_t i = 0; i < ev.baselines.size(); ++i) {
    c.AddLine(ToPoints(ev.baselines[i].discrimination.pr),
              {.color = SeriesColor(i + 1),
               .width = 1.5,
               .step = true,
               .legend = AurocLegend(ev.baselines[i].name, ev.baselines[i].discrimination.auprc)});
  }
  c.AddLine(ToPoints(ev.overall.discrimination.pr),
            {.color = SeriesColor(0),
             .width = 2.5,
             .step = true,
             .legend = AurocLegend(kModelName, ev.overall.discrimination.auprc)});
  c.SetNote("In brackets: area under the curve (AUPRC).");
  return c.Render();
}

std::string ReliabilityChart(const evaluate::Evaluation& ev) {
  const auto& bins = ev.overall.calibration.reliability;
  double top = 0;
  for (const auto& b : bins) top = std::max({top, b.mean_predicted, b.upper});
  top = std::min(1.0, std::max(0.1, std::ceil(top * 10 + 0.5) / 10));
  Chart c(kChartWidth, kChartHeight);
  c.SetTitle("Reliability diagram (calibration)");
  c.SetXAxis({"Predicted risk", 0, top, true});
  c.SetYAxis({"Observed frequency", 0, top, true});
  c.SetLegendCorner(Chart::LegendCorner::kBottomRight);
  c.AddLine({{0, 0}, {top, top}},
            {.color = kGrey, .width = 1, .dashed = true, .legend = "Perfect calibration"});
  std::vector<Point> points;
  std::vector<std::string> tips;
  for (const auto& b : bins) {
    c.AddErrorBar(b.mean_predicted, b.lower, b.upper, /*vertical=*/true, kBlue);
    points.push_back({b.mean_predicted, b.observed});
    tips.push_back(fmt::format("{} predictions: predicted {:.1f}%, observed {:.1f}%", b.rows,
                               100 * b.mean_predicted, 100 * b.observed));
  }
  c.AddLine(points, {.color = kBlue, .width = 1.5, .legend = kModelName});
  c.AddMarkers(points, {.color = kBlue, .radius = 4, .opacity = 1, .legend = ""}, tips);
  c.SetNote("Points: tenths of the predictions by predicted risk; bars: 95% intervals.");
  return c.Render();
}

std::string DecisionChart(const evaluate::Evaluation& ev, double max_threshold) {
  const double prevalence = ev.overall.counts.prevalence;
  const double floor = -prevalence;  // the chart's lowest net benefit
  // The parts of a curve at or above the floor, each ending where the curve crosses it: a curve
  // below the floor is left out rather than drawn along it, which would read as a value.
  auto visible = [&](const std::vector<evaluate::DecisionPoint>& curve, bool treat_all) {
    std::vector<std::vector<Point>> parts;
    std::vector<Point> part;
    std::optional<Point> previous;
    for (const auto& d : curve) {
      if (d.threshold > max_threshold + 1e-9) break;
      const Point p{d.threshold, treat_all ? d.treat_all : d.net_benefit};
      if (!std::isfinite(p.y)) {  // undefined here: a gap, not a crossing
        if (part.size() > 1) parts.push_back(part);
        part.clear();
        previous.reset();
        continue;
      }
      const bool above = p.y >= floor;
      if (previous && above != (previous->y >= floor)) {
        const double f = (floor - previous->y) / (p.y - previous->y);
        part.push_back({previous->x + f * (p.x - previous->x), floor});
        if (!above) {
          if (part.size() > 1) parts.push_back(part);
          part.clear();
        }
      }
      if (above) part.push_back(p);
      previous = p;
    }
    if (part.size() > 1) parts.push_back(part);
    return parts;
  };
  double top = prevalence;
  for (const auto& d : ev.overall.decision_curve) top = std::max(top, d.net_benefit);
  Chart c(kChartWidth, kChartHeight);
  auto add = [&](const std::vector<std::vector<Point>>& parts, LineStyle style) {
    for (const auto& part : parts) {
      c.AddLine(part, style);
      style.legend.clear();  // one legend entry per curve
    }
    // A curve wholly below the floor still gets its legend entry.
    if (parts.empty() && !style.legend.empty()) {
      c.AddLegendEntry(style.legend, style.color, style.dashed);
    }
  };
  c.SetTitle("Decision curve");
  c.SetXAxis({"Risk at which you would act (threshold probability)", 0, max_threshold, true});
  c.SetYAxis({"Net benefit", floor, top * 1.1});
  c.AddLine({{0, 0}, {max_threshold, 0}}, {.color = kBlack, .width = 1, .legend = "Alert no one"});
  add(visible(ev.overall.decision_curve, true),
      {.color = kGrey, .width = 1.5, .dashed = true, .legend = "Alert everyone"});
  for (size_t i = 0; i < ev.baselines.size(); ++i) {
    if (ev.baselines[i].decision_curve.empty()) continue;
    add(visible(ev.baselines[i].decision_curve, false),
        {.color = SeriesColor(i + 1),
         .width = 1.5,
         .legend = fmt::format("{} >= {:g}", ev.baselines[i].name,
                               ev.baselines[i].at_threshold.threshold)});
  }
  add(visible(ev.overall.decision_curve, false),
      {.color = SeriesColor(0), .width = 2.5, .legend = kModelName});
  c.SetNote(
      "Net benefit: true alerts minus false alerts weighted by t / (1 - t), per prediction. "
      "Curves end where they fall below the chart.");
  return c.Render();
}

std::string ForestPlot(const evaluate::Evaluation& ev, ForestMetric metric) {
  if (ev.subgroups.empty()) return "";
  std::string title, label, flag_metric;
  auto pick = [&](const evaluate::PopulationMetrics& m) -> const evaluate::Estimate& {
    switch (metric) {
      case ForestMetric::kAuroc:
        return m.discrimination.auroc;
      case ForestMetric::kSensitivity:
        return m.at_threshold.sensitivity;
      case ForestMetric::kCalibrationIntercept:
        return m.calibration.intercept;
    }
    return m.discrimination.auroc;
  };
  switch (metric) {
    case ForestMetric::kAuroc:
      title = "Discrimination by subgroup";
      label = "AUROC";
      break;
    case ForestMetric::kSensitivity:
      title = "Sensitivity at the alert threshold by subgroup";
      label = "Sensitivity";
      flag_metric = "sensitivity";
      break;
    case ForestMetric::kCalibrationIntercept:
      title = "Calibration-in-the-large by subgroup";
      label = "Calibration intercept (0 = calibrated; above 0 = risk underestimated)";
      flag_metric = "calibration intercept";
      break;
  }
  const double overall = pick(ev.overall).value;
  double lo = std::isfinite(overall) ? overall : 0, hi = lo;
  std::vector<std::string> categories;
  for (const auto& s : ev.subgroups) {
    categories.push_back(
        fmt::format("{}: {} (n={})", s.attribute, s.level, s.metrics.counts.patients));
    const evaluate::Estimate& e = pick(s.metrics);
    for (double v : {e.value, e.lower, e.upper}) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  const double pad = std::max(0.02, (hi - lo) * 0.08);
  Chart c(kWideWidth, kCategoricalExtra + kBandHeight * categories.size());
  c.SetTitle(title);
  c.SetLeftMargin(kCategoryMargin);
  c.SetXAxis({label, lo - pad, hi + pad});
  c.SetCategories("", categories);
  if (std::isfinite(overall)) c.AddVerticalRule(overall, kGrey, true);
  for (size_t i = 0; i < ev.subgroups.size(); ++i) {
    const auto& s = ev.subgroups[i];
    const evaluate::Estimate& e = pick(s.metrics);
    bool flagged = false;
    for (const auto& f : s.flags) flagged |= f.metric == flag_metric;
    const std::string color = flagged ? kVermillion : (s.enough_data ? kBlue : kGrey);
    c.AddErrorBar(i + 0.5, e.lower, e.upper, /*vertical=*/false, color);
    if (std::isfinite(e.value)) {
      c.AddMarkers(
          {{e.value, i + 0.5}}, {.color = color, .radius = 4.5, .opacity = 1, .legend = ""},
          {internal::HasInterval(e)
               ? fmt::format("{:.3f} (95% interval {:.3f} to {:.3f})", e.value, e.lower, e.upper)
               : fmt::format("{:.3f} (no interval)", e.value)});
    }
  }
  c.SetNote("Dashed line: whole cohort. Red: flagged. Grey: too few patients to judge.");
  return c.Render();
}

std::string ShapBarChart(const ShapSummary& shap) {
  if (shap.features.empty()) return "";
  std::vector<std::string> names, columns;
  double top = 0;
  for (const auto& f : shap.features) {
    names.push_back(f.name);
    columns.push_back(f.column);
    top = std::max(top, f.mean_abs);
  }
  Chart c(kWideWidth, kCategoricalExtra + kBandHeight * names.size());
  c.SetTitle("Which measurements move the predictions most");
  c.SetLeftMargin(kCategoryMargin + 40);
  c.SetXAxis({"Mean |SHAP value| (average change in log-odds of risk)", 0, top * 1.1});
  c.SetCategories("", names, columns);
  for (size_t i = 0; i < shap.features.size(); ++i) {
    c.AddBar(i, shap.features[i].mean_abs, kBlue, fmt::format("{:.3f}", shap.features[i].mean_abs));
  }
  return c.Render();
}

std::string ShapBeeswarm(const ShapSummary& shap) {
  if (shap.features.empty()) return "";
  std::vector<std::string> names, columns;
  for (const auto& f : shap.features) {
    names.push_back(f.name);
    columns.push_back(f.column);
  }
  const double span = std::max(1e-6, shap.max_contribution - shap.min_contribution);
  Chart c(kWideWidth, kCategoricalExtra + kBandHeight * 1.4 * names.size());
  c.SetTitle("How each measurement pushes risk up or down");
  c.SetLeftMargin(kCategoryMargin + 40);
  c.SetXAxis({"SHAP value (change in log-odds of risk; right = higher risk)",
              shap.min_contribution - 0.04 * span, shap.max_contribution + 0.04 * span});
  c.SetCategories("", names, columns);
  c.AddVerticalRule(0, kGrey, false);
  for (size_t i = 0; i < shap.features.size(); ++i) {
    for (const ShapDot& d : shap.features[i].dots) {
      c.AddMarkers(
          {{d.contribution, i + 0.5 + d.offset}},
          {.color = ValueColor(d.value_rank), .radius = 2.2, .opacity = 0.8, .legend = ""});
    }
  }
  c.SetNote(
      "Each dot is one prediction. Colour: the measurement's value, blue low to red high; "
      "grey missing.");
  return c.Render();
}

}  // namespace vigil::report
