#include "stridefuse/fusion/attitude_estimator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <random>

#include "attitude_broad_trial.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion {
namespace {

constexpr double g = standard_gravity_mps2;
constexpr double imu_period_s = 0.005;  // 200 Hz

Eigen::Vector3d gravity_in_sensor(const Eigen::Quaterniond& sensor_to_earth) {
  return sensor_to_earth.conjugate() * Eigen::Vector3d(0.0, 0.0, g);
}

double inclination_error_deg(const Eigen::Quaterniond& estimate, const Eigen::Quaterniond& truth) {
  return deg_from_rad(broad::inclination_error_rad(estimate, truth));
}

Eigen::Quaterniond rotation(double angle_deg, const Eigen::Vector3d& axis) {
  return Eigen::Quaterniond(Eigen::AngleAxisd(rad_from_deg(angle_deg), axis.normalized()));
}

Eigen::Quaterniond step_rotation(const Eigen::Vector3d& rate_radps, double dt_s) {
  const double angle = rate_radps.norm() * dt_s;
  if (angle == 0.0) return Eigen::Quaterniond::Identity();
  return Eigen::Quaterniond(Eigen::AngleAxisd(angle, rate_radps.normalized()));
}

TEST(AttitudeEstimator, StaticSensorConvergesFromAWrongStart) {
  AttitudeEstimator est;
  const Eigen::Quaterniond start = rotation(25.0, {1.0, 0.3, 0.0});
  for (int i = 0; i < 200; ++i) est.update(Eigen::Vector3d::Zero(), gravity_in_sensor(start), imu_period_s);
  EXPECT_LT(inclination_error_deg(est.orientation(), start), 0.01);
  // The sensor is now 40 degrees away from where the estimate believes it is
  // (as if it had been moved while no gyro data came in).
  const Eigen::Quaterniond truth = rotation(-40.0, {0.2, 1.0, 0.0}) * start;
  ASSERT_GT(inclination_error_deg(est.orientation(), truth), 30.0);
  std::mt19937 rng(1);
  std::normal_distribution<double> noise(0.0, 1.0);
  for (int i = 0; i < 30 * 200; ++i) {
    const Eigen::Vector3d gyro = Eigen::Vector3d(noise(rng), noise(rng), noise(rng)) * 0.003;
    const Eigen::Vector3d accel = gravity_in_sensor(truth) + Eigen::Vector3d(noise(rng), noise(rng), noise(rng)) * 0.05;
    est.update(gyro, accel, imu_period_s);
  }
  EXPECT_LT(inclination_error_deg(est.orientation(), truth), 0.2);
  EXPECT_TRUE(est.at_rest());
  EXPECT_LT(deg_from_rad(est.gyro_bias_radps().norm()), 0.1);
}

TEST(AttitudeEstimator, LearnsAConstantGyroBiasAtRest) {
  AttitudeEstimator est;
  const Eigen::Vector3d bias = Eigen::Vector3d(0.5, -0.3, 0.8) * rad_from_deg(1.0);
  const Eigen::Quaterniond truth = rotation(10.0, {0.0, 1.0, 0.0});
  std::mt19937 rng(2);
  std::normal_distribution<double> noise(0.0, 1.0);
  for (int i = 0; i < 15 * 200; ++i) {
    est.update(bias + Eigen::Vector3d(noise(rng), noise(rng), noise(rng)) * 0.003,
               gravity_in_sensor(truth) + Eigen::Vector3d(noise(rng), noise(rng), noise(rng)) * 0.05, imu_period_s);
  }
  EXPECT_TRUE(est.at_rest());
  // The bias state follows the 0.5 s gyro average, so it keeps a few 0.01 deg/s of noise.
  EXPECT_LT(deg_from_rad((est.gyro_bias_radps() - bias).norm()), 0.05);
  EXPECT_LT(inclination_error_deg(est.orientation(), truth), 0.1);
}

// Smooth three-axis motion that never rests: body rate is a sum of sinusoids.
Eigen::Vector3d swinging_rate_radps(double t) {
  return {1.2 * std::sin(2.0 * pi * 0.7 * t), 0.9 * std::sin(2.0 * pi * 0.45 * t + 1.0),
          1.5 * std::sin(2.0 * pi * 0.3 * t + 2.0)};
}

TEST(AttitudeEstimator, LearnsAConstantGyroBiasWhileMoving) {
  // The default in-motion noise is set for real, imperfect data (and learns
  // slowly); told that this synthetic data is clean, the same filter must
  // find the bias within a couple of minutes of continuous motion.
  AttitudeEstimatorConfig config;
  config.sample_rate_hz = 50.0;
  config.bias_motion_sigma_degps = 0.1;
  AttitudeEstimator est(config);
  constexpr double dt_50hz = 0.02;
  const Eigen::Vector3d bias = Eigen::Vector3d(0.6, -0.8, 0.5) * rad_from_deg(1.0);
  Eigen::Quaterniond truth = rotation(5.0, {1.0, 0.0, 0.0});
  bool ever_at_rest = false;
  double worst_late_error_deg = 0.0;
  // It starts in motion: the first accel_time_constant_s (3 s) are the
  // warm-up, whose corrections are not taken for bias; 150 s of learning after.
  for (int i = 0; i < 153 * 50; ++i) {
    const double t = i * dt_50hz;
    const Eigen::Vector3d rate = swinging_rate_radps(t);
    truth = (truth * step_rotation(rate, dt_50hz)).normalized();
    est.update(rate + bias, gravity_in_sensor(truth), dt_50hz);
    ever_at_rest = ever_at_rest || est.at_rest();
    if (t > 123.0) worst_late_error_deg = std::max(worst_late_error_deg, inclination_error_deg(est.orientation(), truth));
  }
  EXPECT_FALSE(ever_at_rest);
  // Measured 0.156 deg/s. Before the warm-up it was below 0.15: the
  // estimator then trusted the first sample, which this synthetic motion
  // (no linear acceleration) makes exact, and learned from the start.
  EXPECT_LT(deg_from_rad((est.gyro_bias_radps() - bias).cwiseAbs().maxCoeff()), 0.18)
      << "estimated bias (deg/s): " << deg_from_rad(1.0) * est.gyro_bias_radps().transpose();
  EXPECT_LT(worst_late_error_deg, 0.3);
}

TEST(AttitudeEstimator, WithoutMotionBiasEstimationTheBiasStaysUnlearnedWhileMoving) {
  // The counterpart of the test above: shows that it is the in-motion update
  // that learns the bias, not a side effect.
  AttitudeEstimatorConfig config;
  config.motion_bias_estimation = false;
  AttitudeEstimator est(config);
  const Eigen::Vector3d bias = Eigen::Vector3d(0.6, -0.8, 0.5) * rad_from_deg(1.0);
  Eigen::Quaterniond truth = Eigen::Quaterniond::Identity();
  for (int i = 0; i < 30 * 200; ++i) {
    const Eigen::Vector3d rate = swinging_rate_radps(i * imu_period_s);
    truth = (truth * step_rotation(rate, imu_period_s)).normalized();
    est.update(rate + bias, gravity_in_sensor(truth), imu_period_s);
  }
  EXPECT_EQ(est.gyro_bias_radps(), Eigen::Vector3d::Zero());
}

TEST(AttitudeEstimator, DefaultSettingsStillReduceAnUnknownBiasWhileMoving) {
  AttitudeEstimatorConfig config;
  config.sample_rate_hz = 50.0;
  AttitudeEstimator est(config);
  constexpr double dt_50hz = 0.02;
  const Eigen::Vector3d bias = Eigen::Vector3d(0.6, -0.8, 0.5) * rad_from_deg(1.0);
  Eigen::Quaterniond truth = Eigen::Quaterniond::Identity();
  for (int i = 0; i < 120 * 50; ++i) {
    const Eigen::Vector3d rate = swinging_rate_radps(i * dt_50hz);
    truth = (truth * step_rotation(rate, dt_50hz)).normalized();
    est.update(rate + bias, gravity_in_sensor(truth), dt_50hz);
  }
  // Measured: 0.69 of the initial error remains; slow, but it must not grow.
  EXPECT_LT((est.gyro_bias_radps() - bias).norm(), 0.8 * bias.norm());
}

TEST(AttitudeEstimator, PureRotationIntegratesExactly) {
  AttitudeEstimator est;
  const Eigen::Quaterniond start = rotation(15.0, {0.0, 1.0, 0.0});
  for (int i = 0; i < 100; ++i) est.update(Eigen::Vector3d::Zero(), gravity_in_sensor(start), imu_period_s);
  const Eigen::Quaterniond before = est.orientation();
  // 90 deg/s about the sensor's x axis for one second.
  const Eigen::Vector3d rate(rad_from_deg(90.0), 0.0, 0.0);
  Eigen::Quaterniond truth = start;
  for (int i = 0; i < 200; ++i) {
    truth = truth * step_rotation(rate, imu_period_s);
    est.update(rate, gravity_in_sensor(truth), imu_period_s);
  }
  const Eigen::Quaterniond turned = before.conjugate() * est.orientation();
  EXPECT_LT(deg_from_rad(turned.angularDistance(rotation(90.0, Eigen::Vector3d::UnitX()))), 0.05);
  EXPECT_LT(inclination_error_deg(est.orientation(), truth), 0.05);
}

// A running-like pelvis: per step (0.35 s) a 0.22 s stance with a half-sine
// vertical specific force peaking at 2.5 g (its mean over the step is 1 g, as it
// must be for a body that does not fly off), fore-aft braking then propulsion
// of +-0.6 g, and the pelvis rocking by a few degrees about both horizontal axes.
TEST(AttitudeEstimator, RepeatedRunningImpactsDoNotTiltTheEstimate) {
  constexpr double step_s = 0.35, stance_s = 0.22, peak_g = 2.5;
  AttitudeEstimator est;
  const Eigen::Quaterniond mount = rotation(12.0, {0.0, 1.0, 0.0});  // sensor pitched on the sacrum
  Eigen::Quaterniond truth = mount;
  for (int i = 0; i < 100; ++i) est.update(Eigen::Vector3d::Zero(), gravity_in_sensor(truth), imu_period_s);
  double worst_deg = 0.0, peak_accel_g = 0.0;
  for (int i = 0; i < 30 * 200; ++i) {
    const double t = i * imu_period_s;
    const double phase_s = std::fmod(t, step_s);
    Eigen::Vector3d force_earth = Eigen::Vector3d::Zero();
    if (phase_s < stance_s) {
      const double x = phase_s / stance_s;
      force_earth.z() = peak_g * g * std::sin(pi * x);
      force_earth.x() = -0.6 * g * std::sin(2.0 * pi * x);
    }
    // Obliquity at the stride frequency (half the step frequency), tilt at the step frequency.
    const Eigen::Vector3d rate_earth(rad_from_deg(5.0) * 2.0 * pi / (2.0 * step_s) * std::cos(pi * t / step_s),
                                     rad_from_deg(3.0) * 2.0 * pi / step_s * std::cos(2.0 * pi * t / step_s), 0.0);
    const Eigen::Vector3d rate_body = truth.conjugate() * rate_earth;
    truth = (truth * step_rotation(rate_body, imu_period_s)).normalized();
    const Eigen::Vector3d accel = truth.conjugate() * force_earth;
    peak_accel_g = std::max(peak_accel_g, accel.norm() / g);
    est.update(rate_body, accel, imu_period_s);
    worst_deg = std::max(worst_deg, inclination_error_deg(est.orientation(), truth));
  }
  EXPECT_GT(peak_accel_g, 2.4);
  EXPECT_LT(worst_deg, 0.5);  // measured 0.22 deg, during the first second
  EXPECT_FALSE(est.at_rest());
}

// Standing still, then setting off: 0 to 5.5 m/s forward in ramp_s while
// the running impacts start, then steady running. The accelerometer's
// low-pass alone takes the start's forward acceleration for a tilt (here
// 5.3 deg at worst) and the in-motion bias learns from undoing it; after a
// rest the gyroscope carries the inclination for the first 2 s of a start
// instead.
double worst_tilt_after_a_fast_start_deg(double gyro_leads_after_rest_s, double ramp_s = 1.5) {
  constexpr double step_s = 0.35, stance_s = 0.22, peak_g = 2.5, standing_s = 3.0;
  constexpr double top_speed_mps = 5.5;
  AttitudeEstimatorConfig config;
  config.gyro_leads_after_rest_s = gyro_leads_after_rest_s;
  AttitudeEstimator est(config);
  Eigen::Quaterniond truth = rotation(12.0, {0.0, 1.0, 0.0});
  double worst_deg = 0.0;
  for (int i = 0; i < 30 * 200; ++i) {
    const double t = i * imu_period_s, run_s = t - standing_s;
    Eigen::Vector3d force_earth(0.0, 0.0, g);
    Eigen::Vector3d rate_earth = Eigen::Vector3d::Zero();
    if (run_s >= 0.0) {
      const double phase_s = std::fmod(run_s, step_s);
      force_earth = Eigen::Vector3d::Zero();
      if (phase_s < stance_s) {
        const double x = phase_s / stance_s;
        force_earth = Eigen::Vector3d(-0.6 * g * std::sin(2.0 * pi * x), 0.0, peak_g * g * std::sin(pi * x));
      }
      if (run_s < ramp_s) force_earth.x() += top_speed_mps / ramp_s;  // the start's forward acceleration
      rate_earth = Eigen::Vector3d(rad_from_deg(5.0) * pi / step_s * std::cos(pi * run_s / step_s),
                                   rad_from_deg(3.0) * 2.0 * pi / step_s * std::cos(2.0 * pi * run_s / step_s), 0.0);
    }
    const Eigen::Vector3d rate_body = truth.conjugate() * rate_earth;
    truth = (truth * step_rotation(rate_body, imu_period_s)).normalized();
    est.update(rate_body, truth.conjugate() * force_earth, imu_period_s);
    if (run_s >= 0.0) worst_deg = std::max(worst_deg, inclination_error_deg(est.orientation(), truth));
  }
  return worst_deg;
}

TEST(AttitudeEstimator, SettingOffFastFromStandingDoesNotTiltTheEstimate) {
  const double lead_s = AttitudeEstimatorConfig{}.gyro_leads_after_rest_s;
  EXPECT_LT(worst_tilt_after_a_fast_start_deg(lead_s), 0.5);  // measured 0.15 deg
  const double off = worst_tilt_after_a_fast_start_deg(0.0);
  EXPECT_GT(off, 3.0) << "what the accelerometer alone makes of the start";
  // A slower start keeps the part of its acceleration after the lead
  // (measured: 4 s to speed, 2.9 deg where 5.3 without).
  EXPECT_LT(worst_tilt_after_a_fast_start_deg(lead_s, 4.0), 0.7 * worst_tilt_after_a_fast_start_deg(0.0, 4.0));
}

// The running pelvis again, with the stream lost for 0.3 s mid-run (a radio
// gap): the orientation after the gap is taken from a whole number of
// strides earlier, as the pelvis turns the same way every stride. Held
// instead, it would be off by the pelvis's swing meanwhile (here 3.3 deg) and
// take the accelerometer's seconds to come back.
TEST(AttitudeEstimator, AGapInAPeriodicMotionIsBridgedByTheStrideBefore) {
  constexpr double step_s = 0.35, stance_s = 0.22, peak_g = 2.5, gap_from_s = 15.1, gap_to_s = 15.4;
  AttitudeEstimator est;
  Eigen::Quaterniond truth = rotation(12.0, {0.0, 1.0, 0.0});
  for (int i = 0; i < 100; ++i) est.update(Eigen::Vector3d::Zero(), gravity_in_sensor(truth), imu_period_s);
  Eigen::Quaterniond at_gap = truth;
  double worst_after_deg = 0.0, last_t = -imu_period_s;
  for (int i = 0; i < 25 * 200; ++i) {
    const double t = i * imu_period_s;
    const double phase_s = std::fmod(t, step_s);
    Eigen::Vector3d force_earth = Eigen::Vector3d::Zero();
    if (phase_s < stance_s) force_earth.z() = peak_g * g * std::sin(pi * phase_s / stance_s);
    const Eigen::Vector3d rate_earth(rad_from_deg(5.0) * 2.0 * pi / (2.0 * step_s) * std::cos(pi * t / step_s),
                                     rad_from_deg(3.0) * 2.0 * pi / step_s * std::cos(2.0 * pi * t / step_s), 0.0);
    const Eigen::Vector3d rate_body = truth.conjugate() * rate_earth;
    truth = (truth * step_rotation(rate_body, imu_period_s)).normalized();
    if (t >= gap_from_s && t < gap_to_s) {
      if (t < gap_from_s + imu_period_s) at_gap = truth;
      continue;
    }
    est.update(rate_body, truth.conjugate() * force_earth, t - last_t);
    last_t = t;
    if (t >= gap_to_s) worst_after_deg = std::max(worst_after_deg, inclination_error_deg(est.orientation(), truth));
    if (t >= gap_to_s && t < gap_to_s + imu_period_s) {
      ASSERT_GT(inclination_error_deg(at_gap, truth), 3.0);  // what holding it would be off by
    }
  }
  EXPECT_LT(worst_after_deg, 0.6) << worst_after_deg;
}

// The same running pelvis, but the runner sets off without standing still and
// the gyro has a bias: the horizontal bias components must be learned from the
// running itself (the component along the upright pelvis axis is not observable
// while the pelvis stays upright, and is not asserted on).
TEST(AttitudeEstimator, LearnsTheHorizontalBiasWhileRunning) {
  constexpr double step_s = 0.35, stance_s = 0.22, peak_g = 2.5, dt_100hz = 0.01;
  AttitudeEstimatorConfig config;
  config.sample_rate_hz = 100.0;
  AttitudeEstimator est(config);
  const Eigen::Vector3d bias = Eigen::Vector3d(0.5, -0.5, 0.3) * rad_from_deg(1.0);
  Eigen::Quaterniond truth = Eigen::Quaterniond::Identity();
  double late_sum_sq = 0.0;
  int late_n = 0;
  for (int i = 0; i < 93 * 100; ++i) {  // 90 s of learning after the 3 s warm-up of a start in motion
    const double t = i * dt_100hz;
    const double x = std::fmod(t, step_s) / stance_s;
    const Eigen::Vector3d force_earth =
        x < 1.0 ? Eigen::Vector3d(-0.6 * g * std::sin(2.0 * pi * x), 0.0, peak_g * g * std::sin(pi * x))
                : Eigen::Vector3d::Zero();
    const Eigen::Vector3d rate_earth(rad_from_deg(5.0) * pi / step_s * std::cos(pi * t / step_s),
                                     rad_from_deg(3.0) * 2.0 * pi / step_s * std::cos(2.0 * pi * t / step_s), 0.0);
    const Eigen::Vector3d rate_body = truth.conjugate() * rate_earth;
    truth = (truth * step_rotation(rate_body, dt_100hz)).normalized();
    est.update(rate_body + bias, truth.conjugate() * force_earth, dt_100hz);
    if (t > 63.0) {
      const double e = inclination_error_deg(est.orientation(), truth);
      late_sum_sq += e * e;
      ++late_n;
    }
  }
  // Measured 0.052 deg/s. Before the warm-up it was below 0.05, from a lucky
  // start: the first sample is in flight (zero force), which left the
  // estimate at the identity, the truth here.
  EXPECT_LT(deg_from_rad((est.gyro_bias_radps() - bias).head<2>().cwiseAbs().maxCoeff()), 0.06)
      << "estimated bias (deg/s): " << deg_from_rad(1.0) * est.gyro_bias_radps().transpose();
  EXPECT_LT(std::sqrt(late_sum_sq / late_n), 0.05);  // the late inclination error, rms
}

TEST(AttitudeEstimator, NonFiniteInputsAndBadIntervalsAreSkippedAndCounted) {
  AttitudeEstimatorConfig config;
  config.use_magnetometer = true;
  AttitudeEstimator est(config);
  const Eigen::Quaterniond truth = rotation(20.0, {1.0, 1.0, 0.0});
  const Eigen::Vector3d mag = truth.conjugate() * Eigen::Vector3d(20.0, 0.0, -40.0);
  for (int i = 0; i < 400; ++i) est.update(Eigen::Vector3d::Zero(), gravity_in_sensor(truth), imu_period_s, mag);
  const Eigen::Quaterniond before = est.orientation();
  const Eigen::Vector3d bias_before = est.gyro_bias_radps();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const Eigen::Vector3d a = gravity_in_sensor(truth);
  est.update(Eigen::Vector3d(nan, 0.0, 0.0), a, imu_period_s);
  est.update(Eigen::Vector3d::Zero(), Eigen::Vector3d(0.0, inf, 0.0), imu_period_s);
  est.update(Eigen::Vector3d::Zero(), a, 0.0);
  est.update(Eigen::Vector3d::Zero(), a, -imu_period_s);
  est.update(Eigen::Vector3d::Zero(), a, nan);
  est.update(Eigen::Vector3d::Zero(), a, inf);
  est.update(Eigen::Vector3d::Zero(), a, imu_period_s, Eigen::Vector3d(0.0, 0.0, -inf));
  EXPECT_EQ(est.skipped_samples(), 7u);
  EXPECT_TRUE(est.orientation().coeffs().isApprox(before.coeffs()));
  EXPECT_EQ(est.gyro_bias_radps(), bias_before);
  for (int i = 0; i < 100; ++i) est.update(Eigen::Vector3d::Zero(), a, imu_period_s, mag);
  EXPECT_TRUE(est.orientation().coeffs().allFinite());
  EXPECT_LT(inclination_error_deg(est.orientation(), truth), 0.05);
  EXPECT_EQ(est.skipped_samples(), 7u);
}

TEST(AttitudeEstimator, ALongGapInTheDataDoesNotUpsetTheState) {
  AttitudeEstimator est;
  const Eigen::Quaterniond truth = rotation(30.0, {1.0, -1.0, 0.0});
  const Eigen::Vector3d a = gravity_in_sensor(truth);
  for (int i = 0; i < 400; ++i) est.update(Eigen::Vector3d::Zero(), a, imu_period_s);
  est.update(Eigen::Vector3d::Zero(), a, 1e9);  // e.g. a device reconnecting after a long time
  EXPECT_TRUE(est.orientation().coeffs().allFinite());
  EXPECT_TRUE(est.gyro_bias_radps().allFinite());
  for (int i = 0; i < 400; ++i) est.update(Eigen::Vector3d::Zero(), a, imu_period_s);
  EXPECT_LT(inclination_error_deg(est.orientation(), truth), 0.05);
  EXPECT_LT(deg_from_rad(est.gyro_bias_radps().norm()), 0.05);
  EXPECT_EQ(est.skipped_samples(), 0u);
}

TEST(AttitudeEstimator, RejectsAnInvalidConfig) {
  for (auto bad : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN()}) {
    AttitudeEstimatorConfig c;
    c.sample_rate_hz = bad;
    EXPECT_THROW(AttitudeEstimator{c}, std::invalid_argument);
    AttitudeEstimatorConfig d;
    d.accel_time_constant_s = bad;
    EXPECT_THROW(AttitudeEstimator{d}, std::invalid_argument);
  }
  for (auto bad : {-1.0, std::numeric_limits<double>::quiet_NaN()}) {
    AttitudeEstimatorConfig c;
    c.gyro_leads_after_rest_s = bad;
    EXPECT_THROW(AttitudeEstimator{c}, std::invalid_argument);
  }
  AttitudeEstimatorConfig off;
  off.gyro_leads_after_rest_s = 0.0;
  EXPECT_NO_THROW(AttitudeEstimator{off});
}

TEST(AttitudeEstimator, RestIsDetectedOnlyWhenStill) {
  AttitudeEstimator est;
  const Eigen::Quaterniond level = Eigen::Quaterniond::Identity();
  for (int i = 0; i < 200; ++i) est.update(Eigen::Vector3d::Zero(), gravity_in_sensor(level), imu_period_s);
  EXPECT_FALSE(est.at_rest()) << "one second is shorter than the minimum rest duration";
  for (int i = 0; i < 200; ++i) est.update(Eigen::Vector3d::Zero(), gravity_in_sensor(level), imu_period_s);
  EXPECT_TRUE(est.at_rest());
  // A slow steady turn about the vertical: accelerometer unchanged, gyro steady.
  // Its rate is far beyond any plausible bias, so this is motion, not rest.
  for (int i = 0; i < 600; ++i) est.update(Eigen::Vector3d(0.0, 0.0, rad_from_deg(20.0)), gravity_in_sensor(level), imu_period_s);
  EXPECT_FALSE(est.at_rest());
  EXPECT_LT(deg_from_rad(est.gyro_bias_radps().norm()), 0.05);
}

TEST(AttitudeEstimator, MagnetometerAlignsHeadingWithMagneticNorthAndIgnoresDisturbances) {
  AttitudeEstimatorConfig config;
  config.use_magnetometer = true;
  AttitudeEstimator est(config);
  const Eigen::Vector3d field_earth(20.0, 0.0, -40.0);  // north, dipping down
  const Eigen::Quaterniond truth = rotation(70.0, Eigen::Vector3d::UnitZ()) * rotation(10.0, Eigen::Vector3d::UnitX());
  const auto heading_error_deg = [&] {
    const Eigen::Vector3d north = est.orientation() * (truth.conjugate() * field_earth);
    return deg_from_rad(std::atan2(north.y(), north.x()));
  };
  for (int i = 0; i < 5 * 200; ++i)
    est.update(Eigen::Vector3d::Zero(), gravity_in_sensor(truth), imu_period_s, truth.conjugate() * field_earth);
  EXPECT_LT(std::abs(heading_error_deg()), 0.5);
  // A magnet nearby: the field triples and turns. The heading must not follow it.
  const Eigen::Vector3d disturbed = 3.0 * (rotation(60.0, Eigen::Vector3d::UnitZ()) * field_earth);
  for (int i = 0; i < 10 * 200; ++i)
    est.update(Eigen::Vector3d::Zero(), gravity_in_sensor(truth), imu_period_s, truth.conjugate() * disturbed);
  EXPECT_LT(std::abs(heading_error_deg()), 0.5);
  // Without the magnetometer the same data leaves the heading where the first sample put it.
  AttitudeEstimator no_mag;
  for (int i = 0; i < 5 * 200; ++i)
    no_mag.update(Eigen::Vector3d::Zero(), gravity_in_sensor(truth), imu_period_s, truth.conjugate() * field_earth);
  const Eigen::Vector3d north = no_mag.orientation() * (truth.conjugate() * field_earth);
  EXPECT_GT(std::abs(deg_from_rad(std::atan2(north.y(), north.x()))), 10.0);
}

// Regression on real data: a 21 s slice of BROAD trial 16 (fast hand-held
// translations, the trial richest in linear acceleration), starting 7 s
// before the scored movement so the bias can be found at rest first.
// Measured 0.528 deg with the default settings; the bound leaves ~25 %.
TEST(AttitudeEstimatorBroad, FastTranslationSliceStaysAccurate) {
  const std::string dir = std::string(STRIDEFUSE_SHARED_DIR) + "/data/broad";
  const std::string name = "16_undisturbed_fast_translation_B";
  if (!std::ifstream(dir + "/" + name + ".imu.csv")) GTEST_SKIP() << "BROAD data not found in " << dir;
  const auto trial = broad::load_trial(dir, name, 8000, 6000);
  ASSERT_EQ(trial.t_s.size(), 6000u);
  AttitudeEstimatorConfig config;
  config.sample_rate_hz = 285.714;
  EXPECT_LT(broad::inclination_rmse_deg(trial, config), 0.65);
  // Setting off after the slice's rest, the gyroscope carries the
  // inclination for gyro_leads_after_rest_s (2 s); this IMU's gyroscope alone
  // drifts within a few seconds of these fast movements, which bounds it.
  config.gyro_leads_after_rest_s = 6.0;
  EXPECT_GT(broad::inclination_rmse_deg(trial, config), 1.0);
  config.gyro_leads_after_rest_s = 2.0;
  // Gyro integration alone drifts off on the same slice: the bound above is
  // earned by the accelerometer correction, not by an easy slice.
  config.accel_time_constant_s = 1e6;
  config.motion_bias_estimation = false;
  config.rest_bias_estimation = false;
  EXPECT_GT(broad::inclination_rmse_deg(trial, config), 1.0);
}

}  // namespace
}  // namespace stridefuse::fusion
