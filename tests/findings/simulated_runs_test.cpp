// The findings on the simulated runner's runs (issue 15): each run is the
// neutral runner with one parameter of the simulator changed, and must give
// the findings that parameter makes and no others (fusion/FINDINGS.md,
// "Tested on the simulator").

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

#include "fusion/simulated_session.hpp"
#include "stridefuse/fusion/form_findings.hpp"

namespace stridefuse::fusion {
namespace {

// Every metric within the rules' normal ranges (FINDINGS.md, "The neutral runner").
sim::RunnerConfig neutral_runner() {
  sim::RunnerConfig c;
  c.foot_strike_distance_m = 0.15;
  c.tilt_offset_deg = 3.0;
  c.pelvic_drop_deg = 4.0;
  return c;
}

using Expected = std::set<std::string>;  // "code/side/metric"

std::string key(const FormFinding& f) {
  return std::string(to_string(f.code)) + "/" + to_string(f.side) + "/" + f.metric;
}

std::vector<FormFinding> findings_of(const sim::RunnerConfig& config, double duration_s) {
  const auto session = testing::run_simulated_session(config, duration_s);
  const auto found = find_form_findings(session.steps, {}, RunnerProfile{config.leg_length_m});
  std::printf("%zu steps; %zu findings\n", session.steps.size(), found.size());
  for (const auto& f : found)
    std::printf("  %s %.1f-%.1f s value %.4f %s (threshold %.4g, strength %.2f, %zu steps): %s\n", key(f).c_str(),
                f.t_start_s, f.t_end_s, f.value, f.unit.c_str(), f.threshold, f.strength, f.steps, f.message.c_str());
  return found;
}

void expect_exactly(const std::vector<FormFinding>& found, const Expected& expected) {
  Expected got;
  for (const auto& f : found) got.insert(key(f));
  EXPECT_EQ(got, expected);
}

TEST(FindingsOnSimulatedRuns, NeutralRunnerGivesNone) {
  expect_exactly(findings_of(neutral_runner(), 150.0), {});
}

TEST(FindingsOnSimulatedRuns, AsymmetricDropGivesDropAsymmetryOnly) {
  auto c = neutral_runner();
  c.pelvic_drop_asymmetry_pct = 40.0;  // left 4.8 deg, right 3.2 deg
  const auto found = findings_of(c, 150.0);
  expect_exactly(found, {"asymmetry/left/pelvic_drop_deg"});
  ASSERT_EQ(found.size(), 1u);
  // Measured 37.9 % (drops 4.7 and 3.2 deg). It read 32 % while the
  // forward axis came from the sensor's own acceleration: the drops'
  // unequal roll, through the sensor's lever arm, turned that axis by some
  // 6 deg and leaked 14 % of the tilt into the obliquity (fusion/README.md,
  // "Pelvis: attitude and mounting calibration").
  EXPECT_NEAR(found[0].value, 40.0, 4.0);
}

TEST(FindingsOnSimulatedRuns, LargeAsymmetricDropAlsoGivesHipDropOnTheDroppingSide) {
  auto c = neutral_runner();
  c.pelvic_drop_deg = 6.0;
  c.pelvic_drop_asymmetry_pct = 40.0;  // left 7.2 deg (beyond 6.5), right 4.8 deg
  expect_exactly(findings_of(c, 150.0), {"asymmetry/left/pelvic_drop_deg", "hip_drop/left/pelvic_drop_deg"});
}

TEST(FindingsOnSimulatedRuns, FatigueGivesDriftOfTheMetricsThatDrift) {
  auto c = neutral_runner();
  c.fatigue.foot_strike_distance_m_per_hour = 1.8;  // 3 cm a minute
  c.fatigue.tilt_offset_deg_per_hour = 120.0;       // 2 deg a minute
  const auto found = findings_of(c, 180.0);
  expect_exactly(found, {"fatigue_drift/both/foot_strike_distance_m", "fatigue_drift/both/tilt_ic_deg"});
  for (const auto& f : found) EXPECT_GT(f.value, f.threshold);
}

TEST(FindingsOnSimulatedRuns, FatigueOfTheDropGivesDropDrift) {
  auto c = neutral_runner();
  c.pelvic_drop_deg = 1.5;
  c.fatigue.pelvic_drop_deg_per_hour = 120.0;  // 2 deg a minute: 1.5 -> 6.3 deg, within the hip-drop threshold
  const auto found = findings_of(c, 150.0);
  expect_exactly(found, {"fatigue_drift/both/pelvic_drop_deg"});
}

TEST(FindingsOnSimulatedRuns, OverstrideRunGivesOverstride) {
  auto c = neutral_runner();
  c.foot_strike_distance_m = 0.36;  // atan(0.36 / 0.95) = 20.8 deg
  c.cadence_spm = 168.0;
  expect_exactly(findings_of(c, 120.0), {"overstride/both/landing_angle_deg"});
}

TEST(FindingsOnSimulatedRuns, LargeTiltGivesAnteriorTilt) {
  auto c = neutral_runner();
  c.tilt_offset_deg = 15.0;  // tilt at contact about 12.5 deg (the offset less most of the 2.5 deg swing)
  expect_exactly(findings_of(c, 120.0), {"anterior_tilt/both/tilt_ic_deg"});
}

TEST(FindingsOnSimulatedRuns, LowCadenceGivesCadenceLow) {
  auto c = neutral_runner();
  c.cadence_spm = 156.0;
  expect_exactly(findings_of(c, 120.0), {"cadence_low/both/cadence_spm"});
}

}  // namespace
}  // namespace stridefuse::fusion
