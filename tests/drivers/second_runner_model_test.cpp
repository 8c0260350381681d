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
