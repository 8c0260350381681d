#pragma once
// The body: the stances planned, the centre of mass integrated from the
// ground force (Newton), the pelvis's angles, on one fine time grid
// (README.md, "Centre of mass" and "Pelvis").

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <vector>

#include "stridefuse/second_runner/ground_force.hpp"
#include "stridefuse/second_runner/scenario.hpp"

namespace stridefuse::second_runner {

/// The model's internal rate: the IMU's acceleration is the second difference of its position on this grid.
inline constexpr double motion_rate_hz = 4000.0;

struct Motion {
  double dt_s = 1.0 / motion_rate_hz;
  std::vector<Stance> stances;  ///< every running stance, in time order
  /// Centre of mass, session frame (X forward, Y left, Z up), m; standing, the ramp and running.
  std::vector<Eigen::Vector3d> com_m;
  /// Running only, in the running frame (the frame in which the feet are
  /// placed): what the truth is measured in. Equal to com_m up to a constant
  /// shift once the ramp is over.
  std::vector<Eigen::Vector3d> running_com_m;
  std::vector<Eigen::Vector3d> ground_force_n;  ///< sum over both feet, running frame (before the ramp's blend)
  std::vector<double> running_weight;           ///< 0 standing, 1 running, smooth between
  std::vector<Eigen::Vector3d> pelvis_deg;      ///< tilt, obliquity, rotation (fusion/FRAMES.md)
  std::array<std::vector<double>, 2> foot_force_n;            ///< vertical, as the insole carries it (blended)
  std::array<std::vector<Eigen::Vector2d>, 2> foot_cop_mm;    ///< foot frame (blended)

  std::size_t size() const { return com_m.size(); }
  double time_s(std::size_t i) const { return double(i) * dt_s; }
  /// Linear interpolation of `v` at true time `t_s`, clamped to the run.
  template <class T>
  T at(const std::vector<T>& v, double t_s) const {
    const double x = std::clamp(t_s / dt_s, 0.0, double(v.size() - 1));
    const auto k = std::min<std::size_t>(static_cast<std::size_t>(x), v.size() - 2);
    const double f = x - double(k);
    return T(v[k] * (1.0 - f) + v[k + 1] * f);
  }
};

Motion simulate_motion(const Scenario& scenario);

/// The pelvis frame in the session frame for these angles (deg):
/// R = Rz(rotation) Rx(obliquity) Ry(tilt) (fusion/FRAMES.md, "Pelvic angles";
/// the neutral posture is the session frame).
Eigen::Matrix3d pelvis_orientation(const Eigen::Vector3d& angles_deg);

}  // namespace stridefuse::second_runner
