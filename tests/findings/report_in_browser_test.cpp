// report.html in a real browser (issue 15): `stridefuse analyze` on a
// simulated run, then headless Chromium (the Debian package, which
// tools/setup/install-deps.sh installs) loads the report with every network
// request made to fail, and the test checks that it loaded without a console
// message or a failed request, that the findings come first, and that every
// plot holds its data; a phone-sized screenshot must come out too.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "support/headless_chromium.hpp"

namespace {

namespace fs = std::filesystem;
using stridefuse::testing::page_problems;
using stridefuse::testing::run_shell;

std::string read_all(const fs::path& p) { return stridefuse::testing::read_file(p); }

class ReportInBrowser : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("stridefuse_report_" + std::to_string(getpid())); }

  static void SetUpTestSuite() {
    fs::create_directories(dir());
    const fs::path sim = dir() / "sim";
    const auto s = run_shell(std::string(STRIDEFUSE_CLI) +
                             " simulate --seed 5 --duration 150 --foot-strike-distance 0.15 --tilt-offset 3 --drop 4"
                             " --drop-asymmetry 40 --out " + sim.string());
    const auto p = sim.string();
    const auto a = run_shell(std::string(STRIDEFUSE_CLI) + " analyze --pelvis " + p + "/pelvis.csv --left " + p +
                             "/left.csv --left-layout " + p + "/left_layout.json --right " + p +
                             "/right.csv --right-layout " + p + "/right_layout.json --speed 3.5 --leg-length 0.95 --out " +
                             (dir() / "out").string());
    setup_log = s.out + a.out;
    setup_ok = s.exit_code == 0 && a.exit_code == 0;
  }
  static void TearDownTestSuite() { fs::remove_all(dir()); }
  void SetUp() override {
    ASSERT_TRUE(setup_ok) << setup_log;
    const auto which = run_shell("command -v chromium");
    ASSERT_EQ(which.exit_code, 0) << "no chromium on PATH: tools/setup/install-deps.sh installs the Debian package";
  }

  // Runs headless Chromium on the report with `action` (--dump-dom or
  // --screenshot=...); its standard output goes to `out`, its log to `log`.
  static int chromium(const std::string& action, const fs::path& out, const fs::path& log) {
    return stridefuse::testing::run_headless_chromium(dir() / "out" / "report.html", action, dir() / "profile", out, log);
  }

  static inline bool setup_ok = false;
  static inline std::string setup_log;
};

TEST_F(ReportInBrowser, LoadsWithoutErrorsAndEveryPlotHasItsData) {
  const auto html = read_all(dir() / "out" / "report.html");
  EXPECT_EQ(html.find("http"), std::string::npos) << "the report refers to something on a network";
  EXPECT_EQ(html.find("<script"), std::string::npos);

  const fs::path dom_file = dir() / "dom.html", log_file = dir() / "dom.log";
  ASSERT_EQ(chromium("--dump-dom", dom_file, log_file), 0) << read_all(log_file);
  const auto dom = read_all(dom_file);
  const auto log = read_all(log_file);
  EXPECT_EQ(page_problems(log), "");

  // The findings open the page, in words and numbers.
  const auto findings = dom.find("<section id=\"findings\"");
  ASSERT_NE(findings, std::string::npos) << dom.substr(0, 2000);
  for (const char* later : {"<section id=\"relation\"", "<section id=\"trends\"", "<section id=\"sides\"",
                            "<section id=\"fatigue\""}) {
    const auto at = dom.find(later);
    ASSERT_NE(at, std::string::npos) << later;
    EXPECT_LT(findings, at) << later;
  }
  EXPECT_NE(dom.find("data-code=\"asymmetry\""), std::string::npos);
  EXPECT_NE(dom.find("Pelvic drop: left"), std::string::npos);

  // Every plot as the browser parsed it: its data marks, as many as it says.
  const std::regex plot_open("<svg class=\"plot\"[^>]*data-points=\"([0-9]+)\"");
  std::size_t plots = 0;
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), plot_open); it != std::sregex_iterator(); ++it) {
    ++plots;
    const auto start = static_cast<std::size_t>(it->position());
    const auto end = dom.find("</svg>", start);
    ASSERT_NE(end, std::string::npos);
    const std::string svg = dom.substr(start, end - start);
    std::size_t marks = 0;
    for (auto at = svg.find("<circle class=\"data\""); at != std::string::npos; at = svg.find("<circle class=\"data\"", at + 1))
      ++marks;
    const std::size_t declared = std::stoul((*it)[1].str());
    EXPECT_GT(marks, 0u) << svg.substr(0, 300);
    EXPECT_EQ(marks, declared) << svg.substr(0, 300);
    EXPECT_NE(svg.find("class=\"axis\""), std::string::npos) << "an axis without its label";
  }
  // Two relation plots, six trends, two left-against-right plots.
  EXPECT_EQ(plots, 10u);
  EXPECT_EQ(dom.find("class=\"nodata\""), std::string::npos);
}

TEST_F(ReportInBrowser, RendersOnAPhoneSizedScreen) {
  const fs::path png = dir() / "report.png", log_file = dir() / "shot.log";
  ASSERT_EQ(chromium("--screenshot=" + png.string(), dir() / "shot.out", log_file), 0) << read_all(log_file);
  EXPECT_EQ(page_problems(read_all(log_file)), "");
  ASSERT_TRUE(fs::exists(png));
  EXPECT_GT(fs::file_size(png), 20000u) << "a blank page compresses to almost nothing";
  const auto bytes = read_all(png);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
}

}  // namespace
