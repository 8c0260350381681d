// Realism of the simulated runner's body: the spring-mass stride, the forces,
// the centre of pressure and the pelvis, checked against running biomechanics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "stridefuse/sim/gait_timeline.hpp"
#include "stridefuse/sim/runner_simulation.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::sim {
namespace {

std::vector<StepTruth> steps_of(const RunnerConfig& config, double duration_s) {
  RunnerSimulation sim(config);
  sim.advance_to(duration_s, [](const SimulatedSample&) {});
  return sim.completed_steps();
}

TEST(RunnerModel, ContactTimesForcesAndFlightAreThoseOfRunning) {
  RunnerConfig config;
  const auto steps = steps_of(config, 30.0);
  ASSERT_GT(steps.size(), 60u);
  for (const auto& s : steps) {
    EXPECT_GE(s.contact_time_s, 0.18);
    EXPECT_LE(s.contact_time_s, 0.30);
    EXPECT_GT(s.flight_time_s, 0.0);
    EXPECT_GE(s.peak_vertical_force_bw, 2.0);
    EXPECT_LE(s.peak_vertical_force_bw, 3.0);
    EXPECT_NEAR(s.cadence_spm, 170.0, 1e-6);
    EXPECT_GT(s.vertical_oscillation_m, 0.04);
    EXPECT_LT(s.vertical_oscillation_m, 0.12);
  }
}

TEST(RunnerModel, MeanSpeedAndStepLengthMatchTheRequest) {
  RunnerConfig config;
  config.speed_mps = 4.2;
  config.cadence_spm = 180.0;
  const auto steps = steps_of(config, 20.0);
  ASSERT_FALSE(steps.empty());
  for (const auto& s : steps) {
    EXPECT_NEAR(s.step_length_m, 4.2 * 60.0 / 180.0, 1e-6);
    EXPECT_NEAR(s.speed_mps, 4.2, 1e-6);
  }
}

TEST(RunnerModel, FootStrikeDistanceIsTheParameterAndBrakingEndsWithTheCoMOverTheCoP) {
  RunnerConfig config;
  config.foot_strike_distance_m = 0.33;
  config.standing_s = 0.0;
  GaitTimeline timeline(config);
  timeline.extend_to(3.0);
  const StepTruth& step = timeline.steps().at(2);
  EXPECT_NEAR(step.foot_strike_distance_m, 0.33, 1e-12);
  ASSERT_GT(step.braking_time_s, 0.0);
  ASSERT_LT(step.braking_time_s, step.contact_time_s);
  // Force points from the CoP to the CoM: backward (braking) while the CoM is
  // behind the CoP, forward afterwards.
  for (double f = 0.02; f < 0.98; f += 0.02) {
    const double t = step.t_ic_s + f * step.contact_time_s;
    const BodyState b = timeline.body_at(t);
    const FootLoad& foot = b.feet[step.side == Side::left ? 0 : 1];
    ASSERT_GT(foot.normal_force_n, 0.0);
    if (t < step.t_ic_s + step.braking_time_s - 0.003) {
      EXPECT_LT(b.ground_force_n.x(), 0.0) << f;
    }
    if (t > step.t_ic_s + step.braking_time_s + 0.003) {
      EXPECT_GT(b.ground_force_n.x(), 0.0) << f;
    }
  }
}

TEST(RunnerModel, ForceActsAlongTheLegFromCentreOfPressureToCentreOfMass) {
  RunnerConfig config;
  config.standing_s = 0.0;
  GaitTimeline timeline(config);
  timeline.extend_to(2.0);
  const StepTruth& step = timeline.steps().at(1);
  const double strike_x_mm = 0.15 * config.insoles.foot_length_mm;
  const BodyState at_ic = timeline.body_at(step.t_ic_s + 1e-6);
  const double cop_at_ic_m = at_ic.com_position_m.x() + step.foot_strike_distance_m;
  for (double f = 0.1; f < 0.95; f += 0.1) {
    const BodyState b = timeline.body_at(step.t_ic_s + f * step.contact_time_s);
    const double cop_x = cop_at_ic_m + (b.feet[1].cop_x_mm - strike_x_mm) / 1000.0;
    const double lean = (b.com_position_m.x() - cop_x) / b.com_position_m.z();
    EXPECT_NEAR(b.ground_force_n.x() / b.ground_force_n.z(), lean, 1e-3) << f;
  }
}

TEST(RunnerModel, CentreOfPressureStartsWhereTheStrikePatternSays) {
  for (auto pattern : {StrikePattern::rearfoot, StrikePattern::midfoot, StrikePattern::forefoot}) {
    RunnerConfig config;
    config.strike_pattern = pattern;
    const auto steps = steps_of(config, 12.0);
    ASSERT_FALSE(steps.empty());
    for (const auto& s : steps) {
      EXPECT_EQ(s.strike_pattern, pattern);
      if (pattern == StrikePattern::rearfoot) {
        EXPECT_LT(s.strike_index_pct, 100.0 / 3.0);
      }
      if (pattern == StrikePattern::midfoot) {
        EXPECT_GE(s.strike_index_pct, 100.0 / 3.0);
        EXPECT_LE(s.strike_index_pct, 200.0 / 3.0);
      }
      if (pattern == StrikePattern::forefoot) {
        EXPECT_GT(s.strike_index_pct, 200.0 / 3.0);
      }
    }
  }
}

TEST(RunnerModel, CentreOfPressureRollsFromStrikePointToTheToes) {
  RunnerConfig config;
  config.standing_s = 0.0;
  GaitTimeline timeline(config);
  timeline.extend_to(2.0);
  const StepTruth& step = timeline.steps().at(0);
  double last_x = 0.0;
  for (double f = 0.0; f < 1.0; f += 0.05) {
    const FootLoad foot = timeline.body_at(step.t_ic_s + f * step.contact_time_s).feet[0];
    EXPECT_GE(foot.cop_x_mm, last_x);
    last_x = foot.cop_x_mm;
  }
  EXPECT_NEAR(timeline.body_at(step.t_ic_s).feet[0].cop_x_mm, 0.15 * config.insoles.foot_length_mm, 1e-9);
  EXPECT_GT(last_x, 0.85 * config.insoles.foot_length_mm);
}

TEST(RunnerModel, OnlyOneFootIsLoadedWhileRunningAndNoneInFlight) {
  RunnerConfig config;
  config.standing_s = 2.0;
  GaitTimeline timeline(config);
  timeline.extend_to(6.0);
  const BodyState standing = timeline.body_at(1.0);
  EXPECT_NEAR(standing.feet[0].normal_force_n + standing.feet[1].normal_force_n,
              config.body_mass_kg * standard_gravity_mps2, 1e-9);
  for (const auto& s : timeline.steps()) {
    if (s.t_next_ic_s > 6.0) break;
    const BodyState mid = timeline.body_at(0.5 * (s.t_ic_s + s.t_to_s));
    const int stance = s.side == Side::left ? 0 : 1;
    EXPECT_GT(mid.feet[stance].normal_force_n, config.body_mass_kg * standard_gravity_mps2);
    EXPECT_EQ(mid.feet[1 - stance].normal_force_n, 0.0);
    const BodyState flight = timeline.body_at(0.5 * (s.t_to_s + s.t_next_ic_s));
    EXPECT_EQ(flight.feet[0].normal_force_n + flight.feet[1].normal_force_n, 0.0);
    EXPECT_EQ(flight.ground_force_n.norm(), 0.0);
  }
}

TEST(RunnerModel, PelvicAnglesFollowTheRequestedAmplitudesAndSigns) {
  RunnerConfig config;
  config.pelvic_drop_deg = 7.0;
  config.rotation_amplitude_deg = 6.0;
  config.tilt_offset_deg = 5.0;
  config.tilt_amplitude_deg = 2.0;
  const auto steps = steps_of(config, 20.0);
  ASSERT_GT(steps.size(), 20u);
  for (const auto& s : steps) {
    if (s.t_ic_s < config.standing_s + 1.0) continue;  // easing in from standing
    EXPECT_NEAR(s.pelvic_drop_deg, 7.0, 0.05);
    // At left contact the left side is forward: rotation negative (right side forward positive).
    EXPECT_NEAR(s.rotation_ic_deg, s.side == Side::left ? -6.0 : 6.0, 1e-9);
    EXPECT_NEAR(s.tilt_ic_deg, 3.0, 1e-9);
    EXPECT_NEAR(s.obliquity_ic_deg, 0.0, 1e-9);
  }
}

TEST(RunnerModel, AsymmetryAndFatigueShowInTheTruth) {
  RunnerConfig config;
  config.foot_strike_distance_asymmetry_pct = 10.0;
  config.pelvic_drop_asymmetry_pct = -20.0;
  config.fatigue.pelvic_drop_deg_per_hour = 36.0;  // +1 deg per 100 s, to see it in a short test
  config.fatigue.foot_strike_distance_m_per_hour = 0.36;
  const auto steps = steps_of(config, 105.0);
  ASSERT_GT(steps.size(), 200u);
  const StepTruth& l = steps[10];
  const StepTruth& r = steps[11];
  ASSERT_EQ(l.side, Side::left);
  const double fsd_mean = 0.5 * (l.foot_strike_distance_m + r.foot_strike_distance_m);
  EXPECT_NEAR((l.foot_strike_distance_m - r.foot_strike_distance_m) / fsd_mean * 100.0, 10.0, 0.1);
  const double drop_mean = 0.5 * (l.pelvic_drop_deg + r.pelvic_drop_deg);
  EXPECT_NEAR((l.pelvic_drop_deg - r.pelvic_drop_deg) / drop_mean * 100.0, -20.0, 0.5);
  const StepTruth& late = steps.back().side == Side::left ? steps.back() : steps[steps.size() - 2];
  ASSERT_EQ(late.side, Side::left);
  const double minutes = (late.t_ic_s - l.t_ic_s) / 60.0;
  EXPECT_NEAR(late.foot_strike_distance_m - l.foot_strike_distance_m, 0.006 * minutes * 1.05, 0.002);
  EXPECT_GT(late.pelvic_drop_deg - l.pelvic_drop_deg, 0.5 * minutes);
}

TEST(RunnerModel, ImpossibleGaitIsRejectedWithAMessage) {
  RunnerConfig config;
  config.speed_mps = 1.6;
  config.cadence_spm = 125.0;
  config.foot_strike_distance_m = 0.55;
  try {
    RunnerSimulation sim(config);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("foot-strike distance"), std::string::npos) << e.what();
  }
  RunnerConfig bad;
  bad.cadence_spm = std::nan("");
  EXPECT_THROW(RunnerSimulation{bad}, std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse::sim
