// `stridefuse analyze` on files written by `stridefuse simulate`: the outputs
// of sdk/runtime/src/offline/FILES.md, steps against the simulator's truth, clocks put right,
// and every bad input answered with a message and a non-zero exit.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "support/shell_command.hpp"

namespace {

namespace fs = std::filesystem;
using stridefuse::testing::run_shell;

// The columns of sdk/runtime/src/offline/FILES.md, in this order; a metric added later is
// appended (the step table follows the append-only schema), never inserted.
const std::string steps_header =
    "side,t_ic_s,t_to_s,contact_time_s,flight_time_s,cadence_spm,strike_index_pct,strike_pattern,"
    "foot_strike_distance_m,braking_time_s,step_length_m,tilt_ic_deg,obliquity_ic_deg,rotation_ic_deg,"
    "pelvic_drop_deg,vertical_oscillation_m,gait_mode,detected_by";

using Row = std::map<std::string, std::string>;

// A CSV with a header, as rows keyed by column name (fields may be text or empty).
std::vector<Row> read_rows(const fs::path& p) {
  std::ifstream in(p);
  std::string line;
  std::vector<std::string> header;
  std::vector<Row> rows;
  auto split = [](const std::string& l) {
    std::vector<std::string> f;
    std::stringstream ss(l);
    std::string x;
    while (std::getline(ss, x, ',')) f.push_back(x);
    if (!l.empty() && l.back() == ',') f.emplace_back();
    return f;
  };
  if (std::getline(in, line)) header = split(line);
  while (std::getline(in, line)) {
    const auto f = split(line);
    Row r;
    for (std::size_t i = 0; i < header.size() && i < f.size(); ++i) r[header[i]] = f[i];
    rows.push_back(r);
  }
  return rows;
}

std::string first_line(const fs::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  return line;
}

// One simulated session shared by the tests of this file (written once per process).
class Analyze : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("stridefuse_analyze_" + std::to_string(getpid())); }
  static fs::path sim() { return dir() / "sim"; }

  static void SetUpTestSuite() {
    fs::remove_all(dir());
    const auto r = run_shell(std::string(STRIDEFUSE_CLI) + " simulate --duration 60 --seed 11 --out " + sim().string());
    simulate_ok = r.exit_code == 0;
    simulate_log = r.out;
  }
  static void TearDownTestSuite() { fs::remove_all(dir()); }
  void SetUp() override { ASSERT_TRUE(simulate_ok) << simulate_log; }

  static std::string inputs(bool with_speed = true) {
    const auto s = sim().string();
    return " --pelvis " + s + "/pelvis.csv --left " + s + "/left.csv --left-layout " + s +
           "/left_layout.json --right " + s + "/right.csv --right-layout " + s + "/right_layout.json" +
           (with_speed ? " --speed 3.5" : "");
  }
  static stridefuse::testing::ShellResult analyze(const std::string& args) {
    return run_shell(std::string(STRIDEFUSE_CLI) + " analyze" + args);
  }

  static inline bool simulate_ok = false;
  static inline std::string simulate_log;
};

TEST_F(Analyze, WritesTheFilesOfDesignSection6WithStepsMatchingTheTruth) {
  const fs::path out = dir() / "out";
  const auto r = analyze(inputs() + " --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto header = first_line(out / "steps.csv");
  EXPECT_EQ(header.substr(0, steps_header.size()), steps_header);
  EXPECT_TRUE(header.size() == steps_header.size() || header[steps_header.size()] == ',') << header;
  EXPECT_EQ(first_line(out / "attitude.csv"), "t,qw,qx,qy,qz,tilt_deg,obliquity_deg,rotation_deg");
  EXPECT_EQ(first_line(out / "events.jsonl").substr(0, 9), "{\"kind\":\"");
  EXPECT_NE(first_line(out / "report.html").find("<!DOCTYPE html>"), std::string::npos);

  // One attitude row per pelvis sample, on the pelvis file's clock.
  const auto pelvis = read_rows(sim() / "pelvis.csv");
  const auto attitude = read_rows(out / "attitude.csv");
  ASSERT_EQ(attitude.size(), pelvis.size());
  EXPECT_NEAR(std::stod(attitude.front().at("t")), std::stod(pelvis.front().at("t")), 1e-6);
  EXPECT_NEAR(std::stod(attitude.back().at("t")), std::stod(pelvis.back().at("t")), 1e-6);

  // Every true step found, at the right time: the insoles ran on clocks 57 s
  // and 14 s away from the pelvis's, so this also checks the alignment.
  const auto truth = read_rows(sim() / "truth_steps.csv");
  const auto found = read_rows(out / "steps.csv");
  ASSERT_GT(truth.size(), 100u);
  std::size_t matched = 0;
  double worst_ic_error_s = 0.0;
  for (const auto& t : truth) {
    const double t_ic = std::stod(t.at("t_ic_s"));
    for (const auto& f : found) {
      const double err = std::abs(std::stod(f.at("t_ic_s")) - t_ic);
      if (f.at("side") == t.at("side") && err < 0.05) {
        ++matched;
        worst_ic_error_s = std::max(worst_ic_error_s, err);
        break;
      }
    }
  }
  EXPECT_GE(matched, truth.size() - 2) << "of " << truth.size();
  EXPECT_LE(found.size(), truth.size() + 2);
  EXPECT_LT(worst_ic_error_s, 0.015);
  std::size_t with_fsd = 0;
  for (const auto& f : found) with_fsd += !f.at("foot_strike_distance_m").empty();
  EXPECT_GT(with_fsd, found.size() * 9 / 10) << "foot-strike distance present with a speed source";
  EXPECT_NE(r.out.find("left_insole on the pelvis file's clock"), std::string::npos) << r.out;
}

TEST_F(Analyze, WithoutASpeedSourceTheMetricsThatNeedOneAreEmptyNotZero) {
  const fs::path out = dir() / "nospeed";
  const auto r = analyze(inputs(false) + " --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto steps = read_rows(out / "steps.csv");
  ASSERT_GT(steps.size(), 100u);
  for (const auto& s : steps) {
    EXPECT_EQ(s.at("step_length_m"), "");
    EXPECT_FALSE(s.at("contact_time_s").empty());
  }
  std::ifstream events(out / "events.jsonl");
  const std::string text((std::istreambuf_iterator<char>(events)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("no_speed_source"), std::string::npos);
}

TEST_F(Analyze, PelvisAloneGivesAttitudeAndStepsTimedByThePelvis) {
  const fs::path out = dir() / "pelvis_only";
  const auto r = analyze(" --pelvis " + (sim() / "pelvis.csv").string() + " --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_GT(read_rows(out / "attitude.csv").size(), 1000u);
  const auto truth = read_rows(sim() / "truth_steps.csv");
  const auto steps = read_rows(out / "steps.csv");
  EXPECT_GE(steps.size() + 3, truth.size());  // the last second's steps are decided at the end
  std::size_t near_truth = 0;
  for (const auto& s : steps) {
    EXPECT_EQ(s.at("detected_by"), "pelvis");
    EXPECT_EQ(s.at("gait_mode"), "running");
    EXPECT_EQ(s.at("strike_index_pct"), "");  // no insole
    for (const auto& t : truth)
      if (t.at("side") == s.at("side") && std::abs(std::stod(t.at("t_ic_s")) - std::stod(s.at("t_ic_s"))) < 0.01)
        ++near_truth;
  }
  EXPECT_GT(near_truth, steps.size() * 95 / 100);
  // What a pelvis alone cannot give is said, per foot.
  const auto metrics = read_rows(out / "metrics.csv");
  for (const auto& m : metrics) {
    const bool needs_insole = m.at("metric") == "strike_index_pct" || m.at("metric") == "strike_pattern" ||
                              m.at("metric") == "foot_strike_distance_m" ||
                              m.at("metric") == "foot_strike_distance_uncertainty_m";
    EXPECT_EQ(m.at("left"), needs_insole ? "no_insole" : m.at("metric") == "step_length_m" ? "no_speed_source" : "none")
        << m.at("metric");
  }
  EXPECT_NE(r.out.find("strike_index_pct: left no_insole, right no_insole"), std::string::npos) << r.out;
}

TEST_F(Analyze, InsolesAloneGiveStepsAndSayWhyThePelvisMetricsAreMissing) {
  const fs::path out = dir() / "insoles_only";
  const auto s = sim().string();
  const auto r = analyze(" --left " + s + "/left.csv --left-layout " + s + "/left_layout.json --right " + s +
                         "/right.csv --right-layout " + s + "/right_layout.json --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(read_rows(out / "attitude.csv").size(), 0u);  // no pelvis: the header alone
  const auto steps = read_rows(out / "steps.csv");
  ASSERT_GT(steps.size(), 100u);
  for (const auto& step : steps) {
    EXPECT_EQ(step.at("detected_by"), "insole");
    EXPECT_FALSE(step.at("strike_index_pct").empty());
    EXPECT_TRUE(step.at("tilt_ic_deg").empty());
  }
  std::ifstream events(out / "events.jsonl");
  const std::string text((std::istreambuf_iterator<char>(events)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"tilt_ic_deg\":\"no_pelvis_sensor\""), std::string::npos);
  EXPECT_NE(r.out.find("taken to share the left_insole file's clock"), std::string::npos) << r.out;
}

TEST_F(Analyze, BadInputsGiveAMessageNamingTheProblem) {
  const auto s = sim().string();
  const fs::path broken = dir() / "broken.csv";
  {
    std::ifstream in(s + "/pelvis.csv");
    std::ofstream o(broken);
    std::string line;
    for (int i = 0; i < 50 && std::getline(in, line); ++i) o << line << "\n";
    o << "1.0,2.0,3";  // cut mid-row
  }
  struct Case {
    std::string args;
    int exit_code;
    std::string message;
  };
  const std::string out = " --out " + (dir() / "bad").string();
  for (const auto& c : std::vector<Case>{
           {out, 2, "no sensor file"},
           {" --pelvis " + s + "/pelvis.csv", 2, "--out"},
           {" --pelvis " + s + "/nope.csv" + out, 1, "nope.csv: cannot open file"},
           {" --pelvis " + broken.string() + out, 1, "truncated"},
           {" --pelvis " + s + "/pelvis.csv --left " + s + "/left.csv" + out, 2, "is an insole CSV: it needs --left-layout"},
           {" --pelvis " + s + "/pelvis.csv --speed 3 --speed-csv " + s + "/pelvis.csv" + out, 2, "not both"},
           {" --pelvis " + s + "/pelvis.csv --speed -1" + out, 2, "--speed must be a positive"},
           {" --pelvis " + s + "/pelvis.csv --left " + s + "/left.csv --left-layout " + s + "/right_layout.json" + out,
            1, "layout is for the right foot"},
           {" --pelvis " + s + "/left.csv" + out, 1, "no column 'ax'"},
           {" --pelvis " + s + "/pelvis.csv --out /proc/stridefuse_cannot_write_here", 1, "cannot create the output directory"},
           {inputs() + " --same-clock --left-offset 1 --right-offset 1" + out, 2, "give --same-clock or insole offsets"},
           {inputs() + " --left-offset 1" + out, 2, "give --left-offset with --left and --right-offset with --right"},
           {inputs() + " --left-offset x --right-offset 1" + out, 2, "left-offset"},
       }) {
    const auto r = analyze(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.message), std::string::npos) << c.args << "\n" << r.out;
  }
}

// Files said to share the pelvis file's clock are not re-aligned, and the output says so.
TEST_F(Analyze, SameClockKeepsTheInsoleFilesWhereTheyAre) {
  const auto r = analyze(inputs() + " --same-clock --out " + (dir() / "same_clock").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("left_insole on the pelvis file's clock: offset 0 s, drift 0 ppm"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("declared on the pelvis file's clock: not re-aligned"), std::string::npos) << r.out;
}

}  // namespace
