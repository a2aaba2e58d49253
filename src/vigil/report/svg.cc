#include "vigil/report/svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace vigil::report {
namespace {

constexpr double kMarginRight = 16;
constexpr double kMarginTopWithTitle = 34;
constexpr double kMarginTop = 12;
constexpr double kMarginBottom = 48;
constexpr double kNoteHeight = 16;
constexpr double kTickLength = 5;
constexpr double kFontSize = 11;              // the <svg> element's font-size, which ticks inherit
constexpr double kCategoryGap = 8;            // between a category label and the plot area
constexpr double kLabelEdge = 4;              // between a category label and the chart's left edge
constexpr double kMaxCategoryShare = 0.45;    // of the chart's width, for category labels
constexpr char kEllipsis[] = "\xE2\x80\xA6";  // U+2026 in UTF-8
constexpr double kLegendRowHeight = 16;
constexpr double kLegendWidth = 170;
constexpr double kNoteLeft = 8;
constexpr double kNoteFontSize = 10;  // the report's .note style
constexpr double kNoteLineHeight = 13;
constexpr double kBarThickness = 0.6;  // fraction of a category band
constexpr double kErrorCap = 4;
constexpr size_t kPaletteSize = 7;
constexpr const char* kPalette[kPaletteSize] = {kBlue,   kOrange, kGreen, kVermillion,
                                                kPurple, kSky,    kBlack};

std::string TickLabel(double v, bool percent, double step) {
  if (percent) return fmt::format("{:.0f}%", v * 100);
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return fmt::format("{:.{}f}", std::abs(v) < step * 1e-9 ? 0.0 : v, decimals);
}

std::string DashAttr(bool dashed) { return dashed ? " stroke-dasharray=\"6 4\"" : ""; }

}  // namespace

const char* SeriesColor(size_t i) { return kPalette[i % kPaletteSize]; }

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Coord(double v) {
  std::string s = fmt::format("{:.2f}", v);
  return s == "-0.00" ? "0.00" : s;
}

std::vector<double> NiceTicks(double min, double max, int count) {
  if (!(max > min) || count < 1) return {min};
  const double raw = (max - min) / count;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / magnitude;
  const double step = (fraction < 1.5   ? 1
                       : fraction < 3.5 ? 2
                       : fraction < 7.5 ? 5
                                        : 10) *
                      magnitude;
  std::vector<double> ticks;
  // Integer multiples of the step, so that errors do not accumulate.
  for (double k = std::ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k += 1) {
    ticks.push_back(k == 0 ? 0.0 : k * step);
  }
  return ticks;
}

double EstimatedTextWidth(std::string_view text, double font_size) {
  // Advance widths in em, rounded up from DejaVu Sans (the widest of the usual sans-serif faces).
  double em = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) == 0x80) continue;  // UTF-8 continuation byte: counted with its lead byte
    if (c == ' ' || c == 'i' || c == 'l' || c == 'j' || c == '.' || c == ',' || c == ':' ||
        c == ';' || c == '\'' || c == '!' || c == '|' || c == 'I') {
      em += 0.34;
    } else if (c == 'f' || c == 't' || c == 'r' || c == '(' || c == ')' || c == '[' || c == ']' ||
               c == '-' || c == '/') {
      em += 0.42;
    } else if (c == 'm' || c == 'w' || c == 'M' || c == 'W' || c >= 0x80) {
      em += 0.98;
    } else if (c >= 'A' && c <= 'Z') {
      em += 0.75;
    } else {
      em += 0.64;  // digits, other lower-case letters, symbols
    }
  }
  return em * font_size;
}

Chart::Chart(double width, double height) : width_(width), height_(height) {}

void Chart::SetLeftMargin(double pixels) {
  margin_left_ = pixels;
  FitCategoryLabels();
}

void Chart::FitCategoryLabels() {
  plot_left_ = margin_left_;
  if (!categorical_) return;
  double widest = 0;
  for (const std::string& c : categories_) {
    widest = std::max(widest, EstimatedTextWidth(c, kFontSize));
  }
  plot_left_ = std::max(margin_left_,
                        std::min(widest + kCategoryGap + kLabelEdge, width_ * kMaxCategoryShare));
}

std::string Chart::CategoryLabel(size_t i) const {
  const std::string& category = categories_[i];
  // The hover text: the category's tooltip, unless it only repeats the label.
  std::string hover = i < category_tooltips_.size() ? category_tooltips_[i] : "";
  if (hover == category) hover.clear();
  auto title = [](const std::string& text) {
    return text.empty() ? "" : "<title>" + EscapeXml(text) + "</title>";
  };
  const double room = PlotLeft() - kCategoryGap - kLabelEdge;
  if (EstimatedTextWidth(category, kFontSize) <= room) return EscapeXml(category) + title(hover);
  // Shorten one character (not byte) at a time until the text and the ellipsis fit; the hover
  // text then starts with the whole label.
  std::string shown = category;
  while (!shown.empty() && EstimatedTextWidth(shown + kEllipsis, kFontSize) > room) {
    while (!shown.empty() && (static_cast<unsigned char>(shown.back()) & 0xC0) == 0x80) {
      shown.pop_back();
    }
    if (!shown.empty()) shown.pop_back();
  }
  while (!shown.empty() && shown.back() == ' ') shown.pop_back();
  return EscapeXml(shown) + kEllipsis +
         title(hover.empty() ? category : category + " (" + hover + ")");
}

void Chart::SetYAxis(Axis axis) {
  y_ = std::move(axis);
  categorical_ = false;
  FitCategoryLabels();
}

void Chart::SetCategories(std::string label, std::vector<std::string> categories,
                          std::vector<std::string> tooltips) {
  y_ = Axis{std::move(label), 0, static_cast<double>(std::max<size_t>(categories.size(), 1))};
  categories_ = std::move(categories);
  category_tooltips_ = std::move(tooltips);
  category_tooltips_.resize(categories_.empty() || category_tooltips_.empty() ? 0
                                                                              : categories_.size());
  categorical_ = true;
  FitCategoryLabels();
}

double Chart::PlotRight() const { return width_ - kMarginRight; }
double Chart::PlotTop() const { return title_.empty() ? kMarginTop : kMarginTopWithTitle; }
double Chart::PlotBottom() const {
  return height_ - kMarginBottom - (note_.empty() ? 0 : kNoteHeight);
}

double Chart::MapX(double x) const {
  const double span = x_.max - x_.min;
  return PlotLeft() + (span > 0 ? (x - x_.min) / span : 0.5) * (PlotRight() - PlotLeft());
}

double Chart::MapY(double y) const {
  const double span = y_.max - y_.min;
  if (categorical_) return PlotTop() + (y / span) * (PlotBottom() - PlotTop());
  return PlotBottom() - (span > 0 ? (y - y_.min) / span : 0.5) * (PlotBottom() - PlotTop());
}

void Chart::AddLine(const std::vector<Point>& points, const LineStyle& style) {
  if (points.empty()) return;
  marks_.push_back(
      [points, style](const Chart& c, std::string& out) { c.DrawLine(points, style, out); });
  if (!style.legend.empty()) AddLegendEntry(style.legend, style.color, style.dashed);
}

void Chart::DrawLine(const std::vector<Point>& points, const LineStyle& style,
                     std::string& out) const {
  std::string d;
  for (size_t i = 0; i < points.size(); ++i) {
    if (i > 0 && style.step) {
      d += " L" + Coord(MapX(points[i].x)) + "," + Coord(MapY(points[i - 1].y));
    }
    d += (i == 0 ? "M" : " L") + Coord(MapX(points[i].x)) + "," + Coord(MapY(points[i].y));
  }
  out += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + EscapeXml(style.color) +
         "\" stroke-width=\"" + Coord(style.width) + "\"" + DashAttr(style.dashed) + "/>\n";
}

void Chart::AddMarkers(const std::vector<Point>& points, const MarkerStyle& style,
                       const std::vector<std::string>& tooltips) {
  marks_.push_back([points, style, tooltips](const Chart& c, std::string& out) {
    c.DrawMarkers(points, style, tooltips, out);
  });
  if (!style.legend.empty()) AddLegendEntry(style.legend, style.color, false);
}

void Chart::DrawMarkers(const std::vector<Point>& points, const MarkerStyle& style,
                        const std::vector<std::string>& tooltips, std::string& out) const {
  for (size_t i = 0; i < points.size(); ++i) {
    out += "<circle cx=\"" + Coord(MapX(points[i].x)) + "\" cy=\"" + Coord(MapY(points[i].y)) +
           "\" r=\"" + Coord(style.radius) + "\" fill=\"" + EscapeXml(style.color) + "\"";
    if (style.opacity < 1) out += " fill-opacity=\"" + Coord(style.opacity) + "\"";
    if (i < tooltips.size() && !tooltips[i].empty()) {
      out += "><title>" + EscapeXml(tooltips[i]) + "</title></circle>\n";
    } else {
      out += "/>\n";
    }
  }
}

void Chart::AddBar(size_t category, double value, const std::string& color,
                   const std::string& tooltip) {
  marks_.push_back(
      [=](const Chart& c, std::string& out) { c.DrawBar(category, value, color, tooltip, out); });
}

void Chart::DrawBar(size_t category, double value, const std::string& color,
                    const std::string& tooltip, std::string& out) const {
  const double base = std::max(x_.min, 0.0);
  const double x0 = MapX(std::min(base, value));
  const double x1 = MapX(std::max(base, value));
  const double y0 = MapY(category + (1 - kBarThickness) / 2);
  const double y1 = MapY(category + (1 + kBarThickness) / 2);
  out += "<rect x=\"" + Coord(x0) + "\" y=\"" + Coord(y0) + "\" width=\"" + Coord(x1 - x0) +
         "\" height=\"" + Coord(y1 - y0) + "\" fill=\"" + EscapeXml(color) + "\"";
  out += tooltip.empty() ? "/>\n" : "><title>" + EscapeXml(tooltip) + "</title></rect>\n";
}

void Chart::AddErrorBar(double at, double lo, double hi, bool vertical, const std::string& color) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return;
  marks_.push_back(
      [=](const Chart& c, std::string& out) { c.DrawErrorBar(at, lo, hi, vertical, color, out); });
}

void Chart::DrawErrorBar(double at, double lo, double hi, bool vertical, const std::string& color,
                         std::string& out) const {
  const std::string stroke = "\" stroke=\"" + EscapeXml(color) + "\" stroke-width=\"1.5\"/>\n";
  auto line = [&](double x1, double y1, double x2, double y2) {
    out += "<line x1=\"" + Coord(x1) + "\" y1=\"" + Coord(y1) + "\" x2=\"" + Coord(x2) +
           "\" y2=\"" + Coord(y2) + stroke;
  };
  if (vertical) {
    const double x = MapX(at);
    line(x, MapY(lo), x, MapY(hi));
    line(x - kErrorCap, MapY(lo), x + kErrorCap, MapY(lo));
    line(x - kErrorCap, MapY(hi), x + kErrorCap, MapY(hi));
  } else {
    const double y = MapY(at);
    line(MapX(lo), y, MapX(hi), y);
    line(MapX(lo), y - kErrorCap, MapX(lo), y + kErrorCap);
    line(MapX(hi), y - kErrorCap, MapX(hi), y + kErrorCap);
  }
}

void Chart::AddVerticalRule(double x, const std::string& color, bool dashed) {
  marks_.push_back(
      [=](const Chart& c, std::string& out) { c.DrawVerticalRule(x, color, dashed, out); });
}

void Chart::DrawVerticalRule(double x, const std::string& color, bool dashed,
                             std::string& out) const {
  out += "<line x1=\"" + Coord(MapX(x)) + "\" y1=\"" + Coord(PlotTop()) + "\" x2=\"" +
         Coord(MapX(x)) + "\" y2=\"" + Coord(PlotBottom()) + "\" stroke=\"" + EscapeXml(color) +
         "\" stroke-width=\"1\"" + DashAttr(dashed) + "/>\n";
}

void Chart::AddLegendEntry(const std::string& label, const std::string& color, bool dashed) {
  legend_.push_back({label, color, dashed});
}

void Chart::RenderAxes(std::string& out) const {
  const std::string axis_style = "\" stroke=\"#444\" stroke-width=\"1\"/>\n";
  // Frame of the plot area: left and bottom axes.
  out += "<line x1=\"" + Coord(PlotLeft()) + "\" y1=\"" + Coord(PlotBottom()) + "\" x2=\"" +
         Coord(PlotRight()) + "\" y2=\"" + Coord(PlotBottom()) + axis_style;
  out += "<line x1=\"" + Coord(PlotLeft()) + "\" y1=\"" + Coord(PlotTop()) + "\" x2=\"" +
         Coord(PlotLeft()) + "\" y2=\"" + Coord(PlotBottom()) + axis_style;
  const std::vector<double> xt = NiceTicks(x_.min, x_.max);
  const double xstep = xt.size() > 1 ? xt[1] - xt[0] : 1;
  for (double t : xt) {
    const std::string x = Coord(MapX(t));
    out += "<line x1=\"" + x + "\" y1=\"" + Coord(PlotTop()) + "\" x2=\"" + x + "\" y2=\"" +
           Coord(PlotBottom()) + "\" stroke=\"#e5e5e5\" stroke-width=\"1\"/>\n";
    out += "<line x1=\"" + x + "\" y1=\"" + Coord(PlotBottom()) + "\" x2=\"" + x + "\" y2=\"" +
           Coord(PlotBottom() + kTickLength) + axis_style;
    out += "<text x=\"" + x + "\" y=\"" + Coord(PlotBottom() + 18) +
           "\" text-anchor=\"middle\" class=\"tick\">" +
           EscapeXml(TickLabel(t, x_.percent, xstep)) + "</text>\n";
  }
  out += "<text x=\"" + Coord((PlotLeft() + PlotRight()) / 2) + "\" y=\"" +
         Coord(PlotBottom() + 38) + "\" text-anchor=\"middle\" class=\"axis-label\">" +
         EscapeXml(x_.label) + "</text>\n";
  if (categorical_) {
    for (size_t i = 0; i < categories_.size(); ++i) {
      out += "<text x=\"" + Coord(PlotLeft() - kCategoryGap) + "\" y=\"" +
             Coord(MapY(i + 0.5) + 4) + "\" text-anchor=\"end\" class=\"tick\">" +
             CategoryLabel(i) + "</text>\n";
    }
  } else {
    const std::vector<double> yt = NiceTicks(y_.min, y_.max);
    const double ystep = yt.size() > 1 ? yt[1] - yt[0] : 1;
    for (double t : yt) {
      const std::string y = Coord(MapY(t));
      out += "<line x1=\"" + Coord(PlotLeft()) + "\" y1=\"" + y + "\" x2=\"" + Coord(PlotRight()) +
             "\" y2=\"" + y + "\" stroke=\"#e5e5e5\" stroke-width=\"1\"/>\n";
      out += "<line x1=\"" + Coord(PlotLeft() - kTickLength) + "\" y1=\"" + y + "\" x2=\"" +
             Coord(PlotLeft()) + "\" y2=\"" + y + axis_style;
      out += "<text x=\"" + Coord(PlotLeft() - 8) + "\" y=\"" + Coord(MapY(t) + 4) +
             "\" text-anchor=\"end\" class=\"tick\">" + EscapeXml(TickLabel(t, y_.percent, ystep)) +
             "</text>\n";
    }
  }
  const double cy = (PlotTop() + PlotBottom()) / 2;
  out += "<text x=\"14\" y=\"" + Coord(cy) +
         "\" text-anchor=\"middle\" transform=\"rotate(-90 14 " + Coord(cy) +
         ")\" class=\"axis-label\">" + EscapeXml(y_.label) + "</text>\n";
}

double Chart::LegendLeft() const {
  const bool left =
      legend_corner_ == LegendCorner::kTopLeft || legend_corner_ == LegendCorner::kBottomLeft;
  return left ? PlotLeft() + 8 : PlotRight() - kLegendWidth - 4;
}

double Chart::LegendTop() const {
  const bool bottom =
      legend_corner_ == LegendCorner::kBottomRight || legend_corner_ == LegendCorner::kBottomLeft;
  if (!bottom) return PlotTop() + 4;
  return PlotBottom() - 4 - (kLegendRowHeight * legend_.size() + 6);
}

void Chart::RenderLegend(std::string& out) const {
  out += "<rect x=\"" + Coord(LegendLeft()) + "\" y=\"" + Coord(LegendTop()) + "\" width=\"" +
         Coord(kLegendWidth) + "\" height=\"" + Coord(kLegendRowHeight * legend_.size() + 6) +
         "\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#cccccc\"/>\n";
  double y = LegendTop() + 12;
  const double x = LegendLeft() + 6;
  for (const LegendEntry& e : legend_) {
    out += "<line x1=\"" + Coord(x) + "\" y1=\"" + Coord(y) + "\" x2=\"" + Coord(x + 22) +
           "\" y2=\"" + Coord(y) + "\" stroke=\"" + EscapeXml(e.color) + "\" stroke-width=\"3\"" +
           DashAttr(e.dashed) + "/>\n";
    out += "<text x=\"" + Coord(x + 28) + "\" y=\"" + Coord(y + 4) + "\" class=\"legend\">" +
           EscapeXml(e.label) + "</text>\n";
    y += kLegendRowHeight;
  }
}

std::vector<std::string> Chart::NoteLines() const {
  std::vector<std::string> lines;
  const double room = width_ - 2 * kNoteLeft;
  size_t start = 0;
  while (start < note_.size()) {
    // The longest run of whole words that fits (a single word too long for a line is kept whole).
    size_t end = note_.size();
    while (EstimatedTextWidth(std::string_view(note_).substr(start, end - start), kNoteFontSize) >
           room) {
      const size_t space = note_.rfind(' ', end - 1);
      if (space == std::string::npos || space <= start) break;
      end = space;
    }
    lines.push_back(note_.substr(start, end - start));
    start = end;
    while (start < note_.size() && note_[start] == ' ') ++start;
  }
  return lines;
}

std::string Chart::Render() const {
  const std::vector<std::string> note_lines = NoteLines();
  // A note of several lines makes the chart taller; the plot keeps its size.
  const double height =
      height_ + kNoteLineHeight * static_cast<double>(std::max<size_t>(note_lines.size(), 1) - 1);
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"" +
                    Coord(width_) + "\" height=\"" + Coord(height) + "\" viewBox=\"0 0 " +
                    Coord(width_) + " " + Coord(height) +
                    "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\" role=\"img\" "
                    "aria-label=\"" +
                    EscapeXml(title_) + "\">\n";
  out += "<rect x=\"0\" y=\"0\" width=\"" + Coord(width_) + "\" height=\"" + Coord(height) +
         "\" fill=\"#ffffff\"/>\n";
  if (!title_.empty()) {
    out += "<text x=\"" + Coord(PlotLeft()) + "\" y=\"20\" class=\"chart-title\">" +
           EscapeXml(title_) + "</text>\n";
  }
  RenderAxes(out);
  for (const auto& mark : marks_) mark(*this, out);
  if (!legend_.empty()) RenderLegend(out);
  for (size_t i = 0; i < note_lines.size(); ++i) {
    out += "<text x=\"" + Coord(kNoteLeft) + "\" y=\"" +
           Coord(height_ - 6 + kNoteLineHeight * static_cast<double>(i)) + "\" class=\"note\">" +
           EscapeXml(note_lines[i]) + "</text>\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace vigil::report
