#include "vigil/report/svg.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "vigil/report/shap.h"

namespace vigil::report {
namespace {

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

TEST(SvgTest, EscapesEveryXmlSpecialCharacter) {
  EXPECT_EQ(EscapeXml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(EscapeXml("plain"), "plain");
}

TEST(SvgTest, Coordinates) {
  EXPECT_EQ(Coord(1.005), "1.00");  // binary 1.005 is just below
  EXPECT_EQ(Coord(-0.001), "0.00");
  EXPECT_EQ(Coord(12.5), "12.50");
}

TEST(SvgTest, NiceTicks) {
  const std::vector<double> unit = NiceTicks(0, 1);
  const std::vector<double> expected = {0, 0.2, 0.4, 0.6, 0.8, 1.0};
  ASSERT_EQ(unit.size(), expected.size());
  for (size_t i = 0; i < unit.size(); ++i) EXPECT_NEAR(unit[i], expected[i], 1e-12);
  EXPECT_EQ(NiceTicks(0, 0.3).size(), 7u);  // 0, 0.05, ..., 0.3
  const auto t = NiceTicks(-0.07, 0.25);
  EXPECT_DOUBLE_EQ(t.front(), -0.05);
  EXPECT_DOUBLE_EQ(t.back(), 0.25);
  EXPECT_EQ(NiceTicks(1, 1), (std::vector<double>{1}));
}

TEST(SvgTest, ChartTextIsEscapedAndMarksAreDrawn) {
  Chart c(400, 300);
  c.SetTitle("<script>alert(1)</script>");
  c.SetXAxis({"x & y", 0, 1});
  c.SetYAxis({"\"quoted\"", 0, 1});
  c.AddLine({{0, 0}, {0.5, 0.7}, {1, 1}}, {.color = kBlue, .legend = "Model <A>"});
  c.AddMarkers({{0.2, 0.3}, {0.4, 0.5}}, {.color = kOrange, .legend = ""}, {"tip <1>", ""});
  c.AddErrorBar(0.2, 0.1, 0.4, /*vertical=*/true, kOrange);
  c.SetNote("n < 10");
  const std::string svg = c.Render();
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("x &amp; y"), std::string::npos);
  EXPECT_NE(svg.find("Model &lt;A&gt;"), std::string::npos);
  EXPECT_NE(svg.find("<title>tip &lt;1&gt;</title>"), std::string::npos);
  EXPECT_EQ(CountOf(svg, "<circle"), 2u);
  EXPECT_EQ(CountOf(svg, "<path"), 1u);
  EXPECT_EQ(CountOf(svg, "<svg"), 1u);
  EXPECT_EQ(CountOf(svg, "</svg>"), 1u);
  // Data coordinates map into the plot area: (0, 0) is at the bottom-left corner.
  EXPECT_NE(svg.find("M90.00,"), std::string::npos);
}

TEST(SvgTest, CategoricalBarsAndStepLines) {
  Chart c(600, 200);
  c.SetXAxis({"value", 0, 2});
  c.SetCategories("", {"first", "second"});
  c.AddBar(0, 1.0, kBlue, "one");
  c.AddBar(1, 2.0, kBlue);
  c.AddLine({{0, 0.5}, {1, 1.5}}, {.color = kGreen, .step = true, .legend = ""});
  const std::string svg = c.Render();
  EXPECT_EQ(CountOf(svg, "<rect"), 3u);  // background + 2 bars
  EXPECT_NE(svg.find(">first</text>"), std::string::npos);
  // A step line goes horizontally first: M a,b L c,b L c,d.
  const size_t path = svg.find("<path d=\"M");
  ASSERT_NE(path, std::string::npos);
  EXPECT_EQ(CountOf(svg.substr(path, svg.find("\"", path + 9) - path), " L"), 2u);
}

TEST(SvgTest, TextWidthEstimateGrowsWithTheText) {
  EXPECT_EQ(EstimatedTextWidth("", 11), 0);
  EXPECT_LT(EstimatedTextWidth("iiii", 11), EstimatedTextWidth("mmmm", 11));
  EXPECT_DOUBLE_EQ(EstimatedTextWidth("ab", 22), 2 * EstimatedTextWidth("ab", 11));
  // A multi-byte character counts once: "\xC3\xA9" (e acute) is one character, not two.
  EXPECT_DOUBLE_EQ(EstimatedTextWidth("\xC3\xA9", 11), EstimatedTextWidth("\xE2\x80\xA6", 11));
}

// The x coordinate of the plot's left edge: where the x axis line starts.
double PlotLeftOf(const std::string& svg) {
  const size_t at = svg.find("<line x1=\"");
  if (at == std::string::npos) return -1;
  return std::stod(svg.substr(at + 10));
}

TEST(SvgTest, CategoryLabelsWidenTheMarginOrAreShortened) {
  const std::string short_label = "sex: female (n=803)";
  const std::string long_label = "ethnicity: Not Hispanic or Latino (n=1298)";
  const std::string huge_label(200, 'w');
  auto render = [](std::vector<std::string> categories) {
    Chart c(720, 200);
    c.SetLeftMargin(200);
    c.SetXAxis({"AUROC", 0, 1});
    c.SetCategories("", std::move(categories));
    return c.Render();
  };
  // Short labels keep the margin asked for.
  const std::string a = render({short_label});
  EXPECT_DOUBLE_EQ(PlotLeftOf(a), 200);
  EXPECT_NE(a.find(">" + short_label + "</text>"), std::string::npos);
  // A longer label widens it so that the whole label fits between the chart's edge and the axis.
  const std::string b = render({short_label, long_label});
  EXPECT_GE(PlotLeftOf(b), EstimatedTextWidth(long_label, 11) + 8);
  EXPECT_NE(b.find(">" + long_label + "</text>"), std::string::npos);
  // One too long for 45 % of the width is shortened with an ellipsis; its tooltip has it whole.
  const std::string c = render({short_label, huge_label});
  EXPECT_DOUBLE_EQ(PlotLeftOf(c), 720 * 0.45);
  EXPECT_EQ(c.find(">" + huge_label + "</text>"), std::string::npos);
  EXPECT_NE(c.find("\xE2\x80\xA6<title>" + huge_label + "</title></text>"), std::string::npos);
  const size_t start = c.find(">www");
  ASSERT_NE(start, std::string::npos);
  const std::string shown = c.substr(start + 1, c.find("\xE2\x80\xA6", start) - start - 1);
  EXPECT_LE(EstimatedTextWidth(shown + "\xE2\x80\xA6", 11), 720 * 0.45 - 8);
  EXPECT_GT(shown.size(), 10u);
}

TEST(SvgTest, LongNotesWrapAndMakeTheChartTaller) {
  auto render = [](const std::string& note) {
    Chart c(300, 200);
    c.SetXAxis({"x", 0, 1});
    c.SetYAxis({"y", 0, 1});
    c.SetNote(note);
    return c.Render();
  };
  const std::string one = render("Short note.");
  EXPECT_EQ(CountOf(one, "class=\"note\""), 1u);
  EXPECT_NE(one.find("height=\"200.00\""), std::string::npos);
  std::string long_note;
  for (int i = 0; i < 40; ++i) long_note += "word" + std::to_string(i) + " ";
  long_note += "end.";
  const std::string many = render(long_note);
  const size_t lines = CountOf(many, "class=\"note\"");
  EXPECT_GE(lines, 3u);
  EXPECT_NE(many.find(fmt::format("height=\"{:.2f}\"", 200 + 13.0 * (lines - 1))),
            std::string::npos);
  // Every word is kept, in order, and each line fits the width.
  std::string joined;
  for (size_t at = many.find("class=\"note\">"); at != std::string::npos;
       at = many.find("class=\"note\">", at + 1)) {
    const size_t begin = at + 13, end = many.find("</text>", begin);
    const std::string line = many.substr(begin, end - begin);
    EXPECT_LE(EstimatedTextWidth(line, 10), 300 - 16) << line;
    joined += (joined.empty() ? "" : " ") + line;
  }
  EXPECT_EQ(joined, long_note);
}

TEST(SvgTest, CategoryTooltips) {
  Chart c(720, 200);
  c.SetXAxis({"x", 0, 1});
  c.SetCategories("", {"Heart rate, latest", "same"}, {"LOINC/8867-4.last", "same"});
  const std::string svg = c.Render();
  EXPECT_NE(svg.find(">Heart rate, latest<title>LOINC/8867-4.last</title></text>"),
            std::string::npos);
  // A tooltip that only repeats the label is left out.
  EXPECT_NE(svg.find(">same</text>"), std::string::npos);
}

TEST(ShapTest, RanksFeaturesByMeanAbsoluteContribution) {
  ShapInput in;
  in.names = {"a", "b", "c"};
  // Rows: contributions (a, b, c).
  in.contributions = {0.1f,  -2.0f, 0.5f,  //
                      -0.3f, 1.0f,  0.5f};
  in.values = {1, 5, 0, 2, 6, std::nanf("")};
  const auto s = SummarizeShap(in, 2, 10);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->rows, 2u);
  ASSERT_EQ(s->features.size(), 2u);
  EXPECT_EQ(s->features[0].name, "b");
  EXPECT_DOUBLE_EQ(s->features[0].mean_abs, 1.5);
  EXPECT_EQ(s->features[1].name, "c");
  ASSERT_EQ(s->features[0].dots.size(), 2u);
  EXPECT_DOUBLE_EQ(s->features[0].dots[0].value_rank, 0.0);
  EXPECT_DOUBLE_EQ(s->features[0].dots[1].value_rank, 1.0);
  EXPECT_TRUE(std::isnan(s->features[1].dots[1].value_rank));
  EXPECT_FLOAT_EQ(s->min_contribution, -2.0f);
  EXPECT_FLOAT_EQ(s->max_contribution, 1.0f);
  // Display names replace the names shown; the column names stay with them.
  in.display_names = {"A", "B", "C"};
  const auto named = SummarizeShap(in, 2, 10);
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  EXPECT_EQ(named->features[0].name, "B");
  EXPECT_EQ(named->features[0].column, "b");
  EXPECT_EQ(named->features[1].name, "C");
  EXPECT_EQ(named->features[1].column, "c");
}

TEST(ShapTest, SamplesRowsAndSpreadsCrowdedDots) {
  ShapInput in;
  in.names = {"x"};
  for (int r = 0; r < 1000; ++r) {
    in.contributions.push_back(r % 2 ? 0.5f : -0.5f);
    in.values.push_back(static_cast<float>(r));
  }
  const auto s = SummarizeShap(in, 5, 100);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->features[0].dots.size(), 100u);
  double lo = 0, hi = 0;
  for (const ShapDot& d : s->features[0].dots) {
    lo = std::min(lo, d.offset);
    hi = std::max(hi, d.offset);
  }
  EXPECT_LT(lo, -0.3);
  EXPECT_GT(hi, 0.3);
  EXPECT_LE(hi, 0.5);
  EXPECT_GE(lo, -0.5);
}

TEST(ShapTest, RejectsMismatchedMatrices) {
  ShapInput in;
  in.names = {"a", "b"};
  in.contributions = {1, 2, 3};
  in.values = {1, 2, 3};
  EXPECT_FALSE(SummarizeShap(in).ok());
  in.contributions = {1, 2};
  in.values = {1};
  EXPECT_FALSE(SummarizeShap(in).ok());
  in.values = {1, 2};
  in.display_names = {"only one"};
  EXPECT_FALSE(SummarizeShap(in).ok());
  EXPECT_FALSE(SummarizeShap(ShapInput{}).ok());
}

}  // namespace
}  // namespace vigil::report
