#pragma once

#include <algorithm>
#include <cmath>

namespace stridefuse::fusion::engine {

/// An angle in degrees brought into [-180, 180].
inline double wrap_deg(double a) { return std::remainder(a, 360.0); }

// Two cascaded exponential averages of the unwrapped pelvis heading: the
// running direction for live attitude, smoothing out the stride-frequency
// pelvis rotation while following slow heading drift and turns.
class HeadingTracker {
 public:
  double update(double heading_deg, double dt_s) {
    if (!started_) {
      unwrapped_ = first_ = second_ = heading_deg;
      started_ = true;
      return second_;
    }
    unwrapped_ += wrap_deg(heading_deg - wrap_deg(unwrapped_));
    const double alpha = std::min(1.0, dt_s / time_constant_s);
    first_ += alpha * (unwrapped_ - first_);
    second_ += alpha * (first_ - second_);
    return second_;
  }

 private:
  static constexpr double time_constant_s = 0.5;
  bool started_ = false;
  double unwrapped_ = 0.0, first_ = 0.0, second_ = 0.0;
};

}  // namespace stridefuse::fusion::engine
