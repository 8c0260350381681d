#include "stridefuse/fusion/mounting_calibration.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion {
namespace {

// The sensor sits at an arbitrary orientation on a pelvis aligned with the
// session frame (X forward, Y left, Z up); q_sensor_to_earth is that mounting.
const Eigen::Quaterniond mounting =
    Eigen::Quaterniond(Eigen::AngleAxisd(2.1, Eigen::Vector3d(0.3, -0.8, 0.5).normalized()));

Eigen::Vector3d specific_force_in_sensor(const Eigen::Vector3d& linear_earth) {
  return mounting.conjugate() * (linear_earth + standard_gravity_mps2 * Eigen::Vector3d::UnitZ());
}

// Running-like accelerations, earth frame: forward braking then propulsion
// each step while the vertical force rises then falls; lateral sway at
// stride frequency, alternating sign between left and right steps.
Eigen::Vector3d running_accel(double t, double step_s = 0.35) {
  const double w = 2.0 * pi / step_s;
  return {-4.0 * std::sin(w * t), 2.5 * std::sin(0.5 * w * t), -9.0 * std::cos(w * t)};
}

double angle_deg(const Eigen::Vector3d& a, const Eigen::Vector3d& b) {
  return deg_from_rad(std::acos(std::clamp(a.normalized().dot(b.normalized()), -1.0, 1.0)));
}

TEST(MountingCalibration, StandingStartAndBrakingWindowsFindTheMounting) {
  MountingCalibration cal;
  const double dt = 0.005;
  for (int i = 0; i < 600; ++i) cal.add_sample(specific_force_in_sensor(Eigen::Vector3d::Zero()), Eigen::Vector3d::Zero(), mounting, dt);
  EXPECT_FALSE(cal.calibrated());
  const double step_s = 0.35;
  for (int i = 0; i < 3000 && !cal.calibrated(); ++i) {
    const double t = i * dt;
    cal.add_sample(specific_force_in_sensor(running_accel(t, step_s)), Eigen::Vector3d(0.0, 0.0, 1.0), mounting, dt);
    // One braking window per step: the early-stance mean, alternating sway sign.
    if (i % 70 == 69) {
      const double sway = (i / 70) % 2 ? 1.5 : -1.5;
      cal.add_braking_window(mounting.conjugate() * Eigen::Vector3d(-3.0, sway, 0.0));
    }
  }
  ASSERT_TRUE(cal.calibrated());
  EXPECT_EQ(cal.source(), CalibrationSource::standing);
  // Forward is refined once from more steps, then fixed.
  EXPECT_TRUE(cal.wants_braking_windows());
  for (int k = 0; k < 40; ++k) cal.add_braking_window(mounting.conjugate() * Eigen::Vector3d(-3.0, k % 2 ? 1.5 : -1.5, 0.0));
  EXPECT_FALSE(cal.wants_braking_windows());
  const Eigen::Matrix3d p2s = cal.pelvis_to_sensor();
  EXPECT_LT(angle_deg(p2s.col(2), mounting.conjugate() * Eigen::Vector3d::UnitZ()), 0.5);
  EXPECT_LT(angle_deg(p2s.col(0), mounting.conjugate() * Eigen::Vector3d::UnitX()), 1.0);
  EXPECT_NEAR(p2s.determinant(), 1.0, 1e-9);
}

TEST(MountingCalibration, WithoutInsolesForwardIsTheBrakingSignedPrincipalAxis) {
  MountingCalibrationConfig config;
  config.settle_s = 1.0;
  MountingCalibration cal(config, /*expect_steps=*/false);
  const double dt = 0.005;
  for (int i = 0; i < 6000 && !cal.calibrated(); ++i)
    cal.add_sample(specific_force_in_sensor(running_accel(i * dt)), Eigen::Vector3d(0.0, 0.0, 1.0), mounting, dt);
  ASSERT_TRUE(cal.calibrated());
  EXPECT_EQ(cal.source(), CalibrationSource::first_strides);
  const Eigen::Matrix3d p2s = cal.pelvis_to_sensor();
  // Not backward: braking (negative forward) comes with a rising vertical force.
  EXPECT_LT(angle_deg(p2s.col(0), mounting.conjugate() * Eigen::Vector3d::UnitX()), 2.0);
  EXPECT_LT(angle_deg(p2s.col(2), mounting.conjugate() * Eigen::Vector3d::UnitZ()), 1.0);
}

TEST(MountingCalibration, NotCalibratedBeforeMovementAndRejectsBadSettings) {
  MountingCalibration cal;
  EXPECT_THROW(cal.pelvis_to_sensor(), std::logic_error);
  EXPECT_EQ(cal.source(), CalibrationSource::none);
  MountingCalibrationConfig bad;
  bad.braking_windows_needed = 0;
  EXPECT_THROW(MountingCalibration{bad}, std::invalid_argument);
  bad = {};
  bad.standing_min_s = -1.0;
  EXPECT_THROW(MountingCalibration{bad}, std::invalid_argument);
}

TEST(MountingCalibration, NonFiniteSamplesAreIgnored) {
  MountingCalibration cal;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  cal.add_sample(Eigen::Vector3d(nan, 0.0, 9.8), Eigen::Vector3d::Zero(), mounting, 0.005);
  cal.add_sample(specific_force_in_sensor(Eigen::Vector3d::Zero()), Eigen::Vector3d::Zero(), mounting, nan);
  cal.add_braking_window(Eigen::Vector3d(nan, 0.0, 0.0));
  EXPECT_FALSE(cal.calibrated());
  EXPECT_FALSE(cal.has_standing());
}

}  // namespace
}  // namespace stridefuse::fusion
