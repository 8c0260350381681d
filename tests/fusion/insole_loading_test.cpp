#include "stridefuse/fusion/insole_loading.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
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

// The centre adds a zero for a sensor at or below its baseline instead of
// skipping it (a speed-up of `analyze`): the result must be bit for bit the
// one skipping gives, signs of zero included, with sites on both sides of the
// axes and baselines that leave sensors just above, at and below them.
TEST(InsoleLoading, CentreIsBitForBitTheSumOverLoadedSensorsOnly) {
  InsoleLayout layout;
  layout.length_mm = 250.0;
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> coordinate(-40.0, 260.0), area(20.0, 300.0), kpa(0.0, 80.0);
  for (int i = 0; i < 24; ++i) layout.sensors.push_back({coordinate(rng), coordinate(rng) - 110.0, area(rng)});
  layout.sensors[3].x_mm = 0.0;
  layout.sensors[4].y_mm = -0.0;
  InsoleLoadingModel m(layout);
  std::vector<double> baseline(layout.sensors.size()), p(layout.sensors.size());
  for (auto& b : baseline) b = kpa(rng) * 0.2;
  m.measure(baseline);
  m.learn_unloaded(0.01);  // first call: the baseline is this sample exactly
  for (int sample = 0; sample < 2000; ++sample) {
    for (std::size_t i = 0; i < p.size(); ++i) {
      const int what = static_cast<int>(rng() % 4);
      p[i] = what == 0 ? baseline[i] : what == 1 ? baseline[i] - 1.0 : baseline[i] + kpa(rng) * (sample % 7 == 0 ? 1e-9 : 1.0);
    }
    m.measure(p);
    double wx = 0.0, wy = 0.0, w = 0.0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      const double above = p[i] - baseline[i];
      if (!(above > 0.0)) continue;
      const double f = above * layout.sensors[i].area_mm2 * 1e-3;
      wx += f * layout.sensors[i].x_mm;
      wy += f * layout.sensors[i].y_mm;
      w += f;
    }
    const auto cop = m.centre_of_pressure();
    const auto same_bits = [](double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; };
    if (w > 0.0) {
      ASSERT_TRUE(same_bits(cop.x_mm, wx / w) && same_bits(cop.y_mm, wy / w) && same_bits(cop.load_n, w)) << "sample " << sample;
    } else {
      ASSERT_EQ(cop.load_n, 0.0) << "sample " << sample;
    }
  }
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

TEST(InsoleLoading, SaturationIsAReadingAtTheDeclaredFullScale) {
  // Site 0 declares 6553.5 kPa (a u16 in 0.1 kPa), site 1 450 kPa, the others nothing.
  InsoleLoadingModel m(six_sensor_layout(), 1.0, {6553.5, 450.0});
  // ~500 kPa, the highest so far and repeated exactly: a hard landing, far from the ceiling.
  EXPECT_FALSE(m.measure(std::vector<double>{300.0, 0, 0, 0, 0, 0}).saturated);
  EXPECT_FALSE(m.measure(std::vector<double>{500.0, 0, 0, 0, 0, 0}).saturated);
  EXPECT_FALSE(m.measure(std::vector<double>{500.0, 0, 0, 0, 0, 0}).saturated);
  EXPECT_TRUE(m.measure(std::vector<double>{6553.5, 0, 0, 0, 0, 0}).saturated);
  EXPECT_FALSE(m.measure(std::vector<double>{0, 449.9, 0, 0, 0, 0}).saturated);
  EXPECT_TRUE(m.measure(std::vector<double>{0, 450.0, 0, 0, 0, 0}).saturated) << "at full scale, once is enough";
  // Without a declared full scale nothing is taken as saturated, however high and repeated.
  EXPECT_FALSE(m.measure(std::vector<double>{0, 0, 9000.0, 0, 0, 0}).saturated);
  EXPECT_FALSE(m.measure(std::vector<double>{0, 0, 9000.0, 0, 0, 0}).saturated);
  EXPECT_THROW(InsoleLoadingModel(six_sensor_layout(), 1.0, std::vector<std::optional<double>>(7, 100.0)),
               std::invalid_argument);
  EXPECT_THROW(InsoleLoadingModel(six_sensor_layout(), 1.0, {0.0}), std::invalid_argument);
}

TEST(InsoleLoading, RejectsBadLayoutsAndSamples) {
  auto l = six_sensor_layout();
  l.sensors[2].area_mm2 = 0.0;
  EXPECT_THROW(InsoleLoadingModel{l}, std::invalid_argument);
  l = six_sensor_layout();
  l.length_mm = -1.0;
  EXPECT_THROW(InsoleLoadingModel{l}, std::invalid_argument);
  InsoleLoadingModel m(six_sensor_layout());
  EXPECT_THROW(m.measure(std::vector<double>(5, 0.0)), std::invalid_argument);
  // Without sites the insole reports its own force: its length may be
  // unknown (0), not negative, and a sample has force_n, cop_x_pct, cop_y_pct.
  l.sensors.clear();
  l.length_mm = -1.0;
  EXPECT_THROW(InsoleLoadingModel{l}, std::invalid_argument);
  l.length_mm = 0.0;
  InsoleLoadingModel reported(l);
  EXPECT_THROW(reported.measure(std::vector<double>(4, 0.0)), std::invalid_argument);
}

TEST(InsoleLoading, AnInsoleThatReportsForceGivesItsOwnForceAndCentre) {
  InsoleLayout l{Side::left, 0.0, {}};  // length unknown: the centre is in % of it
  InsoleLoadingModel m(l);
  EXPECT_EQ(m.cop_length_mm(), 100.0);
  const std::vector<double> unloaded{8.0, 50.0, 0.0}, loaded{608.0, 17.5, -3.0};
  EXPECT_EQ(m.measure(unloaded).force_n, 8.0);
  m.learn_unloaded(0.01);
  EXPECT_EQ(m.centre_of_pressure().load_n, 0.0);  // nothing above the unloaded level
  const auto loading = m.measure(loaded);
  EXPECT_TRUE(loading.valid);
  EXPECT_EQ(loading.force_n, 608.0);
  const auto cop = m.centre_of_pressure();
  EXPECT_DOUBLE_EQ(cop.load_n, 600.0);
  EXPECT_DOUBLE_EQ(cop.x_mm, 17.5);
  EXPECT_TRUE(std::isnan(cop.y_mm));  // the width is not known
  EXPECT_EQ(insole_force_n(l, loaded), 608.0);
  l.length_mm = 240.0;
  InsoleLoadingModel sized(l);
  sized.measure(unloaded);
  sized.learn_unloaded(0.01);
  sized.measure(loaded);
  EXPECT_DOUBLE_EQ(sized.centre_of_pressure().x_mm, 0.175 * 240.0);
  EXPECT_FALSE(sized.measure(std::vector<double>{std::nan(""), 50.0, 0.0}).valid);
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

TEST(InsoleForce, SumsPressureTimesAreaOfEverySiteAndIsNotANumberWithAReadingMissing) {
  InsoleLayout layout{Side::left, 265.0, {{10, 0, 100.0}, {20, 0, 200.0}, {30, 0, 50.0}}};
  // Raw: a sensor's offset below zero counts, as the engine's contact thresholds expect.
  const double p[] = {100.0, -5.0, 40.0, 7.0};  // the fourth value is not a site's (an IMU channel)
  EXPECT_DOUBLE_EQ(insole_force_n(layout, p), (100.0 * 100.0 - 5.0 * 200.0 + 40.0 * 50.0) * 1e-3);
  const double missing[] = {100.0, std::numeric_limits<double>::quiet_NaN(), 40.0};
  EXPECT_TRUE(std::isnan(insole_force_n(layout, missing)));
  const double two[] = {1.0, 2.0};
  EXPECT_THROW(insole_force_n(layout, two), std::invalid_argument);
}

TEST(InsoleForce, IsTheForceTheLoadingModelMeasures) {
  InsoleLayout layout{Side::left, 265.0, {{10, 0, 100.0}, {20, 0, 200.0}, {30, 0, 50.0}}};
  InsoleLoadingModel model(layout);
  const double p[] = {123.4, 0.5, 77.7};
  EXPECT_EQ(model.measure(p).force_n, insole_force_n(layout, p));
}

}  // namespace
}  // namespace stridefuse::fusion
