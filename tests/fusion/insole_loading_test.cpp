#include "stridefuse/fusion/insole_loading.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <vector>

namespace stridefuse::fusion {
namespace {

// Heel, midfoot and forefoot rows of a 260 mm insole, two sensors each (medial/lateral).
InsoleLayout six_sensor_layout() {
  InsoleLayout l;
  l.side = Side::left;
  l.length_mm = 260.0;
  l.sensors = {{30.0, 20.0, 200.0},  {30.0, -20.0, 200.0},  {130.0, 25.0, 150.0},
               {130.0, -25.0, 150.0}, {220.0, 30.0, 250.0}, {220.0, -30.0, 250.0}};
  return l;
}

TEST(InsoleLoading, ForceIsPressureTimesArea) {
  InsoleLoadingModel m(six_sensor_layout());
  const std::vector<double> p{100.0, 0.0, 0.0, 0.0, 50.0, 0.0};  // kPa
  const auto loading = m.measure(p);
  ASSERT_TRUE(loading.valid);
  // 100 kPa * 200 mm^2 = 20 N; 50 kPa * 250 mm^2 = 12.5 N.
  EXPECT_NEAR(loading.force_n, 32.5, 1e-12);
}

TEST(InsoleLoading, CentreOfPressureIsTheForceWeightedSiteMean) {
  InsoleLoadingModel m(six_sensor_layout());
  m.measure(std::vector<double>(6, 0.0));
  m.learn_unloaded(0.01);
  m.measure(std::vector<double>{100.0, 100.0, 0.0, 0.0, 40.0, 0.0});
  const auto cop = m.centre_of_pressure();
  // Forces 20, 20 N at x=30 and 10 N at x=220, y = 20, -20, 30.
  EXPECT_NEAR(cop.load_n, 50.0, 1e-12);
  EXPECT_NEAR(cop.x_mm, (20.0 * 30.0 + 20.0 * 30.0 + 10.0 * 220.0) / 50.0, 1e-9);
  EXPECT_NEAR(cop.y_mm, (20.0 * 20.0 - 20.0 * 20.0 + 10.0 * 30.0) / 50.0, 1e-9);
}

TEST(InsoleLoading, SensorOffsetsDoNotPullTheCentreToTheMiddle) {
  InsoleLoadingModel m(six_sensor_layout());
  // Every sensor reads 15 kPa unloaded; then only the heel is loaded lightly, as at a heel strike.
  m.measure(std::vector<double>(6, 15.0));
  m.learn_unloaded(0.01);
  m.measure(std::vector<double>{45.0, 45.0, 15.0, 15.0, 15.0, 15.0});
  const auto cop = m.centre_of_pressure();
  EXPECT_NEAR(cop.x_mm, 30.0, 1e-9);
  EXPECT_NEAR(strike_index_pct(cop.x_mm, 260.0), 100.0 * 30.0 / 260.0, 1e-9);
}

TEST(InsoleLoading, NothingLoadedMeansNoCentre) {
  InsoleLoadingModel m(six_sensor_layout());
  m.measure(std::vector<double>(6, 0.0));
  m.learn_unloaded(0.01);
  EXPECT_EQ(m.centre_of_pressure().load_n, 0.0);
}

TEST(InsoleLoading, NonFinitePressureMakesTheSampleInvalid) {
  InsoleLoadingModel m(six_sensor_layout());
  std::vector<double> p(6, 10.0);
  p[3] = std::numeric_limits<double>::quiet_NaN();
  const auto loading = m.measure(p);
  EXPECT_FALSE(loading.valid);
  EXPECT_TRUE(std::isnan(loading.force_n));
}

TEST(InsoleLoading, RepeatedCeilingReadingIsSaturation) {
  InsoleLoadingModel m(six_sensor_layout());
  EXPECT_FALSE(m.measure(std::vector<double>{300.0, 0, 0, 0, 0, 0}).saturated);
  EXPECT_FALSE(m.measure(std::vector<double>{450.0, 0, 0, 0, 0, 0}).saturated);
  EXPECT_TRUE(m.measure(std::vector<double>{450.0, 0, 0, 0, 0, 0}).saturated);
  EXPECT_FALSE(m.measure(std::vector<double>{420.0, 0, 0, 0, 0, 0}).saturated);
}

TEST(InsoleLoading, RejectsBadLayoutsAndSamples) {
  auto l = six_sensor_layout();
  l.sensors[2].area_mm2 = 0.0;
  EXPECT_THROW(InsoleLoadingModel{l}, std::invalid_argument);
  l = six_sensor_layout();
  l.length_mm = -1.0;
  EXPECT_THROW(InsoleLoadingModel{l}, std::invalid_argument);
  l.sensors.clear();
  l.length_mm = 250.0;
  EXPECT_THROW(InsoleLoadingModel{l}, std::invalid_argument);
  InsoleLoadingModel m(six_sensor_layout());
  EXPECT_THROW(m.measure(std::vector<double>(5, 0.0)), std::invalid_argument);
}

TEST(StrikeIndex, ClassifiesByThirdsOfTheFoot) {
  EXPECT_EQ(strike_pattern_from(10.0), StrikePattern::rearfoot);
  EXPECT_EQ(strike_pattern_from(33.2), StrikePattern::rearfoot);
  EXPECT_EQ(strike_pattern_from(33.4), StrikePattern::midfoot);
  EXPECT_EQ(strike_pattern_from(66.6), StrikePattern::midfoot);
  EXPECT_EQ(strike_pattern_from(66.8), StrikePattern::forefoot);
  EXPECT_EQ(strike_pattern_from(std::numeric_limits<double>::quiet_NaN()), StrikePattern::unknown);
  EXPECT_NEAR(strike_index_pct(130.0, 260.0), 50.0, 1e-12);
  EXPECT_THROW(strike_index_pct(10.0, 0.0), std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse::fusion
