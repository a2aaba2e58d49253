// A small SVG chart builder for the model report: axes with ticks, lines, points, bars, error bars,
// reference lines and a legend, as one self-contained <svg> element (no scripts, fonts or links).
//
// The x axis is numeric. The y axis is numeric, or categorical (one band per category, top to
// bottom) for bar, forest and beeswarm charts. Marks are given in data coordinates; the chart maps
// them into its plot area and clips nothing (callers choose domains that contain their data). Every
// text (title, labels, categories, legend, tooltips) is XML-escaped. The output is well-formed XML,
// so it is valid both inline in HTML and as a standalone .svg file.
//
//   Chart c(480, 360);
//   c.SetTitle("ROC curve");
//   c.SetXAxis({"1 - specificity", 0, 1});
//   c.SetYAxis({"Sensitivity", 0, 1});
//   c.AddLine({{0, 0}, {1, 1}}, {.color = kGrey, .dashed = true, .legend = "Chance"});
//   c.AddLine(points, {.color = kBlue, .legend = "Model"});
//   std::string svg = c.Render();
//
// Thread-safety: a Chart is a value; distinct charts may be built on distinct threads.
#ifndef VIGIL_REPORT_SVG_H_
#define VIGIL_REPORT_SVG_H_

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::report {

// A colour-blind-safe palette (Okabe and Ito 2008), and neutrals.
inline constexpr char kBlue[] = "#0072B2";
inline constexpr char kOrange[] = "#E69F00";
inline constexpr char kGreen[] = "#009E73";
inline constexpr char kVermillion[] = "#D55E00";
inline constexpr char kPurple[] = "#CC79A7";
inline constexpr char kSky[] = "#56B4E9";
inline constexpr char kYellow[] = "#F0E442";
inline constexpr char kGrey[] = "#777777";
inline constexpr char kBlack[] = "#222222";

// The i-th colour of the palette for series (model first), cycling.
const char* SeriesColor(size_t i);

// Escapes & < > " ' for XML text and attribute values.
std::string EscapeXml(std::string_view text);

// A number for SVG coordinates: fixed, 2 decimals, "-0.00" written as "0.00".
std::string Coord(double v);

// The width `text` (UTF-8) takes in pixels at `font_size` in a sans-serif font, estimated from
// character classes (narrow, digits, capitals, wide) and erring wide: SVG text is laid out by the
// viewer, and the chart must leave room for it without a font at hand.
double EstimatedTextWidth(std::string_view text, double font_size);

struct Axis {
  std::string label;
  double min = 0;
  double max = 1;
  bool percent = false;  // tick labels as percentages (0.25 -> "25%")
};

struct Point {
  double x;
  double y;
};

struct LineStyle {
  std::string color = kBlue;
  double width = 2;
  bool dashed = false;
  bool step = false;   // draw as steps (horizontal then vertical), for precision-recall curves
  std::string legend;  // empty: not in the legend
};

struct MarkerStyle {
  std::string color = kBlue;
  double radius = 3.5;
  double opacity = 1;
  std::string legend;
};

class Chart {
 public:
  Chart(double width, double height);

  void SetTitle(std::string title) { title_ = std::move(title); }
  void SetXAxis(Axis axis) { x_ = std::move(axis); }
  void SetYAxis(Axis axis);
  // Makes the y axis categorical: one band per category, listed top to bottom. Marks then take the
  // band index as y (0 = top band; fractions place marks within a band, 0.5 being its centre).
  // `tooltips`, when not empty, gives one text per category, shown on hover over its label.
  void SetCategories(std::string label, std::vector<std::string> categories,
                     std::vector<std::string> tooltips = {});
  // Room for category labels, in pixels (default 90). A categorical chart widens it to its longest
  // label, up to 45 % of the chart's width; a label longer than that is shortened with an ellipsis
  // and keeps its full text as a tooltip.
  void SetLeftMargin(double pixels);

  void AddLine(const std::vector<Point>& points, const LineStyle& style);
  // `tooltips`, when not empty, gives one text per point (shown by the viewer on hover).
  void AddMarkers(const std::vector<Point>& points, const MarkerStyle& style,
                  const std::vector<std::string>& tooltips = {});
  // A horizontal bar from x = 0 (or the axis minimum when above 0) to `value` in band `category`.
  void AddBar(size_t category, double value, const std::string& color,
              const std::string& tooltip = "");
  // An error bar from lo to hi: horizontal at height y, or vertical at x when `vertical`.
  void AddErrorBar(double at, double lo, double hi, bool vertical, const std::string& color);
  void AddVerticalRule(double x, const std::string& color, bool dashed);
  void AddLegendEntry(const std::string& label, const std::string& color, bool dashed);
  enum class LegendCorner { kTopRight, kBottomRight, kTopLeft, kBottomLeft };
  void SetLegendCorner(LegendCorner corner) { legend_corner_ = corner; }
  // A note under the plot (e.g. "Shaded: 95 % interval"), wrapped at the chart's width; each line
  // after the first makes the chart taller.
  void SetNote(std::string note) { note_ = std::move(note); }

  std::string Render() const;

 private:
  double PlotLeft() const { return plot_left_; }
  void FitCategoryLabels();
  std::vector<std::string> NoteLines() const;
  // A category's label as SVG text content: escaped, shortened with a tooltip when it does not fit.
  std::string CategoryLabel(size_t i) const;
  double PlotRight() const;
  double PlotTop() const;
  double PlotBottom() const;
  double MapX(double x) const;
  double MapY(double y) const;
  void RenderAxes(std::string& out) const;
  void RenderLegend(std::string& out) const;
  // Each Draw* appends one mark, in SVG coordinates of the final layout, to `out`.
  void DrawLine(const std::vector<Point>& points, const LineStyle& style, std::string& out) const;
  void DrawMarkers(const std::vector<Point>& points, const MarkerStyle& style,
                   const std::vector<std::string>& tooltips, std::string& out) const;
  void DrawBar(size_t category, double value, const std::string& color, const std::string& tooltip,
               std::string& out) const;
  void DrawErrorBar(double at, double lo, double hi, bool vertical, const std::string& color,
                    std::string& out) const;
  void DrawVerticalRule(double x, const std::string& color, bool dashed, std::string& out) const;
  double LegendLeft() const;
  double LegendTop() const;

  struct LegendEntry {
    std::string label;
    std::string color;
    bool dashed;
  };

  double width_;
  double height_;
  double margin_left_ = 90;
  double plot_left_ =
      90;  // margin_left_, widened for category labels (SetCategories, SetLeftMargin)
  LegendCorner legend_corner_ = LegendCorner::kTopRight;
  std::string title_;
  std::string note_;
  Axis x_;
  Axis y_;
  bool categorical_ = false;
  std::vector<std::string> categories_;
  std::vector<std::string> category_tooltips_;  // empty, or one per category
  // Marks in insertion order, each rendering itself with the final layout (so that setting a title,
  // note or axis after adding marks still places them correctly).
  std::vector<std::function<void(const Chart&, std::string&)>> marks_;
  std::vector<LegendEntry> legend_;
};

// "Nice" tick values covering [min, max] (steps of 1, 2 or 5 times a power of ten), about `count`.
std::vector<double> NiceTicks(double min, double max, int count = 5);

}  // namespace vigil::report

#endif  // VIGIL_REPORT_SVG_H_
