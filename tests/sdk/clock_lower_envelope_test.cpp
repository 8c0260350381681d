// LowerEnvelope: the hull, the constrained fit, bunch replacement, the window.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

#include "stridefuse/core/lower_envelope.hpp"

namespace stridefuse {
namespace {

TEST(ClockLowerEnvelope, FitLiesBelowEveryPointAndTouchesTheEnvelope) {
  LowerEnvelope env(100.0);
  std::mt19937 rng(1);
  std::exponential_distribution<double> delay(1000.0);
  const double slope = 1.0 + 150e-6, offset = 2.0;
  for (int i = 0; i < 2000; ++i) {
    const double x = i * 0.01;
    env.add({x, offset + slope * x + 0.001 + delay(rng)});
  }
  const EnvelopeLine line = env.fit(0.999, 1.001, 1.0, env.mean_x_s());
  double lowest = 1e9;
  for (const auto& p : env.points()) {
    ASSERT_GE(p.y_s - line.at(p.x_s), -1e-12);
    lowest = std::min(lowest, p.y_s - line.at(p.x_s));
  }
  EXPECT_NEAR(lowest, 0.0, 1e-12);
  EXPECT_NEAR(line.slope, slope, 5e-6);
  EXPECT_NEAR(line.at(10.0), offset + slope * 10.0 + 0.001, 50e-6);
  for (std::size_t i = 2; i < env.hull().size(); ++i) {  // convex: slopes increase
    const auto& a = env.hull()[i - 2];
    const auto& b = env.hull()[i - 1];
    const auto& c = env.hull()[i];
    EXPECT_LE((b.y_s - a.y_s) / (b.x_s - a.x_s), (c.y_s - b.y_s) / (c.x_s - b.x_s) + 1e-12);
  }
}

TEST(ClockLowerEnvelope, SlopeIsClampedAndPriorUsedWhenUndetermined) {
  LowerEnvelope env(10.0);
  env.add({0.0, 1.0});
  EnvelopeLine line = env.fit(0.9, 1.1, 1.05, env.mean_x_s());
  EXPECT_DOUBLE_EQ(line.slope, 1.05);
  EXPECT_DOUBLE_EQ(line.at(0.0), 1.0);
  env.add({1.0, 3.0});  // slope 2, beyond the allowed range
  line = env.fit(0.9, 1.1, 1.0, env.mean_x_s());
  EXPECT_DOUBLE_EQ(line.slope, 1.1);
  EXPECT_LE(line.at(0.0), 1.0 + 1e-12);
  EXPECT_LE(line.at(1.0), 3.0 + 1e-12);
  EXPECT_THROW(env.fit(1.1, 0.9, 1.0, 0.5), std::invalid_argument);
}

TEST(ClockLowerEnvelope, APointOfTheSameBunchReplacesTheLastOne) {
  LowerEnvelope env(10.0);
  env.add({0.0, 1.0});
  env.add({0.5, 1.6});
  env.add({0.6, 1.6});  // same arrival, later sample: the tighter constraint
  ASSERT_EQ(env.size(), 2u);
  EXPECT_DOUBLE_EQ(env.points().back().x_s, 0.6);
  EXPECT_DOUBLE_EQ(env.hull().back().x_s, 0.6);
}

TEST(ClockLowerEnvelope, RejectsOutOfOrderInput) {
  LowerEnvelope env(10.0);
  env.add({1.0, 1.0});
  EXPECT_THROW(env.add({1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(env.add({2.0, 0.5}), std::invalid_argument);
  EXPECT_THROW(LowerEnvelope(0.0), std::invalid_argument);
  LowerEnvelope empty(1.0);
  EXPECT_THROW(empty.fit(0.9, 1.1, 1.0, 0.0), std::logic_error);
  EXPECT_THROW(empty.hull_at(0.0), std::logic_error);
}

TEST(ClockLowerEnvelope, ForgetsPointsOutsideTheWindow) {
  LowerEnvelope env(10.0);
  for (int i = 0; i <= 3000; ++i) env.add({i * 0.01, i * 0.01 + (i < 1000 ? 0.0 : 0.005)});
  EXPECT_GE(env.points().front().x_s, 30.0 - 10.0 - 1e-9);
  EXPECT_LE(env.points().front().x_s, 30.0 - 10.0 * 15.0 / 16.0 + 1e-9);
  // The early, lower points are gone: the fit follows the recent level.
  const EnvelopeLine line = env.fit(0.99, 1.01, 1.0, env.mean_x_s());
  EXPECT_NEAR(line.at(30.0), 30.005, 1e-9);
}

TEST(ClockLowerEnvelope, HullAtInterpolatesBetweenVertices) {
  LowerEnvelope env(10.0);
  env.add({0.0, 0.0});
  env.add({1.0, 2.0});
  env.add({2.0, 2.0 + 1e-3});
  env.add({3.0, 4.0});
  // Lower hull: (0,0) (2,2.001) (3,4); (1,2) lies above the chord.
  EXPECT_NEAR(env.hull_at(1.0), 1.0005, 1e-12);
  EXPECT_NEAR(env.hull_at(-1.0), 0.0, 1e-12);
  EXPECT_NEAR(env.hull_at(5.0), 4.0, 1e-12);
}

}  // namespace
}  // namespace stridefuse
