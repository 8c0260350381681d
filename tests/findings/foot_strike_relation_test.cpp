// The least-squares relation of foot-strike distance to the pelvis
// (fusion/FINDINGS.md, "The relation").

#include <gtest/gtest.h>

#include <cmath>

#include "stridefuse/fusion/form_relation.hpp"
#include "synthetic_steps.hpp"

namespace stridefuse::fusion {
namespace {

TEST(FootStrikeRelation, ExactLineHasItsSlopeAndANarrowInterval) {
  const std::vector<double> x{1, 2, 3, 4, 5}, y{3, 5, 7, 9, 11};
  const auto f = fit_line(x, y);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->n, 5u);
  EXPECT_NEAR(f->slope, 2.0, 1e-12);
  EXPECT_NEAR(f->intercept, 1.0, 1e-12);
  EXPECT_NEAR(f->r, 1.0, 1e-12);
  EXPECT_NEAR(f->slope_ci_low, 2.0, 1e-6);
  EXPECT_NEAR(f->slope_ci_high, 2.0, 1e-6);
}

TEST(FootStrikeRelation, IntervalMatchesAHandComputedExample) {
  // x 1..5, y 2.1 3.9 6.2 7.8 10.1: slope 1.99, residual SS 0.107,
  // SE = sqrt(0.107 / 3 / 10) = 0.05972, t(0.975, 3) = 3.18245.
  const std::vector<double> x{1, 2, 3, 4, 5}, y{2.1, 3.9, 6.2, 7.8, 10.1};
  const auto f = fit_line(x, y);
  ASSERT_TRUE(f);
  EXPECT_NEAR(f->slope, 1.99, 1e-9);
  EXPECT_NEAR(f->slope_ci_high - f->slope, 3.18245 * std::sqrt(0.107 / 3.0 / 10.0), 1e-4);
  EXPECT_NEAR(f->r, 0.99866, 1e-4);
}

TEST(FootStrikeRelation, NoLineWithoutSpreadOrPairs) {
  const std::vector<double> same{2, 2, 2, 2}, y{1, 2, 3, 4};
  EXPECT_FALSE(fit_line(same, y));
  const std::vector<double> two{1, 2}, two_y{1, 2};
  EXPECT_FALSE(fit_line(two, two_y));
  const std::vector<double> with_nan{1, NAN, 3, 4}, y4{1, 2, 3, 5};
  ASSERT_TRUE(fit_line(with_nan, y4));
  EXPECT_EQ(fit_line(with_nan, y4)->n, 3u);
  const std::vector<double> three{1, 2, 3};
  EXPECT_THROW(fit_line(three, y), std::invalid_argument);
}

TEST(FootStrikeRelation, RecoversACentimetrePerDegreeOfTiltPerWindow) {
  // Tilt wanders over +-3 deg; the foot lands 1.1 cm further per degree.
  auto steps = findings_testing::steady_steps(240, {});
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const double tilt = 3.0 + 3.0 * std::sin(static_cast<double>(i) * 0.37);
    steps[i].tilt_ic_deg = Metric::of(tilt);
    steps[i].foot_strike_distance_m = Metric::of(steps[i].foot_strike_distance_m.value + 0.011 * (tilt - 3.0));
  }
  const auto relations = foot_strike_relations(steps, 30, 20);
  // 120 steps a side: 4 windows each, two predictors.
  ASSERT_EQ(relations.size(), 16u);
  for (const auto& r : relations) {
    if (r.predictor != PelvisPredictor::tilt_ic_deg) continue;
    EXPECT_NEAR(r.fit.slope, 1.1, 0.15) << r.sentence();
    EXPECT_LT(r.fit.slope_ci_low, r.fit.slope);
    EXPECT_GT(r.fit.r, 0.8);
    EXPECT_EQ(r.fit.n, 30u);
  }
  const auto whole = foot_strike_relations(steps, 30, 20, true);
  ASSERT_EQ(whole.size(), 4u);
  EXPECT_EQ(whole[0].fit.n, 120u);
  const std::string s = whole[0].sentence();
  EXPECT_NE(s.find("each degree more anterior tilt came with 1."), std::string::npos) << s;
  EXPECT_NE(s.find("cm longer reach"), std::string::npos) << s;
  EXPECT_THROW(foot_strike_relations(steps, 2, 2), std::invalid_argument);
}

}  // namespace
}  // namespace stridefuse::fusion
