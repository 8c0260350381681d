#include "gyro_bias_filter.hpp"

#include <Eigen/LU>

namespace stridefuse::fusion::attitude {

GyroBiasFilter::GyroBiasFilter(const GyroBiasFilterConfig& config)
    : config_(config), p_(Eigen::Matrix3d::Identity() * config.initial_sigma_radps * config.initial_sigma_radps) {}

void GyroBiasFilter::predict(double dt_s, const Eigen::Matrix3d& sensor_to_earth) {
  const double q = config_.initial_sigma_radps * config_.initial_sigma_radps / config_.forgetting_time_s;
  const Eigen::Vector3d q_earth(q, q, q * config_.vertical_forgetting_factor);
  p_ += sensor_to_earth.transpose() * q_earth.asDiagonal() * sensor_to_earth * dt_s;
  // Never less certain than the prior: a long gap in the data must not leave a
  // huge covariance that the next measurement can only reduce with round-off.
  const double prior = config_.initial_sigma_radps * config_.initial_sigma_radps;
  if (p_.trace() > 3.0 * prior) p_ = Eigen::Matrix3d::Identity() * prior;
}

namespace {
constexpr double reference_interval_s = 0.01;
double per_sample_variance(double sigma_at_reference, double dt_s) {
  return sigma_at_reference * sigma_at_reference * reference_interval_s / dt_s;
}
}  // namespace

void GyroBiasFilter::update_at_rest(const Eigen::Vector3d& mean_gyro_radps, double dt_s) {
  correct<3>(mean_gyro_radps, Eigen::Matrix3d::Identity(), per_sample_variance(config_.rest_sigma_radps, dt_s));
}

void GyroBiasFilter::update_in_motion(const Eigen::Vector2d& y_radps, const Eigen::Matrix<double, 2, 3>& h, double dt_s) {
  correct<2>(y_radps, h, per_sample_variance(config_.motion_sigma_radps, dt_s));
}

template <int M>
void GyroBiasFilter::correct(const Eigen::Matrix<double, M, 1>& y, const Eigen::Matrix<double, M, 3>& h, double variance) {
  using MatrixM = Eigen::Matrix<double, M, M>;
  const MatrixM s = h * p_ * h.transpose() + MatrixM::Identity() * variance;
  const Eigen::Matrix<double, 3, M> k = p_ * h.transpose() * s.inverse();
  bias_ += k * (y - h * bias_);
  p_ = (Eigen::Matrix3d::Identity() - k * h) * p_;
  p_ = 0.5 * (p_ + p_.transpose());  // keep it symmetric against rounding
  // A bias beyond what a MEMS gyro plausibly has is a sign of a bad measurement
  // (e.g. a steady turn read as rest), never a reason to let the state run away.
  bias_ = bias_.cwiseMax(-config_.clip_radps).cwiseMin(config_.clip_radps);
}

}  // namespace stridefuse::fusion::attitude
