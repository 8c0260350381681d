#include "stridefuse/fusion/lever_arm_estimator.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Geometry>

namespace stridefuse::fusion {

namespace {

// Prior: a sacral sensor within about 0.2 m of the CoM; the residual of a
// flight sample (sensor noise, soft-tissue motion, legs moving the CoM in the
// pelvis) about 0.5 m/s^2. Ridge weight = residual variance / prior variance.
constexpr double prior_sigma_m = 0.2;
constexpr double residual_sigma_mps2 = 0.5;
constexpr double ridge = residual_sigma_mps2 * residual_sigma_mps2 / (prior_sigma_m * prior_sigma_m);

Eigen::Matrix3d cross_matrix(const Eigen::Vector3d& v) {
  Eigen::Matrix3d m;
  m << 0.0, -v.z(), v.y(), v.z(), 0.0, -v.x(), -v.y(), v.x(), 0.0;
  return m;
}

}  // namespace

Eigen::Vector3d LeverArmEstimator::rotational_acceleration(const Eigen::Vector3d& r_m, const Eigen::Vector3d& omega_radps,
                                                          const Eigen::Vector3d& alpha_radps2) {
  return alpha_radps2.cross(r_m) + omega_radps.cross(omega_radps.cross(r_m));
}

void LeverArmEstimator::add_flight_sample(const Eigen::Vector3d& accel_mps2, const Eigen::Vector3d& omega_radps,
                                          const Eigen::Vector3d& alpha_radps2) {
  if (!accel_mps2.allFinite() || !omega_radps.allFinite() || !alpha_radps2.allFinite()) return;
  // f = M r + b with M = [alpha]x + [omega]x [omega]x, b the accelerometer offset.
  Eigen::Matrix<double, 3, 6> a;
  a.leftCols<3>() = cross_matrix(alpha_radps2) + cross_matrix(omega_radps) * cross_matrix(omega_radps);
  a.rightCols<3>() = Eigen::Matrix3d::Identity();
  normal_ += a.transpose() * a;
  rhs_ += a.transpose() * accel_mps2;
  ++samples_;
}

std::optional<Eigen::Vector3d> LeverArmEstimator::lever_arm_m() const {
  if (samples_ < min_samples) return std::nullopt;
  if (cached_ && cached_at_ == samples_) return cached_;
  Eigen::Matrix<double, 6, 6> n = normal_;
  n.topLeftCorner<3, 3>() += ridge * Eigen::Matrix3d::Identity();
  const Eigen::Matrix<double, 6, 1> x = n.ldlt().solve(rhs_);
  cached_at_ = samples_;
  cached_ = x.allFinite() ? std::optional<Eigen::Vector3d>(x.head<3>()) : std::nullopt;
  return cached_;
}

}  // namespace stridefuse::fusion
