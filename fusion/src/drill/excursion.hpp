#pragma once
// The pelvis's excursion (fusion/DRILLS.md, "Excursion"): the rotation from
// its pose at the rep's start to now, in the pelvis's frame at the start,
// decomposed as Ry(tilt)·Rx(obliquity)·Rz(rotation). The hinge (tilt) comes
// first so that obliquity and rotation are about the hinged pelvis's own
// axes; the middle angle, obliquity, must stay small in every exercise, so
// the decomposition never nears its singularity (obliquity +-90 deg) however
// far the pelvis hinges.

#include <array>

#include <Eigen/Geometry>

#include "stridefuse/core/drill.hpp"

namespace stridefuse::fusion::drill {

/// Tilt, obliquity, rotation in degrees, with fusion/FRAMES.md's signs.
using PelvisTurn = std::array<double, 3>;

/// Decomposes a rotation of the pelvis given in its own frame at the start.
PelvisTurn decompose_excursion(const Eigen::Matrix3d& rotation);

/// The excursion from `start` to `now` (both sensor to a common frame) for a
/// sensor whose axes map to the pelvis's by `sensor_to_pelvis`.
PelvisTurn pelvis_excursion(const Eigen::Quaterniond& start, const Eigen::Quaterniond& now,
                            const Eigen::Matrix3d& sensor_to_pelvis);

/// Over one rep: each axis's signed departure of largest magnitude, and the
/// first moment each watched axis passed the tolerance.
class ExcursionTrack {
 public:
  void reset();
  /// Adds the excursion at t; returns the watched axes that passed the
  /// tolerance for the first time at this sample.
  std::array<bool, 3> add(double t_s, const PelvisTurn& turn, const WatchedAxes& watched, double tolerance_deg);

  PelvisExcursion worst() const { return {worst_[0], worst_[1], worst_[2]}; }
  bool crossed(int axis) const { return crossed_[axis]; }
  double crossing_t_s(int axis) const { return crossing_t_s_[axis]; }
  double crossing_deg(int axis) const { return crossing_deg_[axis]; }
  bool any_crossed() const { return crossed_[0] || crossed_[1] || crossed_[2]; }

 private:
  std::array<double, 3> worst_{0.0, 0.0, 0.0};
  std::array<bool, 3> crossed_{false, false, false};
  std::array<double, 3> crossing_t_s_{0.0, 0.0, 0.0};
  std::array<double, 3> crossing_deg_{0.0, 0.0, 0.0};
};

bool watches(const WatchedAxes& watched, int axis);

}  // namespace stridefuse::fusion::drill
