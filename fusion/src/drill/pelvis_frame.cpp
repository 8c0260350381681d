#include "pelvis_frame.hpp"

#include <algorithm>
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

}  // namespace

void PelvisFrame::set_start_gravity(const Eigen::Vector3d& up) {
  if (up.norm() <= 0.0) return;
  const Eigen::Vector3d u = up.normalized();
  if (u.dot(documented_up) < max_up_error_cos) return;
  up_ = u;
  dirty_ = true;
}

void PelvisFrame::add_rep_rate(const Eigen::Vector3d& rate) {
  if (hinge_ && rate.allFinite()) scatter_ += rate * rate.transpose();
}

void PelvisFrame::end_rep() {
  if (!hinge_) return;
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> solver(scatter_);
  scatter_.setZero();
  const auto& values = solver.eigenvalues();  // ascending
  if (!(values[2] > hinge_dominance * values[1])) return;
  Eigen::Vector3d axis = solver.eigenvectors().col(2);
  if (axis.dot(documented_left) < 0.0) axis = -axis;  // the sign the documented mounting gives
  if (votes_.empty()) votes_.push_back(documented_left);
  votes_.push_back(axis.normalized());
  if (votes_.size() < 3) return;
  Eigen::Vector3d median;
  for (int i = 0; i < 3; ++i) {
    std::vector<double> c;
    for (const auto& v : votes_) c.push_back(v[i]);
    std::nth_element(c.begin(), c.begin() + static_cast<long>(c.size() / 2), c.end());
    median[i] = c[c.size() / 2];
  }
  lateral_ = median.normalized();
  dirty_ = true;
}

const Eigen::Matrix3d& PelvisFrame::sensor_to_pelvis() {
  if (dirty_) rebuild();
  return matrix_;
}

void PelvisFrame::rebuild() {
  dirty_ = false;
  // The lateral axis when the hinges showed it, else the documented one; up
  // from the standing start, else documented.
  // Standing, the lateral axis is horizontal: up, when known, wins.
  const Eigen::Vector3d z = up_.value_or(documented_up);
  Eigen::Vector3d yy = lateral_.value_or(documented_left);
  yy = (yy - yy.dot(z) * z).normalized();
  const Eigen::Vector3d x = yy.cross(z);
  matrix_.row(0) = x.transpose();
  matrix_.row(1) = yy.transpose();
  matrix_.row(2) = z.transpose();
}

}  // namespace stridefuse::fusion::drill
