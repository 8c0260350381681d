#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "stridefuse/fusion/strike_lag_estimator.hpp"

namespace stridefuse {
using namespace fusion;  // the estimator under test
namespace {

// A synthetic runner: alternating foot strikes every step_s, each a half-sine
// of ground force over the contact; the pelvis feels the sum over body mass
// plus gravity-free noise, the insoles their own foot's force.
struct SyntheticGait {
  double step_s = 0.3517;  // not a multiple of the sample periods: strikes fall at every sampling phase
  double contact_s = 0.2483;
  double peak_n = 1800.0;
  double mass_kg = 70.0;
  double running_from_s = 5.0;

  double foot_force_n(int foot, double t) const {
    if (t < running_from_s) return foot == 0 || foot == 1 ? 0.5 * mass_kg * 9.81 : 0.0;  // standing
    const double since = t - running_from_s;
    const double stride_s = 2.0 * step_s;
    const double phase = std::fmod(since - foot * step_s + 10.0 * stride_s, stride_s);
    return phase < contact_s ? peak_n * std::sin(std::numbers::pi * phase / contact_s) : 0.0;
  }
  double pelvis_up_mps2(double t) const { return (foot_force_n(0, t) + foot_force_n(1, t)) / mass_kg; }
};

// Feeds pelvis at 200 Hz (session time) and insoles at 100 Hz on their own clocks:
// t_insole = (t - lag_k) / (1 + drift) for insole k, so t_pelvis = lag_k + (1 + drift) t_insole.
void feed(StrikeLagEstimator& e, const SyntheticGait& g, double until_s, std::vector<double> lags_s,
          double drift_ppm = 0.0, bool feed_insole0 = true) {
  for (int n = 0; n * 0.005 <= until_s; ++n) {
    const double t = n * 0.005;
    // Axes of a sensor clipped on sideways: "up" is its -x.
    e.add_pelvis(t, {-g.pelvis_up_mps2(t), 0.1 * std::sin(t), 0.0});
    if (n % 2 != 0) continue;
    for (std::size_t k = 0; k < lags_s.size(); ++k) {
      if (k == 0 && !feed_insole0) continue;
      // The insole samples at its own instants: device time on a 10 ms grid.
      const double t_dev = t / (1.0 + drift_ppm * 1e-6);
      const double t_true = lags_s[k] + (1.0 + drift_ppm * 1e-6) * t_dev;
      e.add_insole(k, t_dev, g.foot_force_n(static_cast<int>(k), t_true));
    }
  }
}

TEST(SignalGrid, ResamplesLinearlyAndKeepsGapsAsGaps) {
  SignalGrid g(0.01, 0.05);
  g.add(1.0, 0.0);
  g.add(1.02, 2.0);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_DOUBLE_EQ(g.value(1), 1.0);
  EXPECT_DOUBLE_EQ(g.value(2), 2.0);
  EXPECT_NEAR(g.slope(1), 100.0, 1e-9);
  g.add(1.015, 7.0);  // not increasing: ignored
  g.add(std::numeric_limits<double>::quiet_NaN(), 7.0);
  EXPECT_EQ(g.size(), 3u);
  g.add(1.2, 5.0);  // a gap of 0.18 s > max_gap_s
  EXPECT_TRUE(std::isnan(g.value(10)));
  EXPECT_TRUE(std::isnan(g.value(-1)));
  EXPECT_TRUE(std::isnan(g.value(100)));
  EXPECT_THROW(SignalGrid(0.0, 1.0), std::invalid_argument);
  EXPECT_THROW(SignalGrid(0.5, 0.1), std::invalid_argument);
}

TEST(SignalGrid, DiscardingOldPointsKeepsIndices) {
  SignalGrid g(0.001, 0.01);
  for (int i = 0; i <= 10000; ++i) g.add(i * 0.001, i);
  g.discard_before(6000);
  EXPECT_TRUE(std::isnan(g.value(5999)));
  EXPECT_NEAR(g.value(6000), 6000.0, 1e-6);
  EXPECT_NEAR(g.value(10000), 10000.0, 1e-6);
  EXPECT_EQ(g.size(), 10001u);
}

TEST(StrikeLagEstimator, RejectsBadConfiguration) {
  EXPECT_THROW(StrikeLagEstimator({}, {}), std::invalid_argument);
  EXPECT_THROW(StrikeLagEstimator({}, {std::numeric_limits<double>::infinity()}), std::invalid_argument);
  StrikeLagConfig c;
  c.window_s = 0.5;
  EXPECT_THROW(StrikeLagEstimator(c, {0.0}), std::invalid_argument);
  c = {};
  c.search_radius_s = 0.0;
  EXPECT_THROW(StrikeLagEstimator(c, {0.0}), std::invalid_argument);
  StrikeLagEstimator e({}, {0.0});
  EXPECT_THROW(e.set_pelvis_up({0.0, 0.0, 0.0}), std::invalid_argument);
  EXPECT_THROW(e.add_insole(1, 0.0, 0.0), std::out_of_range);
  EXPECT_THROW((void)e.estimate(1), std::out_of_range);
}

TEST(StrikeLagEstimator, FindsAConstantLatencyDifferenceOfEachInsole) {
  StrikeLagConfig c;
  c.window_s = 5.0;
  c.search_radius_s = 0.12;
  c.fit_drift = false;
  c.grid_dt_s = 0.002;
  StrikeLagEstimator e(c, {0.0, 0.0});
  const SyntheticGait g;
  feed(e, g, 40.0, {-0.008, 0.0032});
  const auto left = e.estimate(0), right = e.estimate(1);
  ASSERT_TRUE(left && right);
  EXPECT_NEAR(left->offset_s, -0.008, 0.0005);
  EXPECT_NEAR(right->offset_s, 0.0032, 0.0005);
  EXPECT_EQ(left->drift_ppm, 0.0);
  EXPECT_LT(left->residual_s, 0.0015);  // per-window scatter: each window sees the strikes at few sampling phases
  EXPECT_TRUE(left->confident);
  EXPECT_GE(left->windows, 6u);
  // One onset per stride: 35 s of running at 0.7 s per stride, less the first window's part.
  EXPECT_GE(left->strides, 40u);
  EXPECT_LE(left->strides, 51u);
}

TEST(StrikeLagEstimator, FitsOffsetAndDriftOfIndependentClocks) {
  StrikeLagEstimator e({}, {12.0});  // offline default: 10 s windows, drift fitted
  const SyntheticGait g;
  feed(e, g, 80.0, {12.003}, 150.0);
  const auto est = e.estimate(0);
  ASSERT_TRUE(est);
  EXPECT_NEAR(est->offset_s, 12.003, 0.001);
  EXPECT_NEAR(est->drift_ppm, 150.0, 15.0);
}

TEST(StrikeLagEstimator, StandardErrorGrowsAwayFromTheWindowsWhenDriftIsFitted) {
  StrikeLagEstimator e({}, {12.0});
  feed(e, SyntheticGait{}, 80.0, {12.003}, 150.0);
  const auto est = e.estimate(0);
  ASSERT_TRUE(est && est->drift_fitted);
  ASSERT_GE(est->windows, 4u);
  const double at_mean = est->standard_error_at_s(est->mean_t_s);
  EXPECT_NEAR(at_mean, est->scatter_s / std::sqrt(static_cast<double>(est->windows)), 1e-12);
  EXPECT_GT(est->standard_error_at_s(est->mean_t_s + 60.0), at_mean);
  // The window scatter (n - 2 d.o.f.) is at least the RMS about the line (n).
  EXPECT_GE(est->scatter_s, est->residual_s);
}

TEST(StrikeLagEstimator, OneWindowLeavesNoDegreeOfFreedom) {
  StrikeLagEstimate one;
  one.windows = 1;
  one.scatter_s = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(std::isinf(one.standard_error_at_s(0.0)));
  EXPECT_TRUE(std::isinf(StrikeLagEstimate{}.standard_error_at_s(0.0)));
}

TEST(StrikeLagEstimator, AdjustedWindowLagsMoveTheFit) {
  StrikeLagConfig c;
  c.window_s = 5.0;
  c.search_radius_s = 0.12;
  c.fit_drift = false;
  StrikeLagEstimator e(c, {0.0});
  feed(e, SyntheticGait{}, 40.0, {-0.008});
  const auto plain = e.estimate(0);
  // Every window moved by 1 ms; a NaN adjustment leaves the windows as measured.
  const auto moved = e.estimate(0, [](double, double) { return 0.001; });
  ASSERT_TRUE(plain && moved);
  EXPECT_NEAR(moved->offset_s, plain->offset_s + 0.001, 1e-9);
  EXPECT_EQ(moved->windows, plain->windows);
  const auto unknown = e.estimate(0, [](double, double) { return std::numeric_limits<double>::quiet_NaN(); });
  ASSERT_TRUE(unknown);
  EXPECT_DOUBLE_EQ(unknown->offset_s, plain->offset_s);
  // The adjustment sees each window's centre on both clocks: t_pelvis = t_insole + lag.
  bool consistent = true;
  (void)e.estimate(0, [&](double t_insole_s, double t_pelvis_s) {
    consistent = consistent && std::abs(t_pelvis_s - t_insole_s - plain->offset_s) < 0.003;
    return 0.0;
  });
  EXPECT_TRUE(consistent);
  StrikeLagEstimator empty(c, {0.0});
  EXPECT_FALSE(empty.estimate(0, [](double, double) { return 0.0; }).has_value());
  EXPECT_THROW((void)empty.estimate(1, [](double, double) { return 0.0; }), std::out_of_range);
}

TEST(StrikeLagEstimator, StandingAloneGivesNoEstimate) {
  StrikeLagEstimator e({}, {0.0});
  SyntheticGait g;
  g.running_from_s = 1000.0;
  feed(e, g, 40.0, {0.0});
  EXPECT_FALSE(e.estimate(0).has_value());
}

TEST(StrikeLagEstimator, AnAbsentInsoleDoesNotHoldUpTheOther) {
  StrikeLagConfig c;
  c.window_s = 5.0;
  c.fit_drift = false;
  StrikeLagEstimator e(c, {0.0, 0.0});
  feed(e, SyntheticGait{}, 60.0, {0.0, -0.004}, 0.0, /*feed_insole0=*/false);
  EXPECT_FALSE(e.estimate(0).has_value());
  const auto right = e.estimate(1);
  ASSERT_TRUE(right);
  EXPECT_NEAR(right->offset_s, -0.004, 0.0005);
}

}  // namespace
}  // namespace stridefuse
