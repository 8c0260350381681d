#include "stridefuse/fusion/foot_strike_distance.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion {
namespace {

// A stance whose braking lasts longer than its propulsion and whose force
// peaks early (a rearfoot runner's: the centre of mass passes over the
// centre of pressure before mid-stance), IC between samples of both sensors.
struct Stance {
  double t_ic_s = 10.0033, contact_s = 0.25, step_s = 0.35, speed_mps = 3.5;
  double brake_mps2 = 5.0;  // peak of the forward acceleration's fluctuation

  // Braking over the first 60 % then propulsion, each half a sine: zero net impulse.
  double forward_mps2(double t) const {
    const double s = t - t_ic_s, split = 0.6 * contact_s;
    if (s < 0.0 || s > contact_s) return 0.0;
    if (s < split) return -brake_mps2 * std::sin(pi * s / split);
    return brake_mps2 * split / (contact_s - split) * std::sin(pi * (s - split) / (contact_s - split));
  }
  double force_n(double t) const {
    const double u = (t - t_ic_s) / contact_s;
    return u < 0.0 || u > 1.0 ? 0.0 : 1800.0 * std::pow(std::sin(pi * u), 2.0) * (1.4 - 0.8 * u);
  }
  // The centre of pressure rolls from the heel (40 mm) to the toes (240 mm).
  double cop_mm(double t) const {
    const double u = std::clamp((t - t_ic_s) / contact_s, 0.0, 1.0);
    return 40.0 + 200.0 * u * u;
  }
  PelvisTrace trace(double rate_hz, double clock_offset_s = 0.0) const {
    PelvisTrace out;
    for (double t = t_ic_s - 0.05; t <= t_ic_s + step_s + 0.05; t += 1.0 / rate_hz)
      out.push(t + clock_offset_s, forward_mps2(t), 0.0, 0.0);
    return out;
  }
  StanceLoading insole(double rate_hz, double scale = 1.0) const {
    StanceLoading out;
    for (double t = t_ic_s - 0.02; t <= t_ic_s + contact_s + 0.02; t += 1.0 / rate_hz) {
      out.t_s.push_back(t);
      out.cop_x_mm.push_back(cop_mm(t));
      out.load_n.push_back(scale * force_n(t));
    }
    return out;
  }
  // The definition, integrated finely: the force-weighted mean of the
  // centre of mass's travel since IC minus the centre of pressure's. The
  // velocity is the mean speed plus the fluctuation with its step mean removed.
  double distance_m() const {
    constexpr int n = 200000;
    const double dt = step_s / n;
    double u = 0.0, u_sum = 0.0;
    for (int i = 0; i < n; ++i) {
      u += forward_mps2(t_ic_s + (i + 0.5) * dt) * dt;
      u_sum += u * dt;
    }
    const double u_mean = u_sum / step_s;
    double x = 0.0, weighted = 0.0, weight = 0.0;
    u = 0.0;
    for (int i = 0; i < n; ++i) {
      const double t = t_ic_s + (i + 0.5) * dt;
      u += forward_mps2(t) * dt;
      x += (speed_mps + u - u_mean) * dt;
      if (t > t_ic_s + contact_s) break;
      weighted += force_n(t) * (x - (cop_mm(t) - cop_mm(t_ic_s)) * 1e-3) * dt;
      weight += force_n(t) * dt;
    }
    return weighted / weight;
  }
  FootStrikeDistance estimate(double pelvis_hz, double insole_hz, double scale = 1.0, double clock_offset_s = 0.0,
                              const FootStrikeUncertaintyInputs& u = {}) const {
    return foot_strike_distance(trace(pelvis_hz, clock_offset_s), speed_mps, t_ic_s + clock_offset_s,
                                t_ic_s + contact_s + clock_offset_s, t_ic_s + step_s + clock_offset_s,
                                [&] {
                                  auto in = insole(insole_hz, scale);
                                  for (double& t : in.t_s) t += clock_offset_s;
                                  return in;
                                }(),
                                cop_mm(t_ic_s), u);
  }
};

TEST(FootStrikeDistance, IsTheForceWeightedBalanceOfTheStanceAtAnySampleRates) {
  const Stance s;
  const double truth = s.distance_m();
  ASSERT_GT(truth, 0.2) << "the fixture's foot lands well ahead";
  for (const double pelvis_hz : {100.0, 208.0, 416.0})
    for (const double insole_hz : {50.0, 100.0, 200.0})
      EXPECT_NEAR(s.estimate(pelvis_hz, insole_hz).distance_m, truth, insole_hz < 60.0 ? 0.004 : 0.002)
          << pelvis_hz << " Hz pelvis, " << insole_hz << " Hz insole";
}

TEST(FootStrikeDistance, TheForcesUnitAndACrossSensorClockOffsetDoNotMatter) {
  const Stance s;
  const double reference = s.estimate(200.0, 100.0).distance_m;
  EXPECT_NEAR(s.estimate(200.0, 100.0, 0.013).distance_m, reference, 1e-12) << "load in any linear unit";
  // Both sensors' times moved together: every travel is taken since the IC.
  EXPECT_NEAR(s.estimate(200.0, 100.0, 1.0, 0.5).distance_m, reference, 1e-9);
  // The pelvis 10 ms off the insole: only the speed's fluctuation moves.
  const double off = foot_strike_distance(s.trace(200.0, 0.010), s.speed_mps, s.t_ic_s, s.t_ic_s + s.contact_s,
                                          s.t_ic_s + s.step_s, s.insole(100.0), s.cop_mm(s.t_ic_s), {})
                         .distance_m;
  EXPECT_NEAR(off, reference, 0.005);
  EXPECT_GT(std::abs(off - reference), 1e-5) << "the fixture's speed fluctuates";
}

TEST(FootStrikeDistance, UncertaintyAddsItsPartsAndGrowsWithSlowerSparserSensors) {
  EXPECT_DOUBLE_EQ(ic_timing_sd_s(50.0), 2.0 * ic_timing_sd_s(100.0));
  EXPECT_NEAR(ic_timing_sd_s(100.0), 0.01 / std::sqrt(12.0), 1e-12);
  InsoleLayout sparse{Side::left, 260.0, {}}, dense{Side::left, 260.0, {}};
  for (int row = 0; row < 4; ++row)
    for (const double y : {-20.0, 20.0}) sparse.sensors.push_back({20.0 + 60.0 * row, y, 100.0});
  for (int row = 0; row < 12; ++row)
    for (const double y : {-25.0, 0.0, 25.0}) dense.sensors.push_back({15.0 + 20.0 * row, y + 3.0 * (row % 2), 100.0});
  EXPECT_NEAR(centre_of_pressure_sd_mm(sparse), 260.0 / 4.0 / std::sqrt(12.0), 1e-9);
  EXPECT_NEAR(centre_of_pressure_sd_mm(dense), 260.0 / 12.0 / std::sqrt(12.0), 1e-9);
  EXPECT_NEAR(centre_of_pressure_sd_mm(InsoleLayout{Side::right, 260.0, {}}), 260.0 / 8.0 / std::sqrt(12.0), 1e-9)
      << "an insole that reports its own centre: taken as 8 rows";
  EXPECT_THROW(centre_of_pressure_sd_mm(InsoleLayout{Side::right, 0.0, {}}), std::invalid_argument);
  EXPECT_THROW(ic_timing_sd_s(0.0), std::invalid_argument);

  const Stance s;
  FootStrikeUncertaintyInputs only_balance;
  only_balance.balance_sd_m = 0.01;
  EXPECT_DOUBLE_EQ(s.estimate(200.0, 100.0, 1.0, 0.0, only_balance).uncertainty_m, 0.01);
  FootStrikeUncertaintyInputs ic;
  ic.ic_timing_sd_s = 0.004;
  EXPECT_NEAR(s.estimate(200.0, 100.0, 1.0, 0.0, ic).uncertainty_m, s.speed_mps * 0.004, 1e-12);
  FootStrikeUncertaintyInputs speed;
  speed.speed_relative_sd = 0.03;
  const double from_speed = s.estimate(200.0, 100.0, 1.0, 0.0, speed).uncertainty_m;
  // The force-weighted mean time since IC lies within the stance's first half here.
  EXPECT_GT(from_speed, s.speed_mps * 0.03 * 0.2 * s.contact_s);
  EXPECT_LT(from_speed, s.speed_mps * 0.03 * 0.5 * s.contact_s);
  FootStrikeUncertaintyInputs all = ic;
  all.speed_relative_sd = 0.03;
  all.balance_sd_m = 0.01;
  all.cop_sd_mm = 5.0;
  EXPECT_NEAR(s.estimate(200.0, 100.0, 1.0, 0.0, all).uncertainty_m,
              std::hypot(std::hypot(s.speed_mps * 0.004, from_speed), std::hypot(0.01, 0.005)), 1e-12);
}

TEST(FootStrikeDistance, AStanceWithoutThreeLoadedSamplesIsAnError) {
  const Stance s;
  StanceLoading two;
  two.t_s = {s.t_ic_s + 0.01, s.t_ic_s + 0.02};
  two.cop_x_mm = {40.0, 45.0};
  two.load_n = {100.0, 300.0};
  EXPECT_THROW(foot_strike_distance(s.trace(200.0), s.speed_mps, s.t_ic_s, s.t_ic_s + s.contact_s,
                                    s.t_ic_s + s.step_s, two, 40.0, {}),
               std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse::fusion
