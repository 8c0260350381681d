#include "pelvis_frame.hpp"

#include <array>
#include <cmath>

#include <Eigen/Eigenvalues>

namespace stridefuse::fusion::drill {
namespace {

// The documented mounting (the simulated runner's default too): sensor x up, y left, z backward.
const Eigen::Vector3d documented_up(1.0, 0.0, 0.0);
const Eigen::Vector3d documented_left(0.0, 1.0, 0.0);
constexpr double max_up_error_cos = 0.966;  // 15 degrees: a clip sits closer than that; pigeon's 20-degree lean does not
// A rep votes for its hinge axis when the hinge clearly dominates its rate:
// this many times the energy of the next axis.
constexpr double hinge_dominance = 4.0;
// Two "level" references closer than this are one constraint, not two.
constexpr double min_constraint_sin = 0.17;  // 10 degrees

}  // namespace

void PelvisFrame::set_start_gravity(const Eigen::Vector3d& up) {
  if (up.norm() <= 0.0) return;
  const Eigen::Vector3d u = up.normalized();
  if (u.dot(documented_up) < max_up_error_cos) return;
  up_ = u;
  dirty_ = true;
}

void PelvisFrame::add_rest_gravity(const Eigen::Vector3d& accel) {
  if (!hinge_ || !accel.allFinite()) return;
  rest_sum_ += accel;
  ++rest_count_;
  dirty_ = true;
}

void PelvisFrame::add_rep_rate(const Eigen::Vector3d& rate) {
  if (hinge_ && rate.allFinite()) scatter_ += rate * rate.transpose();
}

std::optional<Eigen::Vector3d> PelvisFrame::take_hinge_axis() {
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> solver(scatter_);
  scatter_.setZero();
  const auto& values = solver.eigenvalues();  // ascending
  if (!(values[2] > hinge_dominance * values[1])) return std::nullopt;
  Eigen::Vector3d axis = solver.eigenvectors().col(2);
  if (axis.dot(documented_left) < 0.0) axis = -axis;  // the sign the documented mounting gives
  return axis.normalized();
}

void PelvisFrame::end_rep(bool moved) {
  if (!hinge_) return;
  const auto axis = take_hinge_axis();
  // A rep that passed the tolerance does not vote: its pelvis turned on a
  // watched axis and tipped its hinge axis one way.
  if (moved || !axis) return;
  votes_.push_back(*axis);
  estimate_lateral();
}

bool PelvisFrame::end_calibration() {
  if (!hinge_) return false;
  calibrated_ = take_hinge_axis();
  if (calibrated_) estimate_lateral();
  return calibrated_.has_value();
}

// The lateral axis from the votes (fusion/DRILLS.md, "Mounting"): their
// mean, with one more vote for what was known before the reps, the
// calibration hinge's axis or else the documented one. A clean rep's sway
// tips its vote a little, either way, so the mean converges; the calibration
// hinge, measured on this clip, starts it where the clip is rather than where
// it should be. Everything is kept horizontal where the pelvis was seen level.
void PelvisFrame::estimate_lateral() {
  Eigen::Vector3d sum = horizontal(calibrated_.value_or(documented_left));
  for (const auto& v : votes_) sum += horizontal(v);
  lateral_ = horizontal(sum);
  dirty_ = true;
}

// The component of v orthogonal to every direction the pelvis was seen level
// in: the standing vertical and the mean gravity at rest in position.
Eigen::Vector3d PelvisFrame::horizontal(Eigen::Vector3d v) const {
  // Runs for every sample at rest (the frame is rebuilt): no allocation.
  std::array<Eigen::Vector3d, 2> level;
  std::size_t n = 0;
  if (up_) level[n++] = *up_;
  if (rest_count_ > 0 && rest_sum_.norm() > 0.0) {
    Eigen::Vector3d g = rest_sum_.normalized();
    if (n > 0) g -= g.dot(level[0]) * level[0];
    if (g.norm() >= min_constraint_sin) level[n++] = g.normalized();
  }
  const Eigen::Vector3d original = v;
  for (std::size_t i = 0; i < n; ++i) v -= v.dot(level[i]) * level[i];
  if (v.norm() < 1e-6) return original.normalized();  // no horizontal part: keep what there was
  if (v.dot(original) < 0.0) v = -v;
  return v.normalized();
}

const Eigen::Matrix3d& PelvisFrame::sensor_to_pelvis() {
  if (dirty_) rebuild();
  return matrix_;
}

void PelvisFrame::rebuild() {
  dirty_ = false;
  const Eigen::Vector3d y = horizontal(lateral_.value_or(documented_left));
  // The vertical: measured standing, or the documented one; either made orthogonal to the lateral axis.
  Eigen::Vector3d z = up_.value_or(documented_up);
  z = (z - z.dot(y) * y).normalized();
  const Eigen::Vector3d x = y.cross(z);
  matrix_.row(0) = x.transpose();
  matrix_.row(1) = y.transpose();
  matrix_.row(2) = z.transpose();
}

}  // namespace stridefuse::fusion::drill
