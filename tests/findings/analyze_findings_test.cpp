// `stridefuse analyze` on the simulator's asymmetric-drop, fatigue and
// neutral runs (issue 15): findings.json has the expected findings and no
// others, each with every field; relations.csv has the windows' fits. The
// JSON is read by Python's json module, as a user's script would.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "support/shell_command.hpp"

namespace {

namespace fs = std::filesystem;
using stridefuse::testing::run_shell;

const std::string neutral = " --foot-strike-distance 0.15 --tilt-offset 3 --drop 4";

fs::path work_dir() { return fs::temp_directory_path() / ("stridefuse_findings_" + std::to_string(getpid())); }

// Simulates `seconds` of the neutral runner with `extra` simulator options,
// analyses it and returns the analysis directory.
fs::path analyse(const std::string& name, const std::string& extra, double seconds) {
  const fs::path sim = work_dir() / (name + "_sim"), out = work_dir() / name;
  const auto s = run_shell(std::string(STRIDEFUSE_CLI) + " simulate --seed 3 --duration " + std::to_string(seconds) +
                           neutral + extra + " --out " + sim.string());
  EXPECT_EQ(s.exit_code, 0) << s.out;
  const auto p = sim.string();
  const auto a = run_shell(std::string(STRIDEFUSE_CLI) + " analyze --pelvis " + p + "/pelvis.csv --left " + p +
                           "/left.csv --left-layout " + p + "/left_layout.json --right " + p +
                           "/right.csv --right-layout " + p + "/right_layout.json --speed 3.5 --leg-length 0.95 --out " +
                           out.string());
  EXPECT_EQ(a.exit_code, 0) << a.out;
  return out;
}

// The lines a Python script prints about `file` (its first argument); the
// script must succeed.
std::set<std::string> python_lines(const std::string& script, const fs::path& file) {
  const fs::path py = work_dir() / "read.py";
  std::ofstream(py) << script;
  const auto r = run_shell(std::string(STRIDEFUSE_PYTHON) + " " + py.string() + " " + file.string());
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::set<std::string> lines_out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) lines_out.insert(line);
  return lines_out;
}

// "code/side/metric" of every finding, one a line, after checking each has
// every field of findings.json with the right type.
std::set<std::string> finding_keys(const fs::path& dir) {
  const std::string script =
      "import json,sys\n"
      "fs=json.load(open(sys.argv[1]))\n"
      "num=(int,float)\n"
      "assert isinstance(fs,list)\n"
      "for f in fs:\n"
      "  for k,t in [('code',str),('side',str),('metric',str),('t_start_s',num),('t_end_s',num),"
      "('value',num),('threshold',num),('unit',str),('message',str)]:\n"
      "    assert isinstance(f[k],t),(k,f)\n"
      "  assert f['side'] in ('left','right','both'),f\n"
      "  assert f['t_start_s']<=f['t_end_s'],f\n"
      "  print(f['code']+'/'+f['side']+'/'+f['metric'])\n";
  return python_lines(script, dir / "findings.json");
}

class AnalyzeFindings : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fs::create_directories(work_dir()); }
  static void TearDownTestSuite() { fs::remove_all(work_dir()); }
};

// The events.jsonl lines of kind "finding" as "state/code/side/metric".
std::set<std::string> finding_events(const fs::path& dir) {
  const std::string script =
      "import json,sys\n"
      "for line in open(sys.argv[1]):\n"
      "  e=json.loads(line)\n"
      "  if e['kind']=='finding': print(e['state']+'/'+e['code']+'/'+e['side']+'/'+e['metric'])\n";
  return python_lines(script, dir / "events.jsonl");
}

TEST_F(AnalyzeFindings, NeutralRunHasNoFinding) {
  const auto dir = analyse("neutral", "", 150.0);
  EXPECT_EQ(finding_events(dir), std::set<std::string>{});
  EXPECT_EQ(finding_keys(dir), std::set<std::string>{});
  std::ifstream in(dir / "findings.json");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "[]\n");
}

TEST_F(AnalyzeFindings, AsymmetricDropRunHasTheDropAsymmetryOnly) {
  const auto dir = analyse("asymmetric_drop", " --drop-asymmetry 40", 150.0);
  EXPECT_EQ(finding_keys(dir), (std::set<std::string>{"asymmetry/left/pelvic_drop_deg"}));
  // The live engine's events: the finding started, and ended with the session.
  EXPECT_EQ(finding_events(dir), (std::set<std::string>{"started/asymmetry/left/pelvic_drop_deg",
                                                        "ended/asymmetry/left/pelvic_drop_deg"}));
}

TEST_F(AnalyzeFindings, FatigueRunHasTheDriftsOnly) {
  const auto dir = analyse("fatigue", " --fsd-drift 1.8 --tilt-drift 120", 180.0);
  EXPECT_EQ(finding_keys(dir), (std::set<std::string>{"fatigue_drift/both/foot_strike_distance_m",
                                                      "fatigue_drift/both/tilt_ic_deg"}));
}

TEST_F(AnalyzeFindings, RelationsHaveEveryWindowOfBothSides) {
  const auto dir = analyse("relations", "", 90.0);
  std::ifstream in(dir / "relations.csv");
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header,
            "side,predictor,scope,t_start_s,t_end_s,steps,slope_cm_per_deg,slope_ci_low_cm_per_deg,"
            "slope_ci_high_cm_per_deg,r,intercept_cm");
  std::size_t windows = 0, sessions = 0;
  for (std::string line; std::getline(in, line);) {
    windows += line.find(",window,") != std::string::npos;
    sessions += line.find(",session,") != std::string::npos;
  }
  // ~85 s of running at 170 steps/min: ~120 steps a side, 4 windows of 30;
  // two predictors, two sides.
  EXPECT_GE(windows, 12u);
  EXPECT_EQ(sessions, 4u);
}

TEST_F(AnalyzeFindings, ALegLengthMustBePositive) {
  const auto r = run_shell(std::string(STRIDEFUSE_CLI) + " analyze --pelvis /nonexistent.csv --leg-length -1 --out " +
                           (work_dir() / "bad").string());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("--leg-length must be a positive number"), std::string::npos) << r.out;
}

}  // namespace
