#include "excursion.hpp"

#include <algorithm>
#include <cmath>

#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion::drill {

PelvisTurn decompose_excursion(const Eigen::Matrix3d& r) {
  // R = Ry(a)·Rx(b)·Rz(c): row 1 is (cos b sin c, cos b cos c, -sin b),
  // column 2 is (sin a cos b, -sin b, cos a cos b).
  const double b = std::asin(std::clamp(-r(1, 2), -1.0, 1.0));
  const double a = std::atan2(r(0, 2), r(2, 2));
  const double c = std::atan2(r(1, 0), r(1, 1));
  return {deg_from_rad(a), deg_from_rad(b), deg_from_rad(c)};
}

PelvisTurn pelvis_excursion(const Eigen::Quaterniond& start, const Eigen::Quaterniond& now,
                            const Eigen::Matrix3d& sensor_to_pelvis) {
  const Eigen::Matrix3d in_sensor = (start.conjugate() * now).toRotationMatrix();
  return decompose_excursion(sensor_to_pelvis * in_sensor * sensor_to_pelvis.transpose());
}

bool watches(const WatchedAxes& w, int axis) { return axis == 0 ? w.tilt : axis == 1 ? w.obliquity : w.rotation; }

void ExcursionTrack::reset() { *this = ExcursionTrack{}; }

std::array<bool, 3> ExcursionTrack::add(double t_s, const PelvisTurn& turn, const WatchedAxes& watched,
                                        double tolerance_deg) {
  std::array<bool, 3> first{false, false, false};
  for (int i = 0; i < 3; ++i) {
    if (std::abs(turn[i]) > std::abs(worst_[i])) worst_[i] = turn[i];
    if (crossed_[i] || !watches(watched, i) || !(std::abs(turn[i]) > tolerance_deg)) continue;
    crossed_[i] = first[i] = true;
    crossing_t_s_[i] = t_s;
    crossing_deg_[i] = turn[i];
  }
  return first;
}

}  // namespace stridefuse::fusion::drill
