#pragma once
// Curve shapes and constants the simulated runner's models share, so that the
// stride models, the foot and the pelvis ease and interpolate alike.

#include <algorithm>

#include "stridefuse/core/units.hpp"

namespace stridefuse::sim::shapes {

inline constexpr double g = standard_gravity_mps2;

/// 0 at s <= 0, 1 at s >= 1, with zero slope at both ends.
inline double smoothstep(double s) {
  s = std::clamp(s, 0.0, 1.0);
  return s * s * (3.0 - 2.0 * s);
}

/// Hermite interpolation of a quantity y with derivative dy over [0, h] at s in [0, 1].
inline double hermite(double y0, double dy0, double y1, double dy1, double h, double s) {
  const double s2 = s * s, s3 = s2 * s;
  return (2 * s3 - 3 * s2 + 1) * y0 + (s3 - 2 * s2 + s) * h * dy0 + (-2 * s3 + 3 * s2) * y1 + (s3 - s2) * h * dy1;
}

}  // namespace stridefuse::sim::shapes
