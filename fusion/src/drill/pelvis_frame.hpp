#pragma once
// How the pelvis IMU sits on the pelvis (fusion/DRILLS.md, "Mounting"): the
// documented clip on the sacrum (sensor x up, y left, z backward), refined
// by what the set itself shows: "up" from a still standing start, and for a
// hinge exercise the lateral axis, which is horizontal while the pelvis rests
// level in position and is the axis the pelvis hinges about in a rep.

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
  /// A specific force while the pelvis rests still in the exercise's
  /// position between reps (hinge exercises): level side to side there, so
  /// the lateral axis is horizontal, orthogonal to the mean of these.
  void add_rest_gravity(const Eigen::Vector3d& accel_mps2);
  /// A bias-corrected pelvis rate during a rep (hinge exercises learn their lateral axis from it).
  void add_rep_rate(const Eigen::Vector3d& rate_radps);
  /// The rep is over: its hinge axis, if the hinge dominated its rate, is a
  /// vote for the lateral axis, unless `moved`: the rep passed the tolerance
  /// (with the axis it was measured with).
  void end_rep(bool moved);
  /// The calibration hinge (on both feet, fusion/DRILLS.md) is over: its
  /// hinge axis, if the hinge dominated its rate, takes the documented axis's
  /// place among the votes for the lateral axis. Returns whether it was taken.
  bool end_calibration();

  /// Rows: the pelvis's X, Y, Z in sensor axes (a vector in sensor axes times it is in pelvis axes).
  const Eigen::Matrix3d& sensor_to_pelvis();
  bool standing_calibrated() const { return up_.has_value(); }
  bool hinge_calibrated() const { return lateral_.has_value(); }

 private:
  void estimate_lateral();
  /// The axis the rate scattered about since the last reset, when it dominated.
  std::optional<Eigen::Vector3d> take_hinge_axis();
  Eigen::Vector3d horizontal(Eigen::Vector3d v) const;
  void rebuild();

  bool hinge_;
  std::optional<Eigen::Vector3d> up_;
  Eigen::Vector3d rest_sum_ = Eigen::Vector3d::Zero();
  int rest_count_ = 0;
  std::optional<Eigen::Vector3d> lateral_;
  Eigen::Matrix3d scatter_ = Eigen::Matrix3d::Zero();
  std::vector<Eigen::Vector3d> votes_;  // hinge axes of the clean reps
  std::optional<Eigen::Vector3d> calibrated_;  // the calibration hinge's axis
  bool dirty_ = true;
  Eigen::Matrix3d matrix_ = Eigen::Matrix3d::Identity();
};

}  // namespace stridefuse::fusion::drill
