#include "vigil/report/report.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>

#include "vigil/base/file.h"
#include "vigil/report/charts.h"
#include "vigil/report/sample_for_test.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::report {
namespace {

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

class ReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    evaluation_ = new evaluate::Evaluation(testing::SampleEvaluation());
    auto shap = SummarizeShap(testing::SampleShapInput());
    ASSERT_TRUE(shap.ok());
    shap_ = new ShapSummary(*shap);
  }
  static void TearDownTestSuite() {
    delete evaluation_;
    delete shap_;
  }
  static evaluate::Evaluation* evaluation_;
  static ShapSummary* shap_;
};
evaluate::Evaluation* ReportTest::evaluation_ = nullptr;
ShapSummary* ReportTest::shap_ = nullptr;

// Every y coordinate of the chart's lines (<path d="M x,y L x,y ...">), in SVG units (down is up).
std::vector<std::vector<double>> PathYs(const std::string& svg) {
  std::vector<std::vector<double>> out;
  for (size_t at = svg.find("<path d=\""); at != std::string::npos;
       at = svg.find("<path d=\"", at + 1)) {
    const size_t begin = at + 9, end = svg.find('"', begin);
    const std::string d = svg.substr(begin, end - begin);
    std::vector<double> ys;
    for (size_t comma = d.find(','); comma != std::string::npos; comma = d.find(',', comma + 1)) {
      ys.push_back(std::stod(d.substr(comma + 1)));
    }
    out.push_back(ys);
  }
  return out;
}

TEST_F(ReportTest, DecisionCurvesEndAtTheFloorInsteadOfRunningAlongIt) {
  const std::string svg = DecisionChart(*evaluation_, 0.9);
  // The plot's bottom: the x axis, the chart's first line.
  const size_t axis = svg.find("<line x1=\"");
  ASSERT_NE(axis, std::string::npos);
  const double bottom = std::stod(svg.substr(svg.find("y1=\"", axis) + 4));
  const auto paths = PathYs(svg);
  ASSERT_GE(paths.size(), 3u);
  size_t ending_at_floor = 0, on_floor = 0;
  for (const auto& ys : paths) {
    for (double y : ys) EXPECT_LE(y, bottom + 0.01);
    for (double y : ys) on_floor += std::abs(y - bottom) < 0.01;
    ending_at_floor += std::abs(ys.back() - bottom) < 0.01;
  }
  // Treating everyone falls below -prevalence by a 90 % threshold: its line ends on the floor,
  // at one point, rather than running along it.
  EXPECT_GE(ending_at_floor, 1u);
  EXPECT_EQ(on_floor, ending_at_floor);
  // One legend entry per curve, however many parts it has.
  EXPECT_EQ(CountOf(svg, ">Alert everyone</text>"), 1u);
  EXPECT_EQ(CountOf(svg, ">Model</text>"), 1u);
}

TEST_F(ReportTest, SampleEvaluationHasWhatTheReportShows) {
  EXPECT_EQ(evaluation_->overall.counts.patients, 300);
  EXPECT_EQ(evaluation_->baselines.size(), 2u);
  EXPECT_GE(evaluation_->subgroups.size(), 6u);
  bool ward_flagged = false;
  for (const auto& s : evaluation_->subgroups)
    ward_flagged |= s.level == "ward" && !s.flags.empty();
  EXPECT_TRUE(ward_flagged);
}

TEST_F(ReportTest, HasEverySectionAndChart) {
  const std::string html = RenderReport(testing::SampleCard(), *evaluation_, shap_);
  for (const char* heading :
       {"At a glance", "Model card", "Discrimination", "Calibration", "Clinical usefulness",
        "Compared with established scores", "Subgroups", "Explanation", "Methods"}) {
    EXPECT_NE(html.find(heading), std::string::npos) << heading;
  }
  // ROC, PR, reliability, decision, 3 forest plots, SHAP bars and beeswarm.
  EXPECT_EQ(CountOf(html, "<svg "), 9u);
  EXPECT_NE(html.find("NEWS2"), std::string::npos);
  EXPECT_NE(html.find("qSOFA"), std::string::npos);
  EXPECT_NE(html.find("class=\"flag\""), std::string::npos);
  EXPECT_NE(html.find("Not stated."), std::string::npos);  // the card's missing cohort text
}

TEST_F(ReportTest, IsSelfContainedAndEscaped) {
  const std::string html = RenderReport(testing::SampleCard(), *evaluation_, shap_);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  // The only URIs are XML namespace names, which are never fetched.
  EXPECT_EQ(CountOf(html, "http"), CountOf(html, "xmlns=\"http://www.w3.org/"));
  // Card text is escaped.
  EXPECT_NE(html.find("test &amp; &lt;sample&gt;"), std::string::npos);
  EXPECT_NE(html.find("Age &lt;years&gt;"), std::string::npos);
  // Aggregates only: no subject identifier from the rows appears.
  EXPECT_EQ(html.find("patient-1"), std::string::npos);
}

TEST_F(ReportTest, RendersWithoutBaselinesSubgroupsOrShap) {
  evaluate::Evaluation bare = *evaluation_;
  bare.baselines.clear();
  bare.subgroups.clear();
  const std::string html = RenderReport(ModelCard{}, bare, nullptr);
  EXPECT_NE(html.find("No explanation (SHAP values) was supplied"), std::string::npos);
  EXPECT_EQ(html.find("Compared with established scores"), std::string::npos);
  EXPECT_EQ(CountOf(html, "<svg "), 4u);
  EXPECT_NE(html.find("<title>Model report</title>"), std::string::npos);
}

TEST_F(ReportTest, AutomaticLimitationsNameFlaggedAndSmallSubgroups) {
  const auto limits = AutomaticLimitations(*evaluation_);
  bool ward = false;
  for (const std::string& l : limits)
    ward |= l.find("Flagged subgroup unit ward") != std::string::npos;
  EXPECT_TRUE(ward);
  evaluate::Evaluation small = *evaluation_;
  small.subgroups[0].enough_data = false;
  small.subgroups[0].flags.clear();
  small.subgroups[0].metrics.counts.patients = 1;
  small.subgroups[0].metrics.counts.positive_patients = 1;
  bool too_few = false;
  for (const std::string& l : AutomaticLimitations(small)) {
    // Why too few: the patients with the outcome, in the singular where there is one.
    too_few |= l.find("Too few patients") != std::string::npos &&
               l.find("(1 patient, 1 with the outcome).") != std::string::npos;
  }
  EXPECT_TRUE(too_few);
  EXPECT_NE(RenderReport(ModelCard{}, small, nullptr)
                .find("too few patients to judge (1 of 1 with the outcome)"),
            std::string::npos);
}

TEST_F(ReportTest, GlanceReportsASignificantHosmerLemeshowTest) {
  evaluate::Evaluation ev = *evaluation_;
  const std::string kSentence = "The Hosmer-Lemeshow test finds observed and predicted risks apart";
  ev.overall.calibration.hosmer_lemeshow.p_value = 0.5;
  EXPECT_EQ(RenderReport(ModelCard{}, ev, nullptr).find(kSentence), std::string::npos);
  ev.overall.calibration.hosmer_lemeshow.p_value = 1e-5;
  const std::string html = RenderReport(ModelCard{}, ev, nullptr);
  EXPECT_NE(html.find(kSentence + " in some tenths of risk (p &lt; 0.001)"), std::string::npos);
}

// The glance gives a calibration verdict only where an interval supports it: without intervals
// (no bootstrap) or with an undefined slope it states the figures and says it cannot judge, and a
// slope far from 1 whose interval includes 1 is called too uncertain, not a match.
TEST_F(ReportTest, GlanceJudgesCalibrationOnlyWithEvidence) {
  const std::string kMatches = "The spread of its predictions matches";
  const std::string kAgree = "Predicted and observed risks do not clearly differ on average";
  evaluate::Evaluation ev = *evaluation_;
  auto& c = ev.overall.calibration;
  c.intercept = {0.01, -0.2, 0.2};
  c.slope = {1.0, 0.8, 1.2};
  std::string html = RenderReport(ModelCard{}, ev, nullptr);
  EXPECT_NE(html.find(kMatches), std::string::npos);
  EXPECT_NE(html.find(kAgree), std::string::npos);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  c.intercept = {0.9, nan, nan};
  c.slope = {2.46, nan, nan};
  html = RenderReport(ModelCard{}, ev, nullptr);
  EXPECT_EQ(html.find(kMatches), std::string::npos);
  EXPECT_EQ(html.find(kAgree), std::string::npos);
  EXPECT_NE(html.find("cannot be judged without an interval (calibration slope 2.46)"),
            std::string::npos);
  c.slope = {nan, nan, nan};
  html = RenderReport(ModelCard{}, ev, nullptr);
  EXPECT_NE(html.find("the calibration slope is undefined"), std::string::npos);
  c.slope = {0.72, -5.43, 2.69};
  html = RenderReport(ModelCard{}, ev, nullptr);
  EXPECT_EQ(html.find(kMatches), std::string::npos);
  EXPECT_NE(html.find("too small to tell it apart from 1"), std::string::npos);
}

TEST_F(ReportTest, WriteReportWritesTheFile) {
  vigil::testing::TempDir dir;
  const auto path = dir.path() / "report.html";
  ASSERT_TRUE(WriteReport(path, testing::SampleCard(), *evaluation_, shap_).ok());
  const auto text = base::ReadFile(path);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, RenderReport(testing::SampleCard(), *evaluation_, shap_));
}

// Runs `command` through the shell; returns its exit status.
int RunShell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ChromiumCommand(const std::filesystem::path& profile) {
  return "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
         "--disable-background-networking --disable-component-update --disable-sync "
         "--no-first-run --disable-extensions --user-data-dir='" +
         profile.string() + "' --enable-logging=stderr --v=0 ";
}

// The report must render in headless Chromium: the DOM holds every chart, the console stays silent
// (the page has no script, so any console message is an error such as a blocked load), the XHTML
// parse (strict XML) has no error, and a screenshot is produced. Skips when Chromium is absent
// (scripts/setup.sh installs it). Set VIGIL_REPORT_SAMPLE_DIR to keep the sample report and PNG.
TEST_F(ReportTest, RendersInHeadlessChromium) {
  if (!std::filesystem::exists("/usr/bin/chromium")) {
    GTEST_SKIP() << "Chromium is not installed (/usr/bin/chromium); scripts/setup.sh installs it";
  }
  vigil::testing::TempDir dir;
  const std::string html = RenderReport(testing::SampleCard(), *evaluation_, shap_);
  ASSERT_TRUE(base::WriteFileAtomically(dir.path() / "report.html", html).ok());
  ASSERT_TRUE(base::WriteFileAtomically(dir.path() / "report.xhtml", html).ok());
  const std::string d = dir.path().string();

  ASSERT_EQ(RunShell(ChromiumCommand(dir.path() / "p1") + "--dump-dom 'file://" + d +
                     "/report.html' > '" + d + "/dom.html' 2> '" + d + "/log.txt'"),
            0);
  const auto dom = base::ReadFile(dir.path() / "dom.html");
  const auto log = base::ReadFile(dir.path() / "log.txt");
  ASSERT_TRUE(dom.ok() && log.ok());
  EXPECT_EQ(CountOf(*dom, "<svg "), 9u);
  EXPECT_NE(dom->find("At a glance"), std::string::npos);
  EXPECT_EQ(log->find("CONSOLE"), std::string::npos) << *log;
  EXPECT_EQ(log->find("Uncaught"), std::string::npos) << *log;
  EXPECT_EQ(log->find("Failed to load"), std::string::npos) << *log;

  ASSERT_EQ(RunShell(ChromiumCommand(dir.path() / "p2") + "--dump-dom 'file://" + d +
                     "/report.xhtml' > '" + d + "/xdom.html' 2> /dev/null"),
            0);
  const auto xdom = base::ReadFile(dir.path() / "xdom.html");
  ASSERT_TRUE(xdom.ok());
  EXPECT_EQ(xdom->find("parsererror"), std::string::npos) << "the report is not well-formed XML";
  EXPECT_EQ(CountOf(*xdom, "<svg "), 9u);

  ASSERT_EQ(RunShell(ChromiumCommand(dir.path() / "p3") +
                     "--hide-scrollbars --window-size=1100,7000 "
                     "--screenshot='" +
                     d + "/report.png' 'file://" + d + "/report.html' 2> /dev/null"),
            0);
  ASSERT_TRUE(std::filesystem::exists(dir.path() / "report.png"));
  EXPECT_GT(std::filesystem::file_size(dir.path() / "report.png"), 10000u);
  if (const char* keep = std::getenv("VIGIL_REPORT_SAMPLE_DIR")) {
    std::filesystem::create_directories(keep);
    for (const char* name : {"report.html", "report.png"}) {
      std::filesystem::copy_file(dir.path() / name, std::filesystem::path(keep) / name,
                                 std::filesystem::copy_options::overwrite_existing);
    }
  }
}

}  // namespace
}  // namespace vigil::report
