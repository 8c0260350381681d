// PeriodicMotionMemory: the orientation after a gap from the stride before,
// only when the motion before the gap repeats.

#include "attitude/periodic_motion_memory.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion::attitude {
namespace {

constexpr double rate_hz = 200.0;

// A pelvis swinging about two axes with a stride of stride_s (obliquity) and its half (tilt).
Eigen::Vector3d swing_rate(double t, double stride_s) {
  return {0.5 * std::cos(2.0 * pi * t / stride_s), 0.8 * std::cos(4.0 * pi * t / stride_s), 0.0};
}

Eigen::Quaterniond orientation_at(double t, double stride_s) {
  // The integral of swing_rate about fixed axes (small angles: an exact
  // rotation about each, composed), periodic in the stride.
  const double x = 0.5 * stride_s / (2.0 * pi) * std::sin(2.0 * pi * t / stride_s);
  const double y = 0.8 * stride_s / (4.0 * pi) * std::sin(4.0 * pi * t / stride_s);
  return Eigen::Quaterniond(Eigen::AngleAxisd(x, Eigen::Vector3d::UnitX())) *
         Eigen::Quaterniond(Eigen::AngleAxisd(y, Eigen::Vector3d::UnitY()));
}

TEST(PeriodicMotionMemory, FindsTheStrideAndGivesTheOrientationAWholeStrideEarlier) {
  const double stride_s = 0.71;
  PeriodicMotionMemory memory(3.5, rate_hz);
  double t = 0.0;
  for (; t < 5.0; t += 1.0 / rate_hz) memory.add(t, orientation_at(t, stride_s), swing_rate(t, stride_s));
  const double after_gap_s = t + 0.3;
  const auto q = memory.across_gap(after_gap_s);
  ASSERT_TRUE(q.has_value());
  EXPECT_NEAR(memory.period_s(), stride_s, 1.0 / rate_hz);
  EXPECT_LT(deg_from_rad(q->angularDistance(orientation_at(after_gap_s, stride_s))), 0.3);
}

TEST(PeriodicMotionMemory, MotionThatDoesNotRepeatPredictsNothing) {
  PeriodicMotionMemory memory(3.5, rate_hz);
  std::mt19937 rng(5);
  std::normal_distribution<double> unit(0.0, 1.0);
  Eigen::Quaterniond q = Eigen::Quaterniond::Identity();
  double t = 0.0;
  for (; t < 5.0; t += 1.0 / rate_hz) {
    const Eigen::Vector3d rate(unit(rng), unit(rng), unit(rng));
    q = q * Eigen::Quaterniond(Eigen::AngleAxisd(rate.norm() / rate_hz, rate.normalized()));
    memory.add(t, q, rate);
  }
  EXPECT_FALSE(memory.across_gap(t + 0.3).has_value());
  EXPECT_EQ(memory.period_s(), 0.0);
}

TEST(PeriodicMotionMemory, AfterClearNothingIsPredicted) {
  const double stride_s = 0.71;
  PeriodicMotionMemory memory(3.5, rate_hz);
  double t = 0.0;
  for (; t < 5.0; t += 1.0 / rate_hz) memory.add(t, orientation_at(t, stride_s), swing_rate(t, stride_s));
  memory.clear();
  EXPECT_FALSE(memory.across_gap(t + 0.3).has_value());
}

TEST(PeriodicMotionMemory, RefusesAMemoryShorterThanTwoPeriods) {
  EXPECT_THROW(PeriodicMotionMemory(1.0, rate_hz), std::invalid_argument);
  EXPECT_THROW(PeriodicMotionMemory(3.5, 0.0), std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse::fusion::attitude
