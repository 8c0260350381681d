// The drill report (issue 16) in a real browser: `stridefuse simulate
// --drill` writes a set of single-leg RDLs on both sides, `stridefuse drill`
// analyses it, and headless Chromium loads report.html with every network
// request made to fail: no console message, no failed load, the set first
// with both sides and their comparison, the excursion plot holding one mark
// per rep and watched axis.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <string>

#include "support/headless_chromium.hpp"
#include "support/truth_clocks.hpp"

namespace {

namespace fs = std::filesystem;
using namespace stridefuse::testing;

TEST(DrillReportInBrowser, LoadsWithoutErrorsWithTheSetFirstAndEveryRepPlotted) {
  ASSERT_EQ(run_shell("command -v chromium").exit_code, 0)
      << "no chromium on PATH: tools/setup/install-deps.sh installs the Debian package";
  const fs::path dir = fs::temp_directory_path() / ("stridefuse_drill_report_" + std::to_string(getpid()));
  fs::remove_all(dir);
  const fs::path rec = dir / "rec";
  const auto sim = run_shell(std::string(STRIDEFUSE_CLI) + " simulate --drill single-leg-rdl --side both --reps 8 " +
                             "--seed 6 --out " + rec.string());
  ASSERT_EQ(sim.exit_code, 0) << sim.out;
  const std::string p = rec.string();
  const auto drill = run_shell(std::string(STRIDEFUSE_CLI) + " drill --exercise single-leg-rdl --side both --pelvis " +
                               p + "/pelvis.csv --left " + p + "/left.csv --left-layout " + p +
                               "/left_layout.json --right " + p + "/right.csv --right-layout " + p +
                               "/right_layout.json" + insole_offset_flags(rec) + " --out " + (dir / "out").string());
  ASSERT_EQ(drill.exit_code, 0) << drill.out;

  const auto html = read_file(dir / "out" / "report.html");
  EXPECT_EQ(html.find("http"), std::string::npos) << "the report refers to something on a network";
  EXPECT_EQ(html.find("<script"), std::string::npos);
  const fs::path dom_file = dir / "dom.html", log_file = dir / "dom.log";
  ASSERT_EQ(run_headless_chromium(dir / "out" / "report.html", "--dump-dom", dir / "profile", dom_file, log_file), 0)
      << read_file(log_file);
  const auto dom = read_file(dom_file);
  EXPECT_EQ(page_problems(read_file(log_file)), "");

  const auto set = dom.find("<section id=\"set\"");
  ASSERT_NE(set, std::string::npos) << dom.substr(0, 2000);
  for (const char* later : {"<section id=\"plots\"", "<section id=\"reps\"", "<section id=\"clocks\""}) {
    const auto at = dom.find(later);
    ASSERT_NE(at, std::string::npos) << later;
    EXPECT_LT(set, at) << later;
  }
  // Both sides in the set, and in words against each other.
  EXPECT_NE(dom.find("<tr><th>left</th>"), std::string::npos);
  EXPECT_NE(dom.find("<tr><th>right</th>"), std::string::npos);
  EXPECT_NE(dom.find("with the left leg working and"), std::string::npos);

  // The excursion plot: 8 reps x 2 watched axes (obliquity, rotation), as many marks as it declares.
  const std::regex plot_open("<svg class=\"plot\"[^>]*data-points=\"([0-9]+)\"");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(dom, m, plot_open));
  EXPECT_EQ(m[1].str(), "16");
  const auto start = static_cast<std::size_t>(m.position());
  const std::string svg = dom.substr(start, dom.find("</svg>", start) - start);
  std::size_t marks = 0;
  for (auto at = svg.find("<circle class=\"data\""); at != std::string::npos; at = svg.find("<circle class=\"data\"", at + 1))
    ++marks;
  EXPECT_EQ(marks, 16u);
  EXPECT_NE(svg.find("class=\"axis\""), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
