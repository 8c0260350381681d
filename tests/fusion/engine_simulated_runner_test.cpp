// End to end: the engine on the simulated runner, checked against its ground
// truth. The bounds are the errors measured here (see fusion/README.md) with a
// margin; the benchmark engine_accuracy_bench prints the figures.

#include <gtest/gtest.h>

#include "../support/step_scoring.hpp"
#include "simulated_session.hpp"

namespace stridefuse::fusion {
namespace {

using testing::run_simulated_session;
using testing::SessionAccuracy;

// Without a standing start, the contact during which an insole learns its
// loaded level is not reported, which weighs on the recall of short runs.
void expect_gait_events_accurate(const SessionAccuracy& a, double min_recall = 0.97) {
  EXPECT_GE(a.recall, min_recall);
  EXPECT_GE(a.precision, 0.97);
  EXPECT_LT(std::abs(a.ic_s.mean), 0.006);
  EXPECT_LT(a.ic_s.rms, 0.007);
  EXPECT_LT(std::abs(a.contact_s.mean), 0.008);
  EXPECT_LT(a.contact_s.rms, 0.014);
  EXPECT_LT(a.cadence_spm.rms, 3.0);
  EXPECT_GE(a.strike_pattern_agreement, 0.95);
}

struct PelvisBounds {
  double calibrated_fraction = 0.8;  // a few steps pass before forward is known (not_calibrated)
  double tilt_deg = 1.5;
  double obliquity_deg = 1.0;
  double drop_deg = 1.0;
};

void expect_pelvis_accurate(const SessionAccuracy& a, PelvisBounds b = {}) {
  EXPECT_GE(static_cast<double>(a.tilt_deg.count), b.calibrated_fraction * static_cast<double>(a.matched));
  EXPECT_LT(a.tilt_deg.rms, b.tilt_deg);
  EXPECT_LT(a.obliquity_deg.rms, b.obliquity_deg);
  EXPECT_LT(a.rotation_deg.rms, 1.0);
  EXPECT_LT(a.drop_deg.rms, b.drop_deg);
  EXPECT_LT(a.vertical_oscillation_m.rms, 0.01);
  EXPECT_LT(a.braking_s.rms, 0.02);
}

TEST(EngineOnSimulatedRunner, RearfootRunnerOnATreadmillWithAStandingStart) {
  sim::RunnerConfig config;
  const auto a = run_simulated_session(config, 40.0);
  testing::print(a);
  EXPECT_EQ(a.calibration, CalibrationSource::standing);
  expect_gait_events_accurate(a);
  expect_pelvis_accurate(a);
  EXPECT_LT(a.step_length_m.rms, 0.03);
  EXPECT_LT(a.foot_strike_m.rms, 0.05);
  EXPECT_GE(a.foot_strike_m.count, a.matched * 8 / 10);
  // Each distance comes with its own uncertainty, which covers its error.
  for (const auto& step : a.steps) {
    EXPECT_EQ(step.foot_strike_distance_uncertainty_m.present(), step.foot_strike_distance_m.present());
    if (step.foot_strike_distance_m.present()) {
      EXPECT_GT(step.foot_strike_distance_uncertainty_m.value, 0.005);
      EXPECT_LT(step.foot_strike_distance_uncertainty_m.value, 0.05);
    } else {
      EXPECT_EQ(step.foot_strike_distance_uncertainty_m.absent_reason, step.foot_strike_distance_m.absent_reason);
    }
  }
  EXPECT_GE(scoring::Score::within_pct(a.foot_strike_m.errors, a.foot_strike_sd_m, 2.0), 85.0);
}

// Issue 3 targets on two minutes, with the sensor far from the centre of
// mass: the lever arm learnt in flight must keep the foot-strike distance
// where a sensor at the centre of mass puts it (uncorrected the lever arm
// moved it by 4-5 cm here). Against the truth both read about +1.5 cm on
// this rearfoot runner, as the strike index reads +4 % of the foot's length:
// the centre of pressure at IC comes from samples that have rolled forward
// (fusion/README.md, "Known weaknesses"; the forefoot runner reads +0.1 cm).
TEST(EngineOnSimulatedRunner, TimingAndFootStrikeDistanceWithALongLeverArm) {
  sim::RunnerConfig config;
  config.pelvis.mount_roll_pitch_yaw_deg = {35.0, 20.0, -120.0};
  config.pelvis.lever_arm_m = {0.0, 0.0, 0.0};
  const auto at_com = run_simulated_session(config, 120.0);
  config.pelvis.lever_arm_m = {-0.15, 0.0, 0.10};
  const auto a = run_simulated_session(config, 120.0);
  testing::print(a);
  EXPECT_LT(a.ic_s.abs_quantile(0.5), 0.003);
  EXPECT_LT(a.ic_s.abs_quantile(0.95), 0.008);
  EXPECT_LT(a.contact_s.rms, 0.005);
  EXPECT_LT(std::abs(a.foot_strike_m.mean - at_com.foot_strike_m.mean), 0.01);
  EXPECT_LT(a.foot_strike_m.rms, 0.035);
}

TEST(EngineOnSimulatedRunner, NoStandingPeriodCalibratesFromTheFirstStrides) {
  sim::RunnerConfig config;
  config.standing_s = 0.0;
  config.seed = 5;
  config.tilt_offset_deg = 0.0;  // the running posture is then the neutral one
  const auto a = run_simulated_session(config, 60.0);
  testing::print(a);
  EXPECT_EQ(a.calibration, CalibrationSource::first_strides);
  expect_gait_events_accurate(a);
  // The attitude estimate starts from a guess here, so the neutral waits for
  // it to settle (15 s), and the mean running posture is only an estimate of
  // the standing one: measured 1.9 deg tilt and 1.1 deg obliquity bias.
  expect_pelvis_accurate(a, {0.6, 2.5, 1.6, 1.0});
}

TEST(EngineOnSimulatedRunner, ForefootStrikerAnyMountingSpeedStreamInsoleImu) {
  sim::RunnerConfig config;
  config.seed = 11;
  config.strike_pattern = StrikePattern::forefoot;
  config.foot_strike_distance_m = 0.12;
  config.pelvis.mount_roll_pitch_yaw_deg = {35.0, 20.0, -120.0};
  config.speed_source = sim::SpeedSource::stream;
  config.insoles.sensor_count = 10;
  config.insoles.with_imu = true;  // p0..p9 then ax..gz: the pressures are read, the IMU ignored
  const auto a = run_simulated_session(config, 40.0);
  testing::print(a);
  EXPECT_EQ(a.calibration, CalibrationSource::standing);
  expect_gait_events_accurate(a);
  expect_pelvis_accurate(a);
  // A 1 Hz speed stream still reports standing (0 m/s) for the first steps
  // of a sudden start: those steps' lengths are short, the rest are right.
  EXPECT_LT(std::abs(a.step_length_m.mean), 0.05);
  EXPECT_LT(a.foot_strike_m.rms, 0.07);
}

TEST(EngineOnSimulatedRunner, WithoutSpeedFootStrikeDistanceAndStepLengthAreAbsent) {
  sim::RunnerConfig config;
  config.seed = 3;
  config.speed_source = sim::SpeedSource::none;
  const auto a = run_simulated_session(config, 20.0);
  expect_gait_events_accurate(a, 0.9);
  EXPECT_EQ(a.foot_strike_m.count, 0u);
  EXPECT_EQ(a.step_length_m.count, 0u);
  EXPECT_EQ(a.foot_strike_m.absent, a.matched);
  EXPECT_GT(a.braking_s.count, 0u);  // braking needs no speed
}

// A footpod at 1 Hz read 0 while the runner stood: held over the first
// steps after setting off, that reading would make their steps 0 m long (it
// made a 1.2 m step length error, 6.9 cm RMSE over 240 s). A speed no step
// is taken at is no step's speed: those steps' step length is absent.
TEST(EngineOnSimulatedRunner, AStandingFootpodReadingIsNoRunningStepsSpeed) {
  sim::RunnerConfig config;
  config.speed_source = sim::SpeedSource::stream;
  config.speed_stream.rate_hz = 1.0;
  const auto a = run_simulated_session(config, 20.0);
  EXPECT_LT(a.step_length_m.max_abs, 0.2) << "no step takes a standing reading for its speed";
  EXPECT_LT(a.step_length_m.rms, 0.03);
  std::size_t absent_for_speed = 0;
  for (const auto& s : a.steps)
    absent_for_speed += s.step_length_m.absent_reason == AbsentReason::not_detected && s.t_ic_s < config.standing_s + 1.5;
  EXPECT_GE(absent_for_speed, 1u) << "the first steps after standing have no speed reading of their own yet";
  EXPECT_LE(a.step_length_m.absent, 4u);
}

TEST(EngineOnSimulatedRunner, WithoutThePelvisItsMetricsAreAbsent) {
  sim::RunnerConfig config;
  config.seed = 8;
  // The IMU stream is declared somewhere else on the body: the engine has no pelvis.
  const auto a = run_simulated_session(config, 20.0, {}, [](std::vector<StreamDescriptor>& s) {
    s[sim::RunnerSimulation::pelvis_stream].location = BodyLocation::other;
  });
  expect_gait_events_accurate(a, 0.9);
  EXPECT_EQ(a.tilt_deg.count, 0u);
  EXPECT_EQ(a.foot_strike_m.count, 0u);
  EXPECT_EQ(a.vertical_oscillation_m.count, 0u);
  EXPECT_EQ(a.tilt_deg.absent, a.matched);
  EXPECT_EQ(a.attitude_events, 0u);
  EXPECT_GT(a.step_length_m.count, 0u);  // the treadmill speed still gives step length
}

TEST(EngineOnSimulatedRunner, ASaturatingAccelerometerDegradesThePelvisMetrics) {
  sim::RunnerConfig config;
  config.seed = 9;
  config.pelvis.noise.accel_range_mps2 = 20.0;  // clips at about 2 g: every impact saturates
  const auto a = run_simulated_session(config, 25.0);
  expect_gait_events_accurate(a, 0.9);
  EXPECT_EQ(a.vertical_oscillation_m.count, 0u);
  EXPECT_EQ(a.braking_s.count, 0u);
  EXPECT_EQ(a.drop_deg.count, 0u);
  EXPECT_EQ(a.drop_deg.absent, a.matched);
}

}  // namespace
}  // namespace stridefuse::fusion
