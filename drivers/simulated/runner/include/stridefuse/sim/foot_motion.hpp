#pragma once
// Motion of a foot, for the IMU inside an insole. In stance the foot rolls
// over the ground: from the strike angle to flat about the strike point, flat,
// then heel-off about the ball of the foot until toe-off. In swing it travels
// to its next contact along quintic curves that match position and velocity
// at both ends and start and end without acceleration, lifted by a clearance
// bump.

#include <Eigen/Core>

#include "stridefuse/sim/runner_config.hpp"

namespace stridefuse::sim {

/// Where the insole IMU is and how the foot is pitched (foot frame to session
/// frame = Ry(pitch), heading along X; positive pitch is toe down).
struct FootPose {
  Eigen::Vector3d imu_position_m = Eigen::Vector3d::Zero();
  double pitch_rad = 0.0;
};

/// The foot's geometry and stance pattern.
struct FootGeometry {
  double length_m = 0.265;
  double strike_fraction = 0.15;     ///< CoP at IC, fraction of length from the heel
  double strike_pitch_rad = 0.0;     ///< pitch at IC: negative (toe up) for rearfoot
  double lateral_position_m = 0.1;   ///< y of the foot's long axis in the session frame
};

/// Pitch at IC for a strike pattern: rearfoot -15 deg, midfoot -3 deg, forefoot +8 deg.
double strike_pitch_rad(StrikePattern pattern);

/// Pose during stance at `stance_fraction` (0 at IC, 1 at toe-off; values a
/// little outside continue the same curves), heel at `heel_x_m` when flat.
FootPose stance_foot_pose(const FootGeometry& foot, double heel_x_m, double stance_fraction);

/// Pose when standing flat with the heel at `heel_x_m`.
FootPose flat_foot_pose(const FootGeometry& foot, double heel_x_m);

/// Value, rate and acceleration of one coordinate at a boundary of the swing.
struct Boundary {
  double value = 0.0, rate = 0.0, acceleration = 0.0;
};

/// Quintic Hermite from `a` to `b` over `duration_s`, evaluated at `t_s` in [0, duration].
double quintic(const Boundary& a, const Boundary& b, double duration_s, double t_s);

/// A bump of height 1 at the middle with zero value, slope and curvature at both ends.
double clearance_bump(double fraction);

}  // namespace stridefuse::sim
