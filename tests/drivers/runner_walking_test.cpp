// The simulated runner walking (walking_stride.hpp) and delivering a subset
// of its sensors: the truth a walker must have (double support, no flight,
// the body carried on average), the sensors agreeing with it, and a subset
// changing nothing of the sensors it keeps.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "stridefuse/sim/runner_simulation.hpp"
#include "stridefuse/sim/walking_stride.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::sim {
namespace {

RunnerConfig walker() {
  RunnerConfig c;
  c.walking_s = std::numeric_limits<double>::infinity();
  return c;
}

TEST(RunnerWalking, StepsHaveDoubleSupportAndTheWalkersCadence) {
  RunnerSimulation sim(walker());
  sim.advance_to(30.0, [](const SimulatedSample&) {});
  const auto steps = sim.completed_steps();
  ASSERT_GT(steps.size(), 40u);
  const auto& w = walker().walking;
  for (const auto& s : steps) {
    EXPECT_EQ(s.gait_mode, GaitMode::walking);
    EXPECT_NEAR(s.cadence_spm, w.cadence_spm, 1e-6);
    EXPECT_NEAR(s.contact_time_s, w.duty_factor * 2.0 * 60.0 / w.cadence_spm, 1e-9);
    EXPECT_LT(s.flight_time_s, 0.0) << "double support";
    EXPECT_NEAR(s.speed_mps, w.speed_mps, 1e-3);
    EXPECT_EQ(s.strike_pattern, StrikePattern::rearfoot);
    EXPECT_GT(s.vertical_oscillation_m, 0.01);
    EXPECT_LT(s.vertical_oscillation_m, 0.08);
    EXPECT_GT(s.braking_time_s, 0.0);
    EXPECT_LT(s.braking_time_s, s.contact_time_s);
    EXPECT_GT(s.pelvic_drop_deg, 0.5 * w.pelvic_drop_deg);
  }
  for (std::size_t i = 1; i < steps.size(); ++i) EXPECT_NE(steps[i].side, steps[i - 1].side);
}

TEST(RunnerWalking, TheGroundCarriesTheBodyAndBothFeetAreLoadedInDoubleSupport) {
  RunnerConfig c = walker();
  c.pelvis.lever_arm_m = {0.0, 0.0, 0.0};
  c.pelvis.wobble_amplitude_mps2 = 0.0;
  RunnerSimulation sim(c);
  double vertical_sum = 0.0;
  std::size_t pelvis_n = 0, both_loaded = 0, insole_n = 0;
  std::array<double, 2> last_force{};
  const double first_ic = sim.running_start_s();
  sim.advance_to(40.0, [&](const SimulatedSample& s) {
    if (s.true_time_s < first_ic + 2.0) return;
    if (s.stream == RunnerSimulation::pelvis_stream) {
      // The pelvis sensor's specific force along session Z, from its true orientation.
      const auto& q = s.truth.sensor_orientation;
      const Eigen::Quaterniond r(q.w, q.x, q.y, q.z);
      vertical_sum += (r * Eigen::Vector3d(s.values[0], s.values[1], s.values[2])).z();
      ++pelvis_n;
    } else {
      last_force[s.stream - 1] = s.truth.vertical_force_n;
      both_loaded += last_force[0] > 50.0 && last_force[1] > 50.0;
      ++insole_n;
    }
  });
  // Over whole steps the vertical force averages body weight: specific force g.
  EXPECT_NEAR(vertical_sum / static_cast<double>(pelvis_n), standard_gravity_mps2, 0.05);
  // Double support: (duty factor - 0.5) x 2 of the time both feet carry load.
  const double share = static_cast<double>(both_loaded) / static_cast<double>(insole_n);
  EXPECT_NEAR(share, (c.walking.duty_factor - 0.5) * 2.0, 0.04);
}

TEST(RunnerWalking, WalksThenRuns) {
  RunnerConfig c;
  c.walking_s = 10.0;
  RunnerSimulation sim(c);
  sim.advance_to(25.0, [](const SimulatedSample&) {});
  std::size_t walking = 0, running = 0;
  for (const auto& s : sim.completed_steps()) {
    if (s.gait_mode == GaitMode::walking) {
      EXPECT_EQ(running, 0u) << "walking after running at " << s.t_ic_s;
      EXPECT_LT(s.t_ic_s, c.standing_s + c.walking_s + 60.0 / c.walking.cadence_spm + 1e-9);
      EXPECT_LT(s.flight_time_s, 0.0);
      ++walking;
    } else {
      EXPECT_EQ(s.gait_mode, GaitMode::running);
      EXPECT_GE(s.t_ic_s, c.standing_s + c.walking_s);
      EXPECT_GT(s.flight_time_s, 0.0);
      ++running;
    }
  }
  EXPECT_GT(walking, 15u);
  EXPECT_GT(running, 20u);
}

TEST(RunnerWalking, ParametersOutOfRangeAreRejectedWithTheirName) {
  RunnerConfig c = walker();
  c.walking.duty_factor = 0.5;  // no double support: not walking
  EXPECT_THROW(RunnerSimulation{c}, std::invalid_argument);
  c = walker();
  c.walking.speed_mps = 4.0;
  EXPECT_THROW(RunnerSimulation{c}, std::invalid_argument);
  c = walker();
  c.walking_s = -1.0;
  EXPECT_THROW(RunnerSimulation{c}, std::invalid_argument);
  WalkingStepParameters p;
  p.duty_factor = 0.9;
  EXPECT_THROW(WalkingStep{p}, std::invalid_argument);
}

TEST(RunnerSensorSets, ASubsetListsItsStreamsAndKeepsTheirSamples) {
  RunnerConfig all;
  RunnerConfig pelvis_right = all;
  pelvis_right.sensors = {true, false, true};
  RunnerSimulation a(all), b(pelvis_right);
  const auto streams = b.streams();
  ASSERT_EQ(streams.size(), 2u);
  EXPECT_EQ(streams[0].id, "pelvis_imu");
  EXPECT_EQ(streams[1].id, "right_insole");
  EXPECT_EQ(b.clock_truth().size(), 2u);
  EXPECT_EQ(b.clock_truth()[1].stream_id, "right_insole");
  std::vector<SimulatedSample> full, subset;
  a.advance_to(8.0, [&](const SimulatedSample& s) {
    if (s.stream != RunnerSimulation::left_insole_stream) full.push_back(s);
  });
  b.advance_to(8.0, [&](const SimulatedSample& s) { subset.push_back(s); });
  ASSERT_EQ(full.size(), subset.size());
  for (std::size_t i = 0; i < full.size(); ++i) {
    EXPECT_EQ(subset[i].stream, full[i].stream == RunnerSimulation::pelvis_stream ? 0 : 1);
    EXPECT_EQ(subset[i].raw_tick, full[i].raw_tick);
    for (std::size_t k = 0; k < full[i].channel_count; ++k) ASSERT_EQ(subset[i].values[k], full[i].values[k]);
  }
  EXPECT_EQ(sensor_set_from("right,pelvis").left_insole, false);
  EXPECT_THROW(sensor_set_from("pelvis,foot"), std::invalid_argument);
  EXPECT_THROW(sensor_set_from("left,left"), std::invalid_argument);
  RunnerConfig none;
  none.sensors = {false, false, false};
  EXPECT_THROW(RunnerSimulation{none}, std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse::sim
