// The DrillTracker on short noise-free synthetic signals (synthetic_drill.hpp):
// one clean rep, a fault flagged once at its crossing, the tolerance, an
// 80-degree hinge, the signs, the foot and load detectors, the summary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "drills/synthetic_drill.hpp"

namespace stridefuse {
namespace {

using drill_test::about_x;
using drill_test::about_y;
using drill_test::about_z;
using drill_test::envelope;
using drill_test::SyntheticDrill;

struct Collected {
  std::vector<RepEvent> reps;
  std::vector<PelvisMovedEvent> moved;
  std::vector<double> moved_during_push_of_s;
  std::optional<DrillSetEvent> set;
};

Collected run(const SyntheticDrill& drill, const DrillConfig& config) {
  Collected c;
  double pushing_s = 0.0;
  fusion::DrillTracker tracker(drill.streams(), config,
                               {[&](const RepEvent& r) { c.reps.push_back(r); },
                                [&](const PelvisMovedEvent& e) {
                                  c.moved.push_back(e);
                                  c.moved_during_push_of_s.push_back(pushing_s);
                                },
                                [&](const DrillSetEvent& s) { c.set = s; }});
  drill.feed(tracker, [&](const Sample& s) { pushing_s = s.t_s; });
  tracker.finish();
  return c;
}

// A supine bridge from 2 s: the hips lift (posterior tilt) by 25 deg over 1.2 s, hold 1 s, come down.
SyntheticDrill bridge(double rotation_deg, double obliquity_deg = 0.0) {
  SyntheticDrill d;
  d.duration_s = 7.0;
  d.insole = {false, false};
  d.pelvis_pose = [=](double t) {
    const double e = envelope(t, 2.0, 1.2, 1.0);
    return about_y(-90.0) * about_y(-25.0 * e) * about_x(obliquity_deg * e) * about_z(rotation_deg * e);
  };
  return d;
}

// The time a fault of `deg` passes `tolerance` on the bridge's half-cosine rise.
double bridge_crossing_s(double deg, double tolerance) { return 2.0 + 1.2 * std::acos(1.0 - 2.0 * tolerance / deg) / pi; }

TEST(DrillTracker, CountsACleanBridgeRepOnceWithItsRangeAndHold) {
  const auto c = run(bridge(0.0), {DrillExercise::bridge, DrillSide::both, std::nullopt});
  ASSERT_EQ(c.reps.size(), 1u);
  const auto& r = c.reps[0];
  EXPECT_EQ(r.rep, 1u);
  EXPECT_EQ(r.side, DrillSide::both);
  EXPECT_NEAR(r.t_start_s, 2.0, 0.15);
  EXPECT_NEAR(r.t_end_s, 5.4, 0.25);
  ASSERT_TRUE(r.range_of_motion_deg.present());
  EXPECT_NEAR(r.range_of_motion_deg.value, 25.0, 0.3);
  EXPECT_NEAR(r.excursion.tilt_deg, -25.0, 0.3);  // hips up: posterior tilt
  EXPECT_NEAR(r.excursion.obliquity_deg, 0.0, 0.2);
  EXPECT_NEAR(r.excursion.rotation_deg, 0.0, 0.2);
  // The 1 s the hips are held still at the top, not the slow ends of the way up and down
  // (within 1.5 % of the top for 0.15 s more on each side of this half-cosine).
  ASSERT_TRUE(r.hold_s.has_value());
  EXPECT_NEAR(*r.hold_s, 1.0, 0.05);
  EXPECT_FALSE(r.pelvis_moved);
  EXPECT_TRUE(c.moved.empty());
  EXPECT_EQ(r.watched, (WatchedAxes{false, true, true}));
  EXPECT_DOUBLE_EQ(r.tolerance_deg, fusion::drill_definition(DrillExercise::bridge).default_tolerance_deg);
}

TEST(DrillTracker, FlagsASixDegreeRotationOnceAtItsCrossing) {
  const auto c = run(bridge(6.0), {DrillExercise::bridge, DrillSide::both, 4.0});
  ASSERT_EQ(c.reps.size(), 1u);
  EXPECT_TRUE(c.reps[0].pelvis_moved);
  EXPECT_NEAR(c.reps[0].excursion.rotation_deg, 6.0, 0.2);
  ASSERT_EQ(c.moved.size(), 1u);
  const auto& e = c.moved[0];
  EXPECT_EQ(e.axis, PelvisAxis::rotation);
  EXPECT_EQ(e.rep, 1u);
  EXPECT_GT(e.excursion_deg, 4.0);
  EXPECT_LT(e.excursion_deg, 4.2);
  EXPECT_DOUBLE_EQ(e.tolerance_deg, 4.0);
  EXPECT_NEAR(e.t_s, bridge_crossing_s(6.0, 4.0), 0.02);
  EXPECT_DOUBLE_EQ(c.moved_during_push_of_s[0], e.t_s);  // called back from the very push
}

TEST(DrillTracker, RespectsTheTolerance) {
  const auto loose = run(bridge(-6.0), {DrillExercise::bridge, DrillSide::both, 6.5});
  ASSERT_EQ(loose.reps.size(), 1u);
  EXPECT_FALSE(loose.reps[0].pelvis_moved);
  EXPECT_TRUE(loose.moved.empty());
  EXPECT_NEAR(loose.reps[0].excursion.rotation_deg, -6.0, 0.2);
  const auto tight = run(bridge(-6.0), {DrillExercise::bridge, DrillSide::both, 5.5});
  ASSERT_EQ(tight.reps.size(), 1u);
  EXPECT_TRUE(tight.reps[0].pelvis_moved);
  ASSERT_EQ(tight.moved.size(), 1u);
  EXPECT_LT(tight.moved[0].excursion_deg, -5.5);
}

TEST(DrillTracker, WatchesOnlyTheExercisesAxes) {
  // The bridge's tilt is its hinge: 25 deg of it never counts as moving.
  const auto c = run(bridge(0.0), {DrillExercise::bridge, DrillSide::both, 1.0});
  ASSERT_EQ(c.reps.size(), 1u);
  EXPECT_FALSE(c.reps[0].pelvis_moved);
}

TEST(DrillTracker, IsGimbalSafeAtAnEightyDegreeHinge) {
  SyntheticDrill d;
  d.duration_s = 9.0;
  d.insole = {false, false};
  d.pelvis_pose = [](double t) {
    const double e = envelope(t, 2.0, 2.0, 0.5);
    return about_y(80.0 * e) * about_x(-2.0 * e) * about_z(3.0 * e);
  };
  const auto c = run(d, {DrillExercise::single_leg_rdl, DrillSide::right, std::nullopt});
  ASSERT_EQ(c.reps.size(), 1u);
  const auto& r = c.reps[0];
  EXPECT_EQ(r.side, DrillSide::right);
  EXPECT_NEAR(r.excursion.tilt_deg, 80.0, 0.5);
  EXPECT_NEAR(r.excursion.obliquity_deg, -2.0, 0.2);
  EXPECT_NEAR(r.excursion.rotation_deg, 3.0, 0.2);
  EXPECT_NEAR(r.range_of_motion_deg.value, 80.0, 0.5);
  EXPECT_FALSE(r.pelvis_moved);

  // Seven degrees of rotation in the hinged pelvis is rotation, not obliquity.
  d.pelvis_pose = [](double t) {
    const double e = envelope(t, 2.0, 2.0, 0.5);
    return about_y(80.0 * e) * about_z(7.0 * e);
  };
  const auto f = run(d, {DrillExercise::single_leg_rdl, DrillSide::right, std::nullopt});
  ASSERT_EQ(f.reps.size(), 1u);
  ASSERT_EQ(f.moved.size(), 1u);
  EXPECT_EQ(f.moved[0].axis, PelvisAxis::rotation);
  EXPECT_NEAR(f.reps[0].excursion.obliquity_deg, 0.0, 0.2);
}

TEST(DrillTracker, CountsAFootThatLiftsWithFramesSigns) {
  // Banded hip extension on the left: the left foot leaves the floor and
  // turns 30 deg; the pelvis's left side rises 5 deg (positive obliquity)
  // and it tips forward 2 deg (positive tilt).
  SyntheticDrill d;
  d.duration_s = 6.0;
  auto env = [](double t) { return envelope(t, 2.0, 0.8, 0.2); };
  d.load[0] = [=](double t) { return 350.0 * (1.0 - std::min(1.0, env(t) / 0.15)); };
  d.load[1] = [=](double t) { return 700.0 - 350.0 * (1.0 - std::min(1.0, env(t) / 0.15)); };
  d.foot_pose[0] = [=](double t) { return about_y(30.0 * env(t)); };
  d.pelvis_pose = [=](double t) { return about_y(2.0 * env(t)) * about_x(5.0 * env(t)); };
  const auto c = run(d, {DrillExercise::banded_hip_extension, DrillSide::left, std::nullopt});
  ASSERT_EQ(c.reps.size(), 1u);
  const auto& r = c.reps[0];
  EXPECT_EQ(r.side, DrillSide::left);
  EXPECT_NEAR(r.excursion.obliquity_deg, 5.0, 0.2);
  EXPECT_NEAR(r.excursion.tilt_deg, 2.0, 0.2);
  ASSERT_TRUE(r.range_of_motion_deg.present());
  EXPECT_NEAR(r.range_of_motion_deg.value, 30.0, 0.5);
  EXPECT_FALSE(r.hold_s.has_value());  // no hold in this exercise
  ASSERT_EQ(c.moved.size(), 1u);
  EXPECT_EQ(c.moved[0].axis, PelvisAxis::obliquity);
  EXPECT_EQ(c.moved[0].side, DrillSide::left);
}

TEST(DrillTracker, WithoutTheInsolesImuTheRangeOfMotionIsAbsent) {
  SyntheticDrill d;
  d.duration_s = 6.0;
  d.insole_imu = {false, false};
  auto env = [](double t) { return envelope(t, 2.0, 0.8, 0.0); };
  d.load[1] = [=](double t) { return 350.0 * (1.0 - std::min(1.0, env(t) / 0.15)); };
  const auto c = run(d, {DrillExercise::running_man, DrillSide::right, std::nullopt});
  ASSERT_EQ(c.reps.size(), 1u);
  EXPECT_EQ(c.reps[0].side, DrillSide::right);
  EXPECT_FALSE(c.reps[0].range_of_motion_deg.present());
  EXPECT_EQ(c.reps[0].range_of_motion_deg.absent_reason, AbsentReason::no_insole);
}

TEST(DrillTracker, TellsEachRepsSideAndSummarisesBothSides) {
  // Donkey kicks on hands and knees, left then right: each foot turns 70 deg.
  SyntheticDrill d;
  d.duration_s = 10.0;
  d.load = {[](double) { return 0.0; }, [](double) { return 0.0; }};
  d.pelvis_pose = [](double) { return about_y(90.0); };
  d.foot_pose[0] = [](double t) { return about_y(180.0) * about_y(70.0 * envelope(t, 2.0, 1.0, 0.5)); };
  d.foot_pose[1] = [](double t) { return about_y(180.0) * about_y(70.0 * envelope(t, 5.5, 1.0, 0.5)); };
  const auto c = run(d, {DrillExercise::donkey_kick, DrillSide::both, std::nullopt});
  ASSERT_EQ(c.reps.size(), 2u);
  EXPECT_EQ(c.reps[0].side, DrillSide::left);
  EXPECT_EQ(c.reps[1].side, DrillSide::right);
  EXPECT_EQ(c.reps[1].rep, 2u);
  EXPECT_NEAR(c.reps[0].range_of_motion_deg.value, 70.0, 0.5);
  ASSERT_TRUE(c.set.has_value());
  ASSERT_EQ(c.set->sides.size(), 2u);
  EXPECT_EQ(c.set->sides[0].side, DrillSide::left);
  EXPECT_EQ(c.set->sides[0].reps, 1u);
  EXPECT_EQ(c.set->sides[1].side, DrillSide::right);
  EXPECT_EQ(c.set->sides[1].reps, 1u);
  EXPECT_EQ(c.set->sides[1].reps_moved, 0u);
  EXPECT_NEAR(c.set->sides[0].mean_range_of_motion_deg.value, 70.0, 0.5);
}

TEST(DrillTracker, SummarisesASetWithoutReps) {
  SyntheticDrill d;
  d.insole = {false, false};
  const auto c = run(d, {DrillExercise::bridge, DrillSide::both, std::nullopt});
  EXPECT_TRUE(c.reps.empty());
  ASSERT_TRUE(c.set.has_value());
  ASSERT_EQ(c.set->sides.size(), 1u);
  EXPECT_EQ(c.set->sides[0].reps, 0u);
  EXPECT_FALSE(c.set->sides[0].mean_duration_s.present());
}

}  // namespace
}  // namespace stridefuse
