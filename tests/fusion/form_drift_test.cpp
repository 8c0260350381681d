#include "stridefuse/fusion/form_drift.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

namespace stridefuse::fusion {
namespace {

TEST(FormDrift, AlertsWhenTheRollingMedianRisesPastTheThreshold) {
  FormDriftMonitor m("pelvic_drop_deg", 2.0, 20, 10);
  int alerts = 0;
  std::optional<FormAlertEvent> first;
  // 20 baseline steps around 6 deg, then a steady rise of 0.05 deg per step.
  for (int i = 0; i < 200; ++i) {
    const double noise = (i % 3 - 1) * 0.3;
    const double value = 6.0 + noise + (i >= 20 ? 0.05 * (i - 20) : 0.0);
    if (auto a = m.add(i * 0.35, value)) {
      ++alerts;
      if (!first) first = a;
    }
  }
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->metric, "pelvic_drop_deg");
  EXPECT_NEAR(first->baseline, 6.0, 0.31);
  EXPECT_GT(first->current - first->baseline, 2.0);
  EXPECT_LT(first->current - first->baseline, 2.4);
  EXPECT_DOUBLE_EQ(first->threshold, 2.0);
  // Rise reaches 2 deg ~40 steps after the baseline plus half a window: alert near step 65-70.
  EXPECT_NEAR(first->t_s / 0.35, 66.0, 6.0);
  // While the drift lasts, at most one alert per window of steps.
  EXPECT_GE(alerts, 10);
  EXPECT_LE(alerts, 14);
}

TEST(FormDrift, SteadyFormAndSingleOutliersRaiseNothing) {
  FormDriftMonitor m("foot_strike_distance_m", 0.03, 30, 15);
  for (int i = 0; i < 500; ++i) {
    const double value = (i % 40 == 39) ? 0.9 : 0.25 + 0.005 * ((i * 7) % 5 - 2);
    EXPECT_FALSE(m.add(i, value).has_value()) << "step " << i;
  }
  EXPECT_NEAR(*m.baseline(), 0.25, 0.006);
}

TEST(FormDrift, AMedianHoveringAtTheThresholdAlertsOncePerWindow) {
  FormDriftMonitor m("pelvic_drop_deg", 2.0, 10, 10);
  for (int i = 0; i < 10; ++i) m.add(i, 5.0);
  int alerts = 0;
  // Alternating windows just above and just below the threshold, 100 steps.
  for (int i = 10; i < 110; ++i) alerts += m.add(i, ((i / 3) % 2) ? 7.05 : 6.95).has_value();
  EXPECT_GE(alerts, 1);
  EXPECT_LE(alerts, 10);
}

TEST(FormDrift, IgnoresNonFiniteValuesAndRejectsBadSettings) {
  FormDriftMonitor m("tilt_ic_deg", 3.0, 2, 2);
  EXPECT_FALSE(m.add(0.0, std::numeric_limits<double>::quiet_NaN()).has_value());
  EXPECT_FALSE(m.baseline().has_value());
  EXPECT_THROW(FormDriftMonitor("x", 0.0, 10, 10), std::invalid_argument);
  EXPECT_THROW(FormDriftMonitor("x", 1.0, 0, 10), std::invalid_argument);
  std::vector<double> v{5.0, 1.0, 3.0, 2.0};
  EXPECT_DOUBLE_EQ(median_of(v), 2.5);
  std::vector<double> none;
  EXPECT_THROW(median_of(none), std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse::fusion
