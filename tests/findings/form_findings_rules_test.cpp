// Each finding rule on made-up steps: runs that must trigger it and runs
// that must not (fusion/FINDINGS.md gives the rules and thresholds).

#include <gtest/gtest.h>

#include <algorithm>

#include "stridefuse/fusion/form_findings.hpp"
#include "synthetic_steps.hpp"

namespace stridefuse::fusion {
namespace {

using findings_testing::StepLevels;
using findings_testing::steady_steps;
using findings_testing::synthetic_steps;

std::vector<FormFinding> of_code(const std::vector<FormFinding>& all, FindingCode code) {
  std::vector<FormFinding> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out), [code](const FormFinding& f) { return f.code == code; });
  return out;
}

std::string describe(const std::vector<FormFinding>& all) {
  std::string s;
  for (const auto& f : all) s += std::string(to_string(f.code)) + "/" + to_string(f.side) + "/" + f.metric + ": " + f.message + "\n";
  return s;
}

TEST(FormFindingRules, NeutralStepsGiveNoFinding) {
  const auto steps = steady_steps(400, StepLevels{});
  const auto found = find_form_findings(steps, {}, RunnerProfile{0.95});
  EXPECT_TRUE(found.empty()) << describe(found);
}

TEST(FormFindingRules, HipDropBeyondThresholdOnBothSidesIsOneFindingOfBoth) {
  StepLevels l;
  l.pelvic_drop_deg = 8.0;
  const auto found = find_form_findings(steady_steps(200, l));
  ASSERT_EQ(found.size(), 1u) << describe(found);
  const auto& f = found[0];
  EXPECT_EQ(f.code, FindingCode::hip_drop);
  EXPECT_EQ(f.side, FindingSide::both);
  EXPECT_EQ(f.metric, "pelvic_drop_deg");
  EXPECT_NEAR(f.value, 8.0, 0.1);
  EXPECT_EQ(f.threshold, 6.5);
  EXPECT_EQ(f.unit, "deg");
  EXPECT_EQ(f.steps, 200u);
  EXPECT_NEAR(f.strength, (8.0 - 6.5) / 6.5, 0.02);
  EXPECT_DOUBLE_EQ(f.t_start_s, steady_steps(200, l).front().t_ic_s);
  EXPECT_NE(f.message.find("hip dropped 8.0 deg"), std::string::npos) << f.message;
}

TEST(FormFindingRules, HipDropOnOneSideNamesThatStanceAndTheOtherHip) {
  const auto steps = synthetic_steps(200, [](Side side, double) {
    StepLevels l;
    l.pelvic_drop_deg = side == Side::right ? 8.5 : 7.0;  // both beyond: no asymmetry rule needed here
    return l;
  });
  const auto drops = of_code(find_form_findings(steps), FindingCode::hip_drop);
  ASSERT_EQ(drops.size(), 1u);
  EXPECT_EQ(drops[0].side, FindingSide::both);
  StepLevels right_only;
  const auto one_side = synthetic_steps(200, [](Side side, double) {
    StepLevels l;
    l.pelvic_drop_deg = side == Side::right ? 8.5 : 4.0;
    return l;
  });
  const auto found = of_code(find_form_findings(one_side), FindingCode::hip_drop);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].side, FindingSide::right);
  EXPECT_NE(found[0].message.find("During right stance the left hip dropped"), std::string::npos) << found[0].message;
}

TEST(FormFindingRules, HipDropBelowThresholdOrWithoutEvidenceDoesNotFire) {
  StepLevels l;
  l.pelvic_drop_deg = 6.2;  // below 6.5
  EXPECT_TRUE(of_code(find_form_findings(steady_steps(300, l)), FindingCode::hip_drop).empty());
  // At the threshold: windows whose mean happens to lie past it are not
  // evidence (their confidence bound is not past it, or not for long).
  l.pelvic_drop_deg = 6.5;
  EXPECT_TRUE(of_code(find_form_findings(steady_steps(300, l)), FindingCode::hip_drop).empty());
  // Far beyond, but fewer steps than a window: not enough evidence.
  l.pelvic_drop_deg = 9.0;
  EXPECT_TRUE(of_code(find_form_findings(steady_steps(50, l)), FindingCode::hip_drop).empty());
  // One wild step among normal ones is not a finding.
  auto steps = steady_steps(300, StepLevels{});
  steps[150].pelvic_drop_deg = Metric::of(25.0);
  EXPECT_TRUE(find_form_findings(steps).empty()) << describe(find_form_findings(steps));
}

TEST(FormFindingRules, FindingSpansOnlyTheStepsThatShowIt) {
  const auto steps = synthetic_steps(400, [](Side, double t) {
    StepLevels l;
    l.pelvic_drop_deg = t > 60.0 && t < 120.0 ? 9.0 : 4.0;
    return l;
  });
  // (A minute of 5 deg more drop than at the start is also a drift from the
  // start, tested with the drift rule.)
  const auto found = of_code(find_form_findings(steps), FindingCode::hip_drop);
  ASSERT_EQ(found.size(), 1u) << describe(find_form_findings(steps));
  // Windows of 30 steps a side (~21 s) that reach into the episode with most of their steps.
  EXPECT_GT(found[0].t_start_s, 40.0);
  EXPECT_LT(found[0].t_start_s, 70.0);
  EXPECT_GT(found[0].t_end_s, 110.0);
  EXPECT_LT(found[0].t_end_s, 140.0);
}

TEST(FormFindingRules, OverstrideReadsTheLandingAngleWithALegLength) {
  StepLevels l;
  l.foot_strike_distance_m = 0.35;  // atan(0.35 / 0.95) = 20.2 deg
  const auto found = of_code(find_form_findings(steady_steps(200, l), {}, RunnerProfile{0.95}), FindingCode::overstride);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].metric, "landing_angle_deg");
  EXPECT_EQ(found[0].unit, "deg");
  EXPECT_NEAR(found[0].value, 20.2, 0.2);
  EXPECT_EQ(found[0].threshold, 17.0);
  l.foot_strike_distance_m = 0.25;  // 14.7 deg
  EXPECT_TRUE(of_code(find_form_findings(steady_steps(200, l), {}, RunnerProfile{0.95}), FindingCode::overstride).empty());
  // A long-legged runner's 0.35 m is a smaller angle: 0.35 / 1.25 -> 15.6 deg.
  l.foot_strike_distance_m = 0.35;
  EXPECT_TRUE(of_code(find_form_findings(steady_steps(200, l), {}, RunnerProfile{1.25}), FindingCode::overstride).empty());
}

TEST(FormFindingRules, OverstrideWithoutALegLengthReadsTheDistance) {
  StepLevels l;
  l.foot_strike_distance_m = 0.33;
  const auto found = of_code(find_form_findings(steady_steps(200, l)), FindingCode::overstride);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].metric, "foot_strike_distance_m");
  EXPECT_EQ(found[0].unit, "m");
  EXPECT_NEAR(found[0].value, 0.33, 0.005);
  l.foot_strike_distance_m = 0.26;
  EXPECT_TRUE(of_code(find_form_findings(steady_steps(200, l)), FindingCode::overstride).empty());
}

TEST(FormFindingRules, BackseatNeedsLongBrakingAndPosteriorTilt) {
  StepLevels l;
  l.braking_time_s = 0.156;  // 65 % of a 0.24 s stance
  l.tilt_ic_deg = -3.0;
  const auto found = of_code(find_form_findings(steady_steps(200, l)), FindingCode::backseat);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].side, FindingSide::both);
  EXPECT_EQ(found[0].metric, "braking_share");
  EXPECT_NEAR(found[0].value, 0.65, 0.01);
  l.tilt_ic_deg = 3.0;  // long braking, pelvis forward: not sitting back
  EXPECT_TRUE(of_code(find_form_findings(steady_steps(200, l)), FindingCode::backseat).empty());
  l.tilt_ic_deg = -3.0;
  l.braking_time_s = 0.11;  // posterior tilt, ordinary braking
  EXPECT_TRUE(of_code(find_form_findings(steady_steps(200, l)), FindingCode::backseat).empty());
}

TEST(FormFindingRules, AnteriorTiltBeyondThreshold) {
  StepLevels l;
  l.tilt_ic_deg = 13.0;
  const auto found = of_code(find_form_findings(steady_steps(200, l)), FindingCode::anterior_tilt);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NEAR(found[0].value, 13.0, 0.1);
  l.tilt_ic_deg = 8.0;
  EXPECT_TRUE(of_code(find_form_findings(steady_steps(200, l)), FindingCode::anterior_tilt).empty());
}

TEST(FormFindingRules, CadenceLowIsOfBothFeet) {
  StepLevels l;
  l.cadence_spm = 155.0;
  const auto found = find_form_findings(steady_steps(200, l));
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_EQ(found[0].code, FindingCode::cadence_low);
  EXPECT_EQ(found[0].side, FindingSide::both);
  EXPECT_EQ(found[0].unit, "steps/min");
  EXPECT_NEAR(found[0].value, 155.0, 1.0);
  EXPECT_GT(found[0].strength, 0.0);
  l.cadence_spm = 168.0;
  EXPECT_TRUE(find_form_findings(steady_steps(200, l)).empty());
}

TEST(FormFindingRules, AsymmetryOfAPositiveMetricIsASymmetryIndex) {
  const auto steps = synthetic_steps(200, [](Side side, double) {
    StepLevels l;
    l.pelvic_drop_deg = side == Side::left ? 5.0 : 3.0;
    return l;
  });
  const auto found = find_form_findings(steps);
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_EQ(found[0].code, FindingCode::asymmetry);
  EXPECT_EQ(found[0].metric, "pelvic_drop_deg");
  EXPECT_EQ(found[0].side, FindingSide::left);
  EXPECT_EQ(found[0].unit, "%");
  EXPECT_NEAR(found[0].value, 50.0, 3.0);  // (5 - 3) / 4
  EXPECT_EQ(found[0].threshold, 10.0);
}

TEST(FormFindingRules, MirroredAnglesCompareMagnitudes) {
  // Obliquity +3 on the left, -3 on the right: mirror images, symmetric. A
  // ratio of the signed means would divide by about zero.
  StepLevels l;
  l.obliquity_ic_deg = 3.0;
  l.rotation_ic_deg = 6.0;
  EXPECT_TRUE(find_form_findings(steady_steps(300, l)).empty()) << describe(find_form_findings(steady_steps(300, l)));
  const auto steps = synthetic_steps(300, [](Side side, double) {
    StepLevels x;
    x.rotation_ic_deg = side == Side::left ? 8.0 : 4.0;  // +8 left, -4 right
    return x;
  });
  const auto found = find_form_findings(steps);
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_EQ(found[0].metric, "rotation_ic_deg");
  EXPECT_EQ(found[0].side, FindingSide::left);
  EXPECT_NEAR(found[0].value, 66.7, 4.0);  // (8 - 4) / 6
  EXPECT_NE(found[0].message.find("magnitudes"), std::string::npos);
}

TEST(FormFindingRules, NearZeroMetricsCompareDifferences) {
  const auto steps = synthetic_steps(300, [](Side side, double) {
    StepLevels l;
    l.foot_strike_distance_m = side == Side::left ? 0.20 : 0.12;
    return l;
  });
  const auto found = find_form_findings(steps);
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_EQ(found[0].metric, "foot_strike_distance_m");
  EXPECT_EQ(found[0].unit, "m");
  EXPECT_NEAR(found[0].value, 0.08, 0.005);
  const auto close = synthetic_steps(300, [](Side side, double) {
    StepLevels l;
    l.foot_strike_distance_m = side == Side::left ? 0.16 : 0.14;  // 2 cm apart: within 3 cm
    return l;
  });
  EXPECT_TRUE(find_form_findings(close).empty()) << describe(find_form_findings(close));
}

TEST(FormFindingRules, FatigueDriftIsASustainedMoveFromTheStart) {
  // Tilt rising 2 deg a minute after the first minute: 5 deg by 3.5 minutes.
  const auto rising = synthetic_steps(600, [](Side, double t) {
    StepLevels l;
    l.tilt_ic_deg = 3.0 + std::max(0.0, t - 60.0) / 60.0 * 2.0;
    return l;
  });
  const auto found = find_form_findings(rising);
  ASSERT_EQ(found.size(), 1u) << describe(found);
  EXPECT_EQ(found[0].code, FindingCode::fatigue_drift);
  EXPECT_EQ(found[0].metric, "tilt_ic_deg");
  EXPECT_EQ(found[0].side, FindingSide::both);
  EXPECT_GT(found[0].value, 3.0);
  EXPECT_GT(found[0].t_start_s, 100.0);  // 3 deg reached near t = 150 s, windows of ~21 s
  // A smaller move (2 deg) is no finding.
  const auto small = synthetic_steps(600, [](Side, double t) {
    StepLevels l;
    l.tilt_ic_deg = 3.0 + std::min(2.0, std::max(0.0, t - 60.0) / 60.0);
    return l;
  });
  EXPECT_TRUE(find_form_findings(small).empty()) << describe(find_form_findings(small));
  // Nor a few steps far off.
  auto steps = steady_steps(600, StepLevels{});
  for (std::size_t i = 400; i < 410; ++i) steps[i].foot_strike_distance_m = Metric::of(0.25);
  EXPECT_TRUE(find_form_findings(steps).empty()) << describe(find_form_findings(steps));
}

TEST(FormFindingRules, FootStrikeDistanceDriftInCentimetres) {
  const auto steps = synthetic_steps(600, [](Side, double t) {
    StepLevels l;
    l.foot_strike_distance_m = 0.12 + std::max(0.0, t - 40.0) / 60.0 * 0.03;  // 3 cm a minute
    return l;
  });
  const auto found = of_code(find_form_findings(steps), FindingCode::fatigue_drift);
  ASSERT_EQ(found.size(), 1u) << describe(find_form_findings(steps));
  EXPECT_EQ(found[0].metric, "foot_strike_distance_m");
  EXPECT_EQ(found[0].unit, "m");
  EXPECT_EQ(found[0].threshold, 0.04);
  EXPECT_NE(found[0].message.find(" cm"), std::string::npos);
}

TEST(FormFindingRules, WalkingStepsAreLeftOut) {
  StepLevels l;
  l.cadence_spm = 110.0;
  auto steps = steady_steps(200, l);
  for (auto& s : steps) s.gait_mode = GaitMode::walking;
  EXPECT_TRUE(find_form_findings(steps).empty());
}

TEST(FormFindingRules, RulesOutOfRangeAreRefusedByName) {
  FindingRules r;
  r.hip_drop_deg = -1.0;
  try {
    find_form_findings({}, r);
    FAIL() << "a negative threshold was taken";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("hip_drop_deg"), std::string::npos) << e.what();
  }
  r = {};
  r.min_steps = 40;  // more than the window
  EXPECT_THROW(find_form_findings({}, r), std::invalid_argument);
  EXPECT_THROW(find_form_findings({}, {}, RunnerProfile{0.0}), std::invalid_argument);
  EXPECT_TRUE(find_form_findings({}).empty());
}

TEST(FormFindingRules, StepFormDerivesAngleAndBrakingShare) {
  StepEvent s;
  s.foot_strike_distance_m = Metric::of(0.2);
  s.contact_time_s = Metric::of(0.25);
  s.braking_time_s = Metric::of(0.1);
  const auto f = step_form(s, RunnerProfile{0.9});
  ASSERT_TRUE(f.landing_angle_deg && f.foot_strike_leg_lengths && f.braking_share);
  EXPECT_NEAR(*f.landing_angle_deg, 12.529, 0.001);
  EXPECT_NEAR(*f.foot_strike_leg_lengths, 0.2222, 0.0001);
  EXPECT_NEAR(*f.braking_share, 0.4, 1e-12);
  EXPECT_FALSE(step_form(s).landing_angle_deg);  // no leg length: no angle, not a guess
  s.braking_time_s = Metric::absent(AbsentReason::no_pelvis_sensor);
  EXPECT_FALSE(step_form(s).braking_share);
}

TEST(FormFindingSides, CompareSidesPicksTheIndexForTheMetric) {
  const std::vector<double> plus3{3.1, 2.9, 3.0}, minus3{-3.0, -3.1, -2.9};
  const auto mirrored = compare_sides("obliquity_ic_deg", plus3, minus3);
  ASSERT_TRUE(mirrored);
  EXPECT_TRUE(mirrored->ratio);
  EXPECT_TRUE(mirrored->magnitudes);
  EXPECT_NEAR(mirrored->index, 0.0, 1e-9);  // a signed ratio would divide by ~0
  const std::vector<double> five{5.0, 5.0}, three{3.0, 3.0};
  const auto drop = compare_sides("pelvic_drop_deg", five, three);
  ASSERT_TRUE(drop);
  EXPECT_TRUE(drop->ratio);
  EXPECT_FALSE(drop->magnitudes);
  EXPECT_NEAR(drop->index, 50.0, 1e-9);
  const auto tilt = compare_sides("tilt_ic_deg", five, three);
  ASSERT_TRUE(tilt);
  EXPECT_FALSE(tilt->ratio);
  EXPECT_NEAR(tilt->index, 2.0, 1e-9);
  const std::vector<double> small_l{0.5}, small_r{1.5};  // mean magnitude 1 deg: below the 2 deg floor
  const auto small = compare_sides("rotation_ic_deg", small_l, small_r);
  ASSERT_TRUE(small);
  EXPECT_FALSE(small->ratio);
  EXPECT_NEAR(small->index, -1.0, 1e-9);
  EXPECT_FALSE(compare_sides("shoe_size", five, three));
  EXPECT_FALSE(compare_sides("pelvic_drop_deg", five, {}));
}

TEST(FormFindingCodes, NamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(last_finding_code); ++i) {
    const auto code = static_cast<FindingCode>(i);
    EXPECT_EQ(finding_code_from(to_string(code)), code);
  }
  EXPECT_FALSE(finding_code_from("overstriding"));
}

}  // namespace
}  // namespace stridefuse::fusion
