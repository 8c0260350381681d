#include "stridefuse/fusion/pelvis_angles.hpp"

#include <gtest/gtest.h>

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion {
namespace {

Eigen::Vector3d rotate(const PelvisAngles& a, const Eigen::Vector3d& v) { return relative_orientation_from(a) * v; }

TEST(PelvisAngles, AnteriorTiltTipsTheFrontDown) {
  const auto anterior = rotate({10.0, 0.0, 0.0}, Eigen::Vector3d::UnitX());
  EXPECT_LT(anterior.z(), -0.1);
}

TEST(PelvisAngles, PositiveObliquityRaisesTheLeftSide) {
  const auto left = rotate({0.0, 8.0, 0.0}, Eigen::Vector3d::UnitY());
  EXPECT_GT(left.z(), 0.1);
}

TEST(PelvisAngles, PositiveRotationBringsTheRightSideForward) {
  const auto right = rotate({0.0, 0.0, 12.0}, -Eigen::Vector3d::UnitY());
  EXPECT_GT(right.x(), 0.1);
}

TEST(PelvisAngles, DecompositionInvertsComposition) {
  for (double tilt : {-20.0, -3.0, 0.0, 7.5, 25.0})
    for (double obl : {-15.0, 0.0, 4.0, 12.0})
      for (double rot : {-30.0, -1.0, 0.0, 9.0, 40.0}) {
        const auto back = pelvis_angles_from(relative_orientation_from({tilt, obl, rot}));
        EXPECT_NEAR(back.tilt_deg, tilt, 1e-9);
        EXPECT_NEAR(back.obliquity_deg, obl, 1e-9);
        EXPECT_NEAR(back.rotation_deg, rot, 1e-9);
      }
}

}  // namespace
}  // namespace stridefuse::fusion
