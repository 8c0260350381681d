#pragma once
// The last seconds of a sensor's orientation, to bridge a gap in its stream
// when the motion repeats (fusion/src/attitude/README.md, "A gap"). A
// running or walking pelvis turns the same way every stride, so the
// orientation just after a gap is, to the stride-to-stride variability, the
// one a whole number of strides earlier. The period is measured from the
// rate before the gap; without a clear one nothing is predicted.

#include <cstddef>
#include <optional>

#include <Eigen/Geometry>
#include <boost/circular_buffer.hpp>

namespace stridefuse::fusion::attitude {

class PeriodicMotionMemory {
 public:
  /// Keeps memory_s of samples at up to max_rate_hz.
  PeriodicMotionMemory(double memory_s, double max_rate_hz);

  /// The orientation (sensor -> the gyro's frame) and the rate at t_s; times must increase.
  void add(double t_s, const Eigen::Quaterniond& q, const Eigen::Vector3d& rate_radps);
  void clear() { samples_.clear(); }

  /// The orientation at t_s, after a gap that began after the last sample
  /// added: the mean of those a whole number of periods before t_s that are
  /// remembered, when the rate before the gap repeats with a period of
  /// 0.4-1.6 s (normalised autocorrelation at least 0.7). The period found
  /// is period_s() (0 when none).
  std::optional<Eigen::Quaterniond> across_gap(double t_s);
  double period_s() const { return period_s_; }

 private:
  struct Sample {
    double t_s;
    Eigen::Quaterniond q;
    Eigen::Vector3d rate_radps;
  };
  double find_period_s() const;
  boost::circular_buffer<Sample> samples_;
  double period_s_ = 0.0;
};

}  // namespace stridefuse::fusion::attitude
