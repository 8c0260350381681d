#include "stridefuse/fusion/pelvis_step_metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion {
namespace {

constexpr double pelvis_rate_hz = 200.0;

// One step of duration T from IC at t0: vertical position A sin(2 pi (t - t0) / T + phase),
// forward acceleration -B sin(2 pi (t - t0) / Tc) during the contact Tc (braking then
// propulsion), zero in flight, plus a constant bias (an attitude error's gravity leak).
PelvisTrace analytic_step(double t0, double step_s, double contact_s, double a_m, double b_mps2, double bias_mps2,
                          double obliquity_amplitude_deg) {
  PelvisTrace trace;
  const double w = 2.0 * pi / step_s;
  for (double t = t0 - 0.05; t <= t0 + step_s + 0.05; t += 1.0 / pelvis_rate_hz) {
    const double tau = t - t0;
    const double vertical = -a_m * w * w * std::sin(w * tau + 0.3);
    const double forward = (tau >= 0.0 && tau <= contact_s ? -b_mps2 * std::sin(2.0 * pi * tau / contact_s) : 0.0);
    const double obliquity = obliquity_amplitude_deg * std::sin(pi * tau / contact_s);
    trace.push(t, forward + bias_mps2, vertical + bias_mps2, obliquity);
  }
  return trace;
}

TEST(PelvisStepMetrics, VerticalOscillationOfASinusoidIsTwiceItsAmplitude) {
  const auto trace = analytic_step(1.0, 0.35, 0.22, 0.04, 5.0, 0.4, 0.0);
  EXPECT_NEAR(vertical_oscillation_m(trace, 1.0, 1.35), 0.08, 0.002);
}

TEST(PelvisStepMetrics, BrakingEndsWhereForwardAccelerationTurnsPositive) {
  // Braking then propulsion of equal size: the sign change is mid-stance,
  // even with an acceleration bias (the step mean is removed first).
  const auto trace = analytic_step(2.0, 0.35, 0.22, 0.04, 6.0, 0.5, 0.0);
  const auto t_bp = braking_to_propulsion_s(trace, 2.0, 2.22, 2.35);
  ASSERT_TRUE(t_bp.has_value());
  EXPECT_NEAR(*t_bp - 2.0, 0.11, 0.004);
}

TEST(PelvisStepMetrics, AnAsymmetricStrideTakesItsMeanOverTheStride) {
  // Two steps of one stride: this one (from 0) brakes more than it propels,
  // the previous one (from -0.35) the other way round, so only the stride's
  // mean is the sensor's offset (0.5 m/s^2 here). The true zero crossing of
  // this stance's acceleration is at 0.13 s.
  PelvisTrace trace;
  for (double t = -0.35; t <= 0.35 + 1e-9; t += 1.0 / pelvis_rate_hz) {
    double a = 0.0;
    if (t >= 0.0 && t < 0.22) a = t < 0.13 ? -6.0 * std::sin(pi * t / 0.13) : 4.0 * std::sin(pi * (t - 0.13) / 0.09);
    if (t < -0.13) a = 6.0 * std::sin(pi * (t + 0.35) / 0.22) * (t + 0.35 < 0.09 ? -4.0 / 6.0 : 1.0);
    trace.push(t, a + 0.5, 0.0, 0.0);
  }
  const auto over_stride = braking_to_propulsion_s(trace, 0.0, 0.22, -0.35, 0.35);
  ASSERT_TRUE(over_stride.has_value());
  const auto over_step = braking_to_propulsion_s(trace, 0.0, 0.22, 0.35);
  ASSERT_TRUE(over_step.has_value());
  EXPECT_LT(std::abs(*over_stride - 0.13), std::abs(*over_step - 0.13));
  EXPECT_NEAR(*over_stride, 0.13, 0.006);
}

TEST(PelvisStepMetrics, NoBrakingMeansNoBrakingTime) {
  // A constant forward acceleration has nothing left once the step mean is removed.
  PelvisTrace flat;
  for (double t = 0.0; t < 0.4; t += 1.0 / pelvis_rate_hz) flat.push(t, 1.0, 0.0, 0.0);
  EXPECT_FALSE(braking_to_propulsion_s(flat, 0.0, 0.2, 0.39).has_value());
  // Propulsion then braking (the wrong order) is not a braking phase either.
  PelvisTrace reversed;
  for (double t = 0.0; t < 0.4; t += 1.0 / pelvis_rate_hz)
    reversed.push(t, t < 0.22 ? 5.0 * std::sin(2.0 * pi * t / 0.22) : 0.0, 0.0, 0.0);
  EXPECT_FALSE(braking_to_propulsion_s(reversed, 0.0, 0.11, 0.35).has_value());
}

TEST(PelvisStepMetrics, ForwardTravelIsSpeedTimesTimePlusTheFluctuation) {
  // Forward acceleration -B sin(w tau) over the whole step: velocity
  // fluctuation (B/w) cos(w tau) around its mean, so travel over [0, T/2] is
  // v T/2 + (B/w) * integral of (cos - 0) = v T/2 + B/w^2 * (sin(pi) - 0) = v T/2.
  // Over [0, T/4]: v T/4 + B/w^2.
  const double step = 0.35, b = 6.0, v = 3.5, w = 2.0 * pi / step;
  PelvisTrace trace;
  for (double t = 0.0; t <= step + 1e-9; t += 1.0 / 2000.0) trace.push(t, -b * std::sin(w * t), 0.0, 0.0);
  EXPECT_NEAR(pelvis_forward_travel_m(trace, v, 0.0, step, 0.0, step / 2.0), v * step / 2.0, 1e-4);
  EXPECT_NEAR(pelvis_forward_travel_m(trace, v, 0.0, step, 0.0, step / 4.0), v * step / 4.0 + b / (w * w), 1e-4);
}

TEST(PelvisStepMetrics, ForwardTravelCountsThePieceBeforeTheFirstSampleOfTheStep) {
  // 100 Hz, IC 4 ms after a sample: the 6 ms up to the next sample are travel
  // too (at 4.5 m/s, 2.7 cm that a span starting at the first sample would lose).
  PelvisTrace trace;
  for (int i = -5; i <= 40; ++i) trace.push(i * 0.01, 0.0, 0.0, 0.0);
  EXPECT_NEAR(pelvis_forward_travel_m(trace, 4.5, 0.004, 0.354, 0.004, 0.104), 4.5 * 0.1, 1e-9);
}

TEST(PelvisStepMetrics, PelvicDropFollowsTheSwingSide) {
  // Obliquity rising by 6 deg during stance: left side up, so the right side drops.
  const auto trace = analytic_step(0.0, 0.35, 0.22, 0.0, 0.0, 0.0, 6.0);
  EXPECT_NEAR(pelvic_drop_deg(trace, Side::left, 0.0, 0.22), 6.0, 0.01);   // right foot swings and drops
  EXPECT_NEAR(pelvic_drop_deg(trace, Side::right, 0.0, 0.22), 0.0, 1e-12);  // left side rose: no drop
  const auto mirrored = analytic_step(0.0, 0.35, 0.22, 0.0, 0.0, 0.0, -4.0);
  EXPECT_NEAR(pelvic_drop_deg(mirrored, Side::right, 0.0, 0.22), 4.0, 0.01);
}

TEST(PelvisStepMetrics, InterpolationAndCoverageErrors) {
  const std::vector<double> t{0.0, 1.0, 2.0}, v{0.0, 10.0, 30.0};
  EXPECT_DOUBLE_EQ(interpolate_at(t, v, 1.5), 20.0);
  EXPECT_DOUBLE_EQ(interpolate_at(t, v, -1.0), 0.0);
  EXPECT_THROW(interpolate_at({}, {}, 0.0), std::invalid_argument);
  PelvisTrace empty;
  EXPECT_THROW(vertical_oscillation_m(empty, 0.0, 1.0), std::invalid_argument);
  EXPECT_THROW(pelvis_forward_travel_m(empty, 3.0, 0.0, 1.0, 0.0, 0.5), std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse::fusion
