// `stridefuse simulate` as a user runs it: the files of sdk/runtime/src/offline/FILES.md with
// their headers, the ground truth, determinism, and clear failures.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Result {
  int exit_code = -1;
  std::string out;
};

Result run_cli(const std::string& arguments) {
  Result r;
  FILE* pipe = popen((std::string(STRIDEFUSE_CLI) + " " + arguments + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe)) r.out += buf;
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/stridefuse_simulate_XXXXXX";
    path_ = mkdtemp(name);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<std::string> lines_of(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<double> numbers_of(const std::string& line) {
  std::vector<double> v;
  std::stringstream s(line);
  for (std::string cell; std::getline(s, cell, ',');) {
    char* end = nullptr;
    const double x = std::strtod(cell.c_str(), &end);
    v.push_back(!cell.empty() && *end == '\0' ? x : std::nan(""));  // text and empty cells: NaN
  }
  return v;
}

TEST(SimulateCommand, WritesTheDesignFilesWithTheirHeaders) {
  TempDir dir;
  const auto r = run_cli("simulate --out " + dir.path().string() +
                         " --duration 20 --seed 7 --sensors 12 --speed-source stream --pelvis-rate 250");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const fs::path d = dir.path();
  for (const char* f : {"pelvis.csv", "left.csv", "right.csv", "left_layout.json", "right_layout.json", "speed.csv",
                        "truth_steps.csv", "truth_attitude.csv", "truth_clocks.json", "simulation.json"})
    EXPECT_TRUE(fs::exists(d / f)) << f;

  const auto pelvis = lines_of(d / "pelvis.csv");
  EXPECT_EQ(pelvis.front(), "t,ax,ay,az,gx,gy,gz");
  EXPECT_NEAR(static_cast<double>(pelvis.size() - 1), 20.0 * 250.0, 30.0);  // a few packets are lost
  EXPECT_EQ(numbers_of(pelvis[1]).size(), 7u);
  EXPECT_EQ(lines_of(d / "left.csv").front(), "t,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,p10,p11");
  EXPECT_EQ(lines_of(d / "right.csv").front(), "t,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,p10,p11");
  EXPECT_EQ(lines_of(d / "speed.csv").front(), "t,speed_mps");
  EXPECT_EQ(lines_of(d / "truth_attitude.csv").front(), "t,qw,qx,qy,qz,tilt_deg,obliquity_deg,rotation_deg");
  EXPECT_EQ(lines_of(d / "truth_attitude.csv").size(), pelvis.size());  // one truth row per pelvis row

  const auto steps = lines_of(d / "truth_steps.csv");
  EXPECT_EQ(steps.front(),
            "side,t_ic_s,t_to_s,contact_time_s,flight_time_s,cadence_spm,strike_index_pct,strike_pattern,"
            "foot_strike_distance_m,braking_time_s,step_length_m,tilt_ic_deg,obliquity_ic_deg,rotation_ic_deg,"
            "pelvic_drop_deg,vertical_oscillation_m,gait_mode");
  ASSERT_GT(steps.size(), 40u);
  EXPECT_EQ(steps[1].rfind("left,", 0), 0u);
  EXPECT_NE(steps[1].find(",rearfoot,"), std::string::npos);

  const std::string layout = slurp(d / "left_layout.json");
  EXPECT_NE(layout.find("\"side\": \"left\""), std::string::npos);
  EXPECT_NE(layout.find("\"length_mm\": 265"), std::string::npos);
  std::size_t sites = 0;
  for (std::size_t at = 0; (at = layout.find("\"x_mm\"", at)) != std::string::npos; ++at) ++sites;
  EXPECT_EQ(sites, 12u);
  EXPECT_NE(slurp(d / "right_layout.json").find("\"side\": \"right\""), std::string::npos);
  const std::string clocks = slurp(d / "truth_clocks.json");
  for (const char* key : {"\"pelvis_imu\"", "\"left_insole\"", "\"right_insole\"", "\"drift_ppm\"", "\"offset_s\"",
                          "\"samples_lost\"", "\"wraps\""})
    EXPECT_NE(clocks.find(key), std::string::npos) << key;
}

TEST(SimulateCommand, TimesAreEachDevicesOwnClock) {
  TempDir dir;
  ASSERT_EQ(run_cli("simulate --out " + dir.path().string() + " --duration 5").exit_code, 0);
  // Default clocks: pelvis starts at 3.7 s, left insole at 61 s, right at 17.5 s.
  EXPECT_NEAR(numbers_of(lines_of(dir.path() / "pelvis.csv")[1])[0], 3.7, 0.02);
  EXPECT_NEAR(numbers_of(lines_of(dir.path() / "left.csv")[1])[0], 61.0, 0.05);
  EXPECT_NEAR(numbers_of(lines_of(dir.path() / "right.csv")[1])[0], 17.5, 0.05);
  // No speed stream with the default treadmill speed source.
  EXPECT_FALSE(fs::exists(dir.path() / "speed.csv"));
  EXPECT_NE(slurp(dir.path() / "simulation.json").find("\"treadmill_speed_mps\": 3.5"), std::string::npos);
}

TEST(SimulateCommand, SameSeedSameFilesOtherSeedOtherFiles) {
  TempDir a, b, c;
  ASSERT_EQ(run_cli("simulate --out " + a.path().string() + " --duration 8 --seed 3").exit_code, 0);
  ASSERT_EQ(run_cli("simulate --out " + b.path().string() + " --duration 8 --seed 3").exit_code, 0);
  ASSERT_EQ(run_cli("simulate --out " + c.path().string() + " --duration 8 --seed 4").exit_code, 0);
  for (const char* f : {"pelvis.csv", "left.csv", "truth_steps.csv", "truth_clocks.json"})
    EXPECT_EQ(slurp(a.path() / f), slurp(b.path() / f)) << f;
  EXPECT_NE(slurp(a.path() / "pelvis.csv"), slurp(c.path() / "pelvis.csv"));
}

TEST(SimulateCommand, ParametersReachTheTruth) {
  TempDir dir;
  ASSERT_EQ(run_cli("simulate --out " + dir.path().string() +
                    " --duration 15 --cadence 180 --speed 4 --foot-strike-distance 0.31 --strike midfoot --drop 8"
                    " --standing 2")
                .exit_code,
            0);
  const auto steps = lines_of(dir.path() / "truth_steps.csv");
  ASSERT_GT(steps.size(), 30u);
  const auto v = numbers_of(steps[20]);
  EXPECT_NEAR(v[5], 180.0, 1e-6);                // cadence
  EXPECT_NEAR(v[8], 0.31, 1e-9);                 // foot-strike distance
  EXPECT_NEAR(v[10], 4.0 * 60.0 / 180.0, 1e-6);  // step length
  EXPECT_NEAR(v[14], 8.0, 0.05);                 // pelvic drop
  EXPECT_NE(steps[20].find(",midfoot,"), std::string::npos);
}

TEST(SimulateCommand, InsoleImuAddsItsColumns) {
  TempDir dir;
  ASSERT_EQ(run_cli("simulate --out " + dir.path().string() + " --duration 3 --sensors 8 --insole-imu").exit_code, 0);
  const auto left = lines_of(dir.path() / "left.csv");
  EXPECT_EQ(left.front(), "t,p0,p1,p2,p3,p4,p5,p6,p7,ax,ay,az,gx,gy,gz");
  EXPECT_EQ(numbers_of(left[1]).size(), 15u);
  EXPECT_NEAR(numbers_of(left[1])[11], 9.81, 0.5);  // standing: the sole's normal is up
}

TEST(SimulateCommand, BadArgumentsAndUnwritableOutputFailWithAMessage) {
  auto r = run_cli("simulate --duration 5");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("out"), std::string::npos) << r.out;
  r = run_cli("simulate --out /tmp/x --strike tiptoe");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--strike"), std::string::npos) << r.out;
  r = run_cli("simulate --out /tmp/x --sensors 30");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("sensor count"), std::string::npos) << r.out;
  r = run_cli("simulate --out /tmp/x --speed fast");
  EXPECT_EQ(r.exit_code, 2);
  r = run_cli("simulate --out /tmp/x --mount 1,2");
  EXPECT_EQ(r.exit_code, 2);
  r = run_cli("simulate --out /proc/stridefuse_cannot_write_here --duration 2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("/proc/stridefuse_cannot_write_here"), std::string::npos) << r.out;
  r = run_cli("simulate --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--foot-strike-distance"), std::string::npos);
}

}  // namespace
