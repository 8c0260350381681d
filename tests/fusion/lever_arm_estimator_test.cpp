// The pelvis sensor's lever arm from flight phases, where the centre of mass
// is in free fall and the accelerometer reads only the rotation's terms.

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "stridefuse/fusion/lever_arm_estimator.hpp"

namespace stridefuse::fusion {
namespace {

TEST(LeverArmEstimator, RecoversTheArmAndIgnoresAnAccelerometerOffset) {
  const Eigen::Vector3d arm(0.05, -0.02, 0.12), offset(0.1, -0.05, 0.08);
  LeverArmEstimator estimator;
  std::mt19937 random(7);
  std::normal_distribution<double> noise(0.0, 0.05);
  EXPECT_FALSE(estimator.lever_arm_m().has_value());
  for (int i = 0; i < 2000; ++i) {
    const double t = i * 0.005;
    // Pelvis-like rates: a few rad/s at the stride and step frequencies.
    const Eigen::Vector3d omega(0.3 * std::sin(17.8 * t), 0.8 * std::cos(17.8 * t + 0.4), 0.7 * std::sin(8.9 * t));
    const Eigen::Vector3d alpha(0.3 * 17.8 * std::cos(17.8 * t), -0.8 * 17.8 * std::sin(17.8 * t + 0.4),
                                0.7 * 8.9 * std::cos(8.9 * t));
    const Eigen::Vector3d accel = LeverArmEstimator::rotational_acceleration(arm, omega, alpha) + offset +
                                  Eigen::Vector3d(noise(random), noise(random), noise(random));
    estimator.add_flight_sample(accel, omega, alpha);
  }
  const auto estimate = estimator.lever_arm_m();
  ASSERT_TRUE(estimate.has_value());
  EXPECT_LT((*estimate - arm).norm(), 0.005);
}

TEST(LeverArmEstimator, NoRotationLeavesTheArmAtZeroAndNonFiniteSamplesAreIgnored) {
  LeverArmEstimator estimator;
  for (int i = 0; i < 500; ++i)
    estimator.add_flight_sample(Eigen::Vector3d(0.2, 0.0, -0.1), Eigen::Vector3d::Zero(), Eigen::Vector3d::Zero());
  estimator.add_flight_sample(Eigen::Vector3d(NAN, 0.0, 0.0), Eigen::Vector3d::Zero(), Eigen::Vector3d::Zero());
  EXPECT_EQ(estimator.samples(), 500u);
  const auto estimate = estimator.lever_arm_m();
  ASSERT_TRUE(estimate.has_value());
  EXPECT_LT(estimate->norm(), 1e-9);
}

TEST(LeverArmEstimator, RotationalAccelerationOfAPointOnASpinningBody) {
  // Spinning at 2 rad/s about z, a point 0.1 m out on x: centripetal 0.4 m/s^2 inward.
  const Eigen::Vector3d a = LeverArmEstimator::rotational_acceleration(Eigen::Vector3d(0.1, 0, 0), Eigen::Vector3d(0, 0, 2),
                                                                       Eigen::Vector3d::Zero());
  EXPECT_NEAR(a.x(), -0.4, 1e-12);
  EXPECT_NEAR(a.y(), 0.0, 1e-12);
  // Angular acceleration 3 rad/s^2 about z: tangential 0.3 m/s^2 along y.
  const Eigen::Vector3d b = LeverArmEstimator::rotational_acceleration(Eigen::Vector3d(0.1, 0, 0), Eigen::Vector3d::Zero(),
                                                                       Eigen::Vector3d(0, 0, 3));
  EXPECT_NEAR(b.y(), 0.3, 1e-12);
}

}  // namespace
}  // namespace stridefuse::fusion
