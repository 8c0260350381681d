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
  if (votes_.empty()) votes_.insert(votes_.end(), 2, documented_left);
  votes_.push_back(axis.normalized());
  if (votes_.size() < 4) return;
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
  Eigen::Vector3d y = lateral_.value_or(documented_left);
  Eigen::Vector3d z = up_.value_or(documented_up);
  if (up_) {
    // Measured standing: the vertical is known, and the lateral axis is horizontal.
    y = (y - y.dot(z) * z).normalized();
  } else {
    // The lateral axis, measured or documented, stands; the documented vertical is made orthogonal to it.
    z = (z - z.dot(y) * y).normalized();
  }
  const Eigen::Vector3d x = y.cross(z);
  matrix_.row(0) = x.transpose();
  matrix_.row(1) = y.transpose();
  matrix_.row(2) = z.transpose();
}

}  // namespace stridefuse::fusion::drill
