#pragma once
// How the pelvis IMU sits on the pelvis (fusion/DRILLS.md, "Mounting"): the
// documented clip on the sacrum (sensor x up, y left, z backward), refined
// by what the set itself shows: "up" from a still standing start, and for a
// hinge exercise the lateral axis as the axis the pelvis hinges about.

#include <optional>
#include <vector>

#include <Eigen/Dense>

namespace stridefuse::fusion::drill {

class PelvisFrame {
 public:
  /// `hinge`: the exercise turns the pelvis about its lateral axis (bridge, single-leg RDL).
  explicit PelvisFrame(bool hinge) : hinge_(hinge) {}

  /// The mean specific force of a still start, sensor axes. Taken as the
  /// pelvis's vertical when within 15 degrees of the documented one (the
  /// athlete stood); otherwise (lying, kneeling) ignored.
  void set_start_gravity(const Eigen::Vector3d& up);
  /// A bias-corrected pelvis rate during a rep (hinge exercises learn their lateral axis from it).
  void add_rep_rate(const Eigen::Vector3d& rate_radps);
  /// The rep is over: its hinge axis becomes one vote for the lateral axis.
  /// The lateral axis is the component-wise median of the votes, the
  /// documented axis counting as two, from the second rep's vote on: a
  /// faulty rep, whose pelvis turns with the hinge and tips that rep's axis,
  /// is outvoted by clean ones, and a clean rep's sway, which tips its vote a
  /// little, by the others and the documented mounting.
  void end_rep();

  /// Rows: the pelvis's X, Y, Z in sensor axes (a vector in sensor axes times it is in pelvis axes).
  const Eigen::Matrix3d& sensor_to_pelvis();
  bool standing_calibrated() const { return up_.has_value(); }
  bool hinge_calibrated() const { return lateral_.has_value(); }

 private:
  void rebuild();

  bool hinge_;
  std::optional<Eigen::Vector3d> up_;
  std::optional<Eigen::Vector3d> lateral_;
  Eigen::Matrix3d scatter_ = Eigen::Matrix3d::Zero();
  std::vector<Eigen::Vector3d> votes_;
  bool dirty_ = true;
  Eigen::Matrix3d matrix_ = Eigen::Matrix3d::Identity();
};

}  // namespace stridefuse::fusion::drill
