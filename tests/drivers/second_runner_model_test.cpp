// The second runner model's physics (drivers/simulated/second_runner/README.md):
// checks that fail when the model breaks Newton, its impulse balance, its
// truth's definitions or its sensors' geometry; and one short run through the
// offline analysis (steps found, on the right side).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "stridefuse/fusion/pelvis_angles.hpp"
#include "stridefuse/runtime/offline_analysis.hpp"
#include "stridefuse/second_runner/insole.hpp"
#include "stridefuse/second_runner/pelvis_imu.hpp"
#include "stridefuse/second_runner/recording.hpp"
#include "stridefuse/core/units.hpp"
#include "support/second_runner_inputs.hpp"
#include "support/step_scoring.hpp"

namespace stridefuse::second_runner {
namespace {

Scenario short_run(unsigned seed, StrikePattern pattern) {
  Scenario sc = draw_scenario(seed, 8.0);
  sc.pattern = pattern;
  sc.strike_index_pct = pattern == StrikePattern::rearfoot ? 15.0 : pattern == StrikePattern::midfoot ? 50.0 : 78.0;
  sc.impact_ratio = pattern == StrikePattern::rearfoot ? 0.7 : pattern == StrikePattern::midfoot ? 0.2 : 0.0;
  return sc;
}

constexpr StrikePattern patterns[] = {StrikePattern::rearfoot, StrikePattern::midfoot, StrikePattern::forefoot};

// The indices of the model's grid that belong to a stance's step (touchdown to the next).
std::pair<std::size_t, std::size_t> step_indices(const Motion& m, const Stance& s) {
  return {static_cast<std::size_t>(std::ceil(s.touchdown_s / m.dt_s - 1e-9)),
          std::min(m.size(), static_cast<std::size_t>(std::ceil((s.touchdown_s + s.step_time_s) / m.dt_s - 1e-9)))};
}

TEST(SecondRunnerModel, EachStepsVerticalImpulseIsBodyWeightTimesItsTime) {
  for (unsigned seed = 1; seed <= 3; ++seed)
    for (const auto pattern : patterns) {
      const Scenario sc = short_run(seed, pattern);
      const Motion m = simulate_motion(sc);
      int checked = 0;
      for (const auto& s : m.stances) {
        const auto [a, b] = step_indices(m, s);
        if (b >= m.size()) break;
        double impulse_ns = 0.0;
        for (std::size_t i = a; i < b; ++i) impulse_ns += m.ground_force_n[i].z() * m.dt_s;
        // The grid cuts the step at whole samples: 1 sample of 0.25 ms in a step of ~0.35 s.
        EXPECT_NEAR(impulse_ns / (sc.body_mass_kg * gravity_mps2 * s.step_time_s), 1.0, 0.002) << seed;
        ++checked;
      }
      EXPECT_GT(checked, 15);
    }
}

TEST(SecondRunnerModel, EachStanceBrakesThenPropelsWithZeroNetForeAftImpulse) {
  for (unsigned seed = 1; seed <= 3; ++seed)
    for (const auto pattern : patterns) {
      const Scenario sc = short_run(seed, pattern);
      const Motion m = simulate_motion(sc);
      for (const auto& s : m.stances) {
        const auto [a, b] = step_indices(m, s);
        if (b >= m.size()) break;
        double net_ns = 0.0, braking_ns = 0.0;
        for (std::size_t i = a; i < b; ++i) {
          net_ns += m.ground_force_n[i].x() * m.dt_s;
          braking_ns += std::min(0.0, m.ground_force_n[i].x()) * m.dt_s;
        }
        EXPECT_LT(braking_ns, -1.0);
        EXPECT_LT(std::abs(net_ns), 0.01 * std::abs(braking_ns)) << "seed " << seed;
        const std::size_t early = a + static_cast<std::size_t>(0.1 * s.contact_time_s / m.dt_s);
        const std::size_t late = a + static_cast<std::size_t>(0.9 * s.contact_time_s / m.dt_s);
        EXPECT_LT(m.ground_force_n[early].x(), 0.0);
        EXPECT_GT(m.ground_force_n[late].x(), 0.0);
      }
    }
}

TEST(SecondRunnerModel, TheImuAtRestReadsOneG) {
  const Scenario sc = short_run(4, StrikePattern::rearfoot);
  const Motion m = simulate_motion(sc);
  const SensorPath path = sensor_path(sc, m);
  for (double t = 0.5; t < sc.standing_s - 0.1; t += 0.1)
    EXPECT_NEAR(path.specific_force_mps2[std::size_t(t / m.dt_s)].norm(), gravity_mps2, 1e-6);
  // The device's samples: noise and bias around 1 g.
  const ImuSamples imu = sample_imu(sc, m, path);
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  int n = 0;
  for (std::size_t k = 0; k < imu.device_t_s.size(); ++k)
    if (sc.pelvis_clock.true_from_device(imu.device_t_s[k]) < sc.standing_s - 0.1) mean += imu.accel_mps2[k], ++n;
  EXPECT_NEAR((mean / n - sc.accel_bias_mps2).norm(), gravity_mps2, 0.02);
}

TEST(SecondRunnerModel, TheSensorsSpecificForceIntegratesBackToItsVelocity) {
  const Scenario sc = short_run(5, StrikePattern::forefoot);
  const Motion m = simulate_motion(sc);
  const SensorPath path = sensor_path(sc, m);
  const auto velocity = [&](std::size_t i) { return Eigen::Vector3d((path.position_m[i + 1] - path.position_m[i - 1]) / (2.0 * m.dt_s)); };
  const std::size_t a = static_cast<std::size_t>((sc.standing_s + sc.ramp_s + 1.0) / m.dt_s), b = a + 4000;
  Eigen::Vector3d v = velocity(a);
  for (std::size_t i = a + 1; i <= b; ++i) {
    // Trapezoid of the acceleration in the session frame: attitude times specific force, minus gravity.
    const auto accel = [&](std::size_t j) {
      return Eigen::Vector3d(path.attitude[j] * path.specific_force_mps2[j] - Eigen::Vector3d(0.0, 0.0, gravity_mps2));
    };
    v += 0.5 * (accel(i - 1) + accel(i)) * m.dt_s;
  }
  EXPECT_LT((v - velocity(b)).norm(), 0.01) << v.transpose() << " vs " << velocity(b).transpose();
  EXPECT_GT(velocity(b).x(), 0.8 * sc.speed_mps);
}

TEST(SecondRunnerModel, TheGyrosRateIntegratesBackToItsAttitude) {
  const Scenario sc = short_run(1, StrikePattern::midfoot);
  const Motion m = simulate_motion(sc);
  const SensorPath path = sensor_path(sc, m);
  const std::size_t a = static_cast<std::size_t>(1.0 / m.dt_s), b = m.size() - 2;
  Eigen::Quaterniond q(path.attitude[a]);
  for (std::size_t i = a; i < b; ++i) {
    // The rate over [i, i + 1]: the mean of its ends, turned in the sensor's frame.
    const Eigen::Vector3d w = 0.5 * (path.rate_radps[i] + path.rate_radps[i + 1]);
    q = (q * Eigen::Quaterniond(Eigen::AngleAxisd(w.norm() * m.dt_s, w.normalized()))).normalized();
  }
  EXPECT_LT(Eigen::AngleAxisd(q.toRotationMatrix().transpose() * path.attitude[b]).angle(), rad_from_deg(0.5));
}

TEST(SecondRunnerModel, TheCentreOfMassKeepsItsLineAndItsSpeedSwingThroughARun) {
  // What made the pelvis IMU's gyro and accelerometer disagree (the test
  // below): the body ran off sideways (the pivot's lateral force is an
  // inverted pendulum, unsteered), and its braking grew stance after stance
  // (the horizontal forces' lever shrank with the integrated height's wander)
  // until each stance stopped the runner. Steady running sways by centimetres
  // and brakes the same at the end as at the start.
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const Scenario sc = draw_scenario(seed, 40.0);
    const Motion m = simulate_motion(sc);
    const auto steady = static_cast<std::size_t>((sc.standing_s + sc.ramp_s) / m.dt_s);
    double widest_m = 0.0;
    for (std::size_t i = steady; i < m.size(); ++i) widest_m = std::max(widest_m, std::abs(m.com_m[i].y()));
    EXPECT_LT(widest_m, 0.1) << "seed " << seed;
    // The forward speed's dip in each step (its most minus its least), the first ten steady steps against the last ten.
    std::vector<double> dips;
    for (const auto& s : m.stances) {
      const auto [a, b] = step_indices(m, s);
      if (a < steady || b + 1 >= m.size()) continue;
      double least = 1e9, most = -1e9;
      for (std::size_t i = a; i < b; ++i) {
        const double v = (m.com_m[i + 1].x() - m.com_m[i].x()) / m.dt_s;
        least = std::min(least, v), most = std::max(most, v);
      }
      dips.push_back(most - least);
    }
    ASSERT_GT(dips.size(), 40u);
    double first = 0.0, last = 0.0;
    for (std::size_t k = 0; k < 10; ++k) first += dips[k] / 10.0, last += dips[dips.size() - 1 - k] / 10.0;
    EXPECT_LT(last, 1.25 * first) << "seed " << seed << ": the speed's dip " << first << " m/s at the start, " << last << " at the end";
  }
}

// How far the pelvis device's gyro and accelerometer disagree about gravity,
// from its samples alone (what pelvis.csv holds, on the device's clock): the
// gyro's rate, less its mean over the standing start (its bias), carries the
// attitude from the standing start (levelled on the accelerometer's mean
// there); each sample's specific force turned by that attitude into the
// standing frame and averaged over the last `window_s` should point up,
// because over a window the mean specific force is gravity plus the sensor's
// velocity change over the window divided by its length. Compared in the
// standing frame rather than in the sensor's axes, so that the pelvis's own
// turning within the window does not count. The integration stops at the
// first gap: the samples cannot say how the sensor turned in it.
struct GravityDisagreement {
  double worst_deg = 0.0, at_s = 0.0;  ///< largest angle from `from_s` on, and when (s from the first sample)
  double checked_s = 0.0;              ///< how far the check got (the first gap ends it)
};
GravityDisagreement gravity_disagreement(const ImuSamples& imu, double period_s, double standing_s, double from_s,
                                         double window_s) {
  const auto& t = imu.device_t_s;
  Eigen::Vector3d level = Eigen::Vector3d::Zero(), bias = Eigen::Vector3d::Zero();
  std::size_t k = 0;
  for (; k < t.size() && t[k] - t.front() < standing_s; ++k) level += imu.accel_mps2[k], bias += imu.gyro_radps[k];
  level /= double(k), bias /= double(k);
  Eigen::Quaterniond q = Eigen::Quaterniond::FromTwoVectors(level, Eigen::Vector3d::UnitZ());
  std::vector<Eigen::Vector3d> standing_frame(t.size(), Eigen::Vector3d::Zero());
  GravityDisagreement out;
  Eigen::Vector3d sum = Eigen::Vector3d::Zero();
  std::size_t first = k;
  for (; k < t.size(); ++k) {
    const double dt = t[k] - t[k - 1];
    if (dt > 1.5 * period_s) break;
    // Each sample is the device's mean over the interval it ends: its rate turns the attitude over that interval.
    const Eigen::Vector3d w = imu.gyro_radps[k] - bias;
    if (w.norm() > 0.0) q = (q * Eigen::Quaterniond(Eigen::AngleAxisd(w.norm() * dt, w.normalized()))).normalized();
    standing_frame[k] = q * imu.accel_mps2[k];
    sum += standing_frame[k];
    while (t[first] <= t[k] - window_s) sum -= standing_frame[first++];
    out.checked_s = t[k] - t.front();
    if (out.checked_s < from_s) continue;
    const double angle_deg = deg_from_rad(std::acos(std::clamp(sum.normalized().z(), -1.0, 1.0)));
    if (angle_deg > out.worst_deg) out.worst_deg = angle_deg, out.at_s = out.checked_s;
  }
  return out;
}

TEST(SecondRunnerModel, ThePelvisGyroKeepsGravityWhereItsAccelerometerFindsIt) {
  // The sampled pelvis IMU, device clock, noise, bias and all, with the
  // scenario's random mounting and with the documented one (the sensor's axes
  // the pelvis's, Scenario::mounting's default). Running from one second
  // after the ramp (the window then holds no ramp) to the end or a gap.
  // Bound, 4 deg: over a one-second window the mean specific force in the
  // standing frame is g up + dv / 1 s, dv the sensor's horizontal velocity
  // change over the window: in steady running it is bounded by the swing of
  // the sensor's horizontal velocity within a stride (the centre of mass's
  // braking and propulsion and its sway, the 10-16 cm lever arm turning with
  // the pelvis's rotation and obliquity, the skin's wobble), under 0.6 m/s
  // here, so under 3.5 deg; the gyro's bias left after the standing mean and
  // its noise's random walk add well under 0.5 deg in 30 s.
  for (unsigned seed = 1; seed <= 4; ++seed)
    for (const bool documented_mounting : {false, true}) {
      Scenario sc = draw_scenario(seed, 25.0);
      if (documented_mounting) sc.mounting = Eigen::Quaterniond::Identity();
      const Motion m = simulate_motion(sc);
      const ImuSamples imu = sample_imu(sc, m, sensor_path(sc, m));
      const auto d = gravity_disagreement(imu, 1.0 / sc.imu_rate_hz, sc.standing_s - 0.5, sc.standing_s + sc.ramp_s + 1.0, 1.0);
      EXPECT_GT(d.checked_s, sc.standing_s + sc.ramp_s + 10.0);
      EXPECT_LT(d.worst_deg, 4.0) << "seed " << seed << (documented_mounting ? ", documented" : ", random") << " mounting, at "
                                  << d.at_s << " s";
    }
}

TEST(SecondRunnerModel, TheTruthsInitialContactIsWhereTheForceCrosses20N) {
  for (const auto pattern : patterns) {
    const Scenario sc = short_run(6, pattern);
    const Motion m = simulate_motion(sc);
    const auto truth = contact_truth(sc, m);
    ASSERT_GT(truth.size(), 10u);
    for (const auto& c : truth) {
      const auto& force = m.foot_force_n[c.side == Side::left ? 0 : 1];
      EXPECT_NEAR(m.at(force, c.ic_true_s), contact_threshold_n, 2.0);
      EXPECT_LT(m.at(force, c.ic_true_s - 0.001), contact_threshold_n);
      EXPECT_GT(m.at(force, c.ic_true_s + 0.001), contact_threshold_n);
      EXPECT_NEAR(m.at(force, c.to_true_s), contact_threshold_n, 2.0);
      EXPECT_GT(m.at(force, c.to_true_s - 0.001), contact_threshold_n);
      EXPECT_NEAR(c.ic_s, sc.pelvis_clock.device_from_true(c.ic_true_s), 1e-9);
      EXPECT_EQ(c.strike_pattern, pattern);
    }
  }
}

TEST(SecondRunnerModel, TheTruthsPelvicAnglesAreThoseOfFramesMd) {
  // The model builds the pelvis from its angles; the engine's decomposition must give them back.
  for (const Eigen::Vector3d& angles : {Eigen::Vector3d(5.0, 3.0, -7.0), Eigen::Vector3d(-2.0, -6.0, 4.0)}) {
    const auto back = fusion::pelvis_angles_from(Eigen::Quaterniond(pelvis_orientation(angles)));
    EXPECT_NEAR(back.tilt_deg, angles[0], 1e-9);
    EXPECT_NEAR(back.obliquity_deg, angles[1], 1e-9);
    EXPECT_NEAR(back.rotation_deg, angles[2], 1e-9);
  }
  // A left stance raises the obliquity (the right side drops).
  const Scenario sc = short_run(7, StrikePattern::midfoot);
  const Motion m = simulate_motion(sc);
  for (const auto& c : contact_truth(sc, m)) {
    const double mid_s = 0.5 * (c.ic_true_s + c.to_true_s);
    const double rise = m.at(m.pelvis_deg, mid_s)[1] - m.at(m.pelvis_deg, c.ic_true_s)[1];
    EXPECT_GT(c.side == Side::left ? rise : -rise, 0.0);
  }
}

TEST(SecondRunnerModel, TheCentreOfPressureEndsAtTheToe) {
  for (const auto pattern : patterns) {
    const Scenario sc = short_run(8, pattern);
    const Motion m = simulate_motion(sc);
    for (const auto& s : m.stances) {
      const double length_mm = s.foot_length_m * 1000.0;
      EXPECT_NEAR(cop_in_foot_mm(s, 0.0).x(), s.start_fraction * length_mm, 1e-9);
      EXPECT_GE(cop_in_foot_mm(s, s.contact_time_s).x(), 0.9 * length_mm);
      EXPECT_LE(cop_in_foot_mm(s, s.contact_time_s).x(), length_mm);
      // Medial at toe-off: -y on the left foot, +y on the right (the foot frame's y is to its left).
      EXPECT_LT((s.side == Side::left ? 1.0 : -1.0) * cop_in_foot_mm(s, s.contact_time_s).y(), 0.0);
    }
  }
}

TEST(SecondRunnerModel, TheLayoutsCellsCoverTheFootprint) {
  const double length_mm = 265.0;
  for (int count = 8; count <= 24; ++count) {
    const auto cells = insole_layout(count, length_mm);
    ASSERT_EQ(cells.size(), std::size_t(count));
    double cells_mm2 = 0.0, footprint_mm2 = 0.0;
    for (const auto& c : cells) cells_mm2 += c.area_mm2;
    for (double x = 0.05; x < length_mm; x += 0.1) footprint_mm2 += 2.0 * footprint_half_width_mm(x, length_mm) * 0.1;
    EXPECT_NEAR(cells_mm2 / footprint_mm2, 1.0, 0.02) << count;
    // Every point of the footprint has a cell within a patch's reach: its
    // distance to the nearest cell is below the diagonal of the largest patch.
    double largest_mm2 = 0.0;
    for (const auto& c : cells) largest_mm2 = std::max(largest_mm2, c.area_mm2);
    for (double x = 1.0; x < length_mm; x += 4.0)
      for (double y = -60.0; y <= 60.0; y += 4.0) {
        if (std::abs(y) >= footprint_half_width_mm(x, length_mm)) continue;
        double nearest = 1e9;
        for (const auto& c : cells) nearest = std::min(nearest, std::hypot(c.x_mm - x, c.y_mm - y));
        EXPECT_LT(nearest, std::sqrt(2.0 * largest_mm2)) << count << " cells, at " << x << ", " << y;
      }
  }
}

TEST(SecondRunnerModel, ThePatchCarriesTheForceItIsGiven) {
  // The dome's integral over the foot plane is the force, wherever its centre.
  const double weight_n = 700.0, length_mm = 270.0;
  for (const double force : {20.0, 700.0, 1800.0}) {
    double sum_n = 0.0;
    const Eigen::Vector2d cop(150.0, 5.0);
    for (double x = 0.25; x < 400.0; x += 0.5)
      for (double y = -150.0; y < 150.0; y += 0.5) sum_n += patch_pressure_kpa(force, cop, x, y, weight_n, length_mm) / 1000.0 * 0.25;
    EXPECT_NEAR(sum_n / force, 1.0, 0.01);
  }
}

TEST(SecondRunnerModel, AShortRunThroughTheOfflineAnalysisFindsItsStepsOnTheRightSide) {
  Scenario sc = short_run(9, StrikePattern::rearfoot);
  sc.running_s = 15.0;
  sc.pelvis_gap_s = 0.0;
  sc.left_clock = sc.right_clock = sc.pelvis_clock;
  const auto dir = std::filesystem::temp_directory_path() / "stridefuse-second-runner-test";
  const Recording rec = write_recording(sc, dir);
  const auto result = analyze_recording(analysis_inputs(rec, sc, true));
  const auto s = scoring::score(result.steps, rec.contacts);
  std::filesystem::remove_all(dir);
  ASSERT_GT(rec.contacts.size(), 30u);
  EXPECT_EQ(s.wrong_side, 0u);
  EXPECT_GE(s.matched, rec.contacts.size() * 9 / 10);
}

}  // namespace
}  // namespace stridefuse::second_runner
