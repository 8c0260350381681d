// PelvisFrame (fusion/DRILLS.md, "Mounting"): the pelvis IMU's frame from the
// documented clip, the level rest of a hinge exercise and its reps' votes.
#include <gtest/gtest.h>

#include <cmath>

#include <Eigen/Geometry>

#include "drill/pelvis_frame.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion::drill {
namespace {

// The documented clip: the pelvis's X (anterior), Y (left), Z (up) in sensor axes.
const Eigen::Vector3d pelvis_x_doc(0.0, 0.0, -1.0), pelvis_y_doc(0.0, 1.0, 0.0), pelvis_z_doc(1.0, 0.0, 0.0);

Eigen::Vector3d turned(const Eigen::Vector3d& v, double deg, const Eigen::Vector3d& axis) {
  return Eigen::AngleAxisd(rad_from_deg(deg), axis.normalized()) * v;
}

double angle_deg(const Eigen::Vector3d& a, const Eigen::Vector3d& b) {
  return deg_from_rad(std::atan2(a.cross(b).norm(), a.dot(b)));
}

// The pelvis's lateral axis, in sensor axes, as the frame has it.
Eigen::Vector3d lateral_of(PelvisFrame& f) { return f.sensor_to_pelvis().row(1).transpose(); }

// One rep's rate: a hinge about `axis` (sensor axes), there and back.
void hinge_rep(PelvisFrame& f, const Eigen::Vector3d& axis) {
  for (int i = 0; i < 100; ++i) f.add_rep_rate(axis.normalized() * std::sin(2.0 * pi * i / 100.0));
}

// Lying on the back (bridge), the pelvis's X points up. A clip turned by 4 deg
// about the pelvis's vertical tips the lateral axis towards X; the pelvis
// resting level puts it back in the horizontal, before any rep.
TEST(PelvisFrame, TheLevelRestLyingCorrectsAClipTurnedAboutThePelvisVertical) {
  const Eigen::Vector3d true_x = turned(pelvis_x_doc, 4.0, pelvis_z_doc);
  const Eigen::Vector3d true_y = turned(pelvis_y_doc, 4.0, pelvis_z_doc);
  PelvisFrame without(true), with(true);
  EXPECT_NEAR(angle_deg(lateral_of(without), true_y), 4.0, 1e-6);
  for (int i = 0; i < 50; ++i) with.add_rest_gravity(true_x * standard_gravity_mps2);
  EXPECT_LT(angle_deg(lateral_of(with), true_y), 1e-6);
  // The frame stays a rotation, its lateral axis orthogonal to the measured "up".
  const Eigen::Matrix3d m = with.sensor_to_pelvis();
  EXPECT_LT((m * m.transpose() - Eigen::Matrix3d::Identity()).norm(), 1e-9);
  EXPECT_NEAR(m.row(1).dot(true_x), 0.0, 1e-9);
}

// Not a hinge exercise: nothing is learnt, the documented clip stands.
TEST(PelvisFrame, OnlyHingeExercisesLearnTheirLateralAxis) {
  PelvisFrame f(false);
  f.add_rest_gravity(turned(pelvis_x_doc, 4.0, pelvis_z_doc));
  hinge_rep(f, turned(pelvis_y_doc, 3.0, pelvis_z_doc));
  f.end_rep(false);
  EXPECT_LT(angle_deg(lateral_of(f), pelvis_y_doc), 1e-9);
  EXPECT_FALSE(f.hinge_calibrated());
}

// Standing (RDL): a clean rep's hinge axis counts as one vote with the
// documented axis; a rep that passed the tolerance does not vote.
TEST(PelvisFrame, CleanRepsVoteWithTheDocumentedAxisAndARepThatMovedDoesNot) {
  PelvisFrame f(true);
  f.set_start_gravity(pelvis_z_doc);  // standing still, on the documented vertical
  const Eigen::Vector3d tipped = turned(pelvis_y_doc, 2.0, pelvis_z_doc);
  hinge_rep(f, turned(pelvis_y_doc, 8.0, pelvis_z_doc));
  f.end_rep(true);  // a fault turned that rep's pelvis: no vote
  EXPECT_FALSE(f.hinge_calibrated());
  EXPECT_LT(angle_deg(lateral_of(f), pelvis_y_doc), 1e-6);
  hinge_rep(f, tipped);
  f.end_rep(false);
  ASSERT_TRUE(f.hinge_calibrated());
  EXPECT_NEAR(angle_deg(lateral_of(f), pelvis_y_doc), 1.0, 0.01);  // halfway: one vote and the documented axis
  hinge_rep(f, tipped);
  f.end_rep(false);
  EXPECT_NEAR(angle_deg(lateral_of(f), pelvis_y_doc), 4.0 / 3.0, 0.01);
  EXPECT_NEAR(lateral_of(f).dot(pelvis_z_doc), 0.0, 1e-9);  // kept horizontal
}

// A rep whose rate has no dominant axis (a wobble, not a hinge) does not vote.
TEST(PelvisFrame, ARepWithoutADominantAxisDoesNotVote) {
  PelvisFrame f(true);
  for (int i = 0; i < 100; ++i) {
    const double s = std::sin(2.0 * pi * i / 100.0), c = std::cos(2.0 * pi * i / 100.0);
    f.add_rep_rate(Eigen::Vector3d(0.0, s, c));
  }
  f.end_rep(false);
  EXPECT_FALSE(f.hinge_calibrated());
}

}  // namespace
}  // namespace stridefuse::fusion::drill
