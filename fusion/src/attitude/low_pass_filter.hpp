#pragma once
// Second-order Butterworth low-pass for small fixed-size vectors. Recomputed
// coefficients can be swapped in between samples (the sample interval of a
// wireless IMU jitters); the transposed direct form keeps that smooth.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion::attitude {

/// Coefficients of a second-order Butterworth low-pass with cut-off 1/(2*pi*tau)
/// for one sample interval, by the bilinear transform with pre-warping.
struct LowPassCoefficients {
  double b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;

  static LowPassCoefficients butterworth(double time_constant_s, double dt_s) {
    const double cutoff_hz = 1.0 / (2.0 * pi * time_constant_s);
    // Clamp below Nyquist so a very long gap cannot produce an unstable filter.
    const double k = std::tan(pi * std::min(cutoff_hz * dt_s, 0.45));
    const double k2 = k * k;
    const double norm = 1.0 / (1.0 + std::sqrt(2.0) * k + k2);
    LowPassCoefficients c;
    c.b0 = k2 * norm;
    c.b1 = 2.0 * c.b0;
    c.b2 = c.b0;
    c.a1 = 2.0 * (k2 - 1.0) * norm;
    c.a2 = (1.0 - std::sqrt(2.0) * k + k2) * norm;
    return c;
  }
};

/// Caches coefficients for the last interval seen, so a steady sample rate
/// costs no trigonometry per sample.
class LowPassDesign {
 public:
  explicit LowPassDesign(double time_constant_s) : tau_s_(time_constant_s) {}

  const LowPassCoefficients& for_interval(double dt_s) {
    if (std::abs(dt_s - dt_s_) > 1e-6 * dt_s) {
      dt_s_ = dt_s;
      coeffs_ = LowPassCoefficients::butterworth(tau_s_, dt_s);
    }
    return coeffs_;
  }

 private:
  double tau_s_;
  double dt_s_ = -1.0;
  LowPassCoefficients coeffs_;
};

template <int N>
class LowPassFilter {
 public:
  using Vector = Eigen::Matrix<double, N, 1>;

  /// Starts in the steady state for a constant input x0 (no start-up transient).
  void reset(const Vector& x0, const LowPassCoefficients& c) {
    s2_ = (c.b2 - c.a2) * x0;
    s1_ = (c.b1 - c.a1) * x0 + s2_;
    y_ = x0;
    started_ = true;
  }

  const Vector& step(const Vector& x, const LowPassCoefficients& c) {
    if (!started_) {
      reset(x, c);
      return y_;
    }
    y_ = c.b0 * x + s1_;
    s1_ = c.b1 * x - c.a1 * y_ + s2_;
    s2_ = c.b2 * x - c.a2 * y_;
    return y_;
  }

  const Vector& value() const { return y_; }
  bool started() const { return started_; }

 private:
  Vector s1_ = Vector::Zero();
  Vector s2_ = Vector::Zero();
  Vector y_ = Vector::Zero();
  bool started_ = false;
};

}  // namespace stridefuse::fusion::attitude
