#include "stridefuse/sim/foot_motion.hpp"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>

#include "stridefuse/core/units.hpp"
#include "motion_shapes.hpp"

namespace stridefuse::sim {
namespace {

constexpr double imu_x_fraction = 0.5;  // the IMU sits under the midfoot
constexpr double imu_height_m = 0.02;   // above the sole
constexpr double ball_fraction = 0.75;  // heel-off rolls about the metatarsal heads
constexpr double flat_by = 0.15;        // foot flat at 15 % of stance
constexpr double heel_off_at = 0.55;    // heel rises from 55 % of stance
constexpr double toe_off_pitch_rad = 35.0 * pi / 180.0;

FootPose pivoted(const FootGeometry& foot, double heel_x_m, double pivot_fraction, double pitch) {
  const Eigen::Vector3d pivot_on_ground(heel_x_m + pivot_fraction * foot.length_m, foot.lateral_position_m, 0.0);
  const Eigen::Vector3d imu_from_pivot((imu_x_fraction - pivot_fraction) * foot.length_m, 0.0, imu_height_m);
  return FootPose{pivot_on_ground + Eigen::AngleAxisd(pitch, Eigen::Vector3d::UnitY()) * imu_from_pivot, pitch};
}

}  // namespace

double strike_pitch_rad(StrikePattern pattern) {
  switch (pattern) {
    case StrikePattern::rearfoot: return rad_from_deg(-15.0);
    case StrikePattern::midfoot: return rad_from_deg(-3.0);
    default: return rad_from_deg(8.0);
  }
}

FootPose stance_foot_pose(const FootGeometry& foot, double heel_x_m, double s) {
  if (s < flat_by) return pivoted(foot, heel_x_m, foot.strike_fraction, foot.strike_pitch_rad * (1.0 - shapes::smoothstep(s / flat_by)));
  if (s < heel_off_at) return flat_foot_pose(foot, heel_x_m);
  const double r = (s - heel_off_at) / (1.0 - heel_off_at);
  return pivoted(foot, heel_x_m, ball_fraction, toe_off_pitch_rad * r * r);
}

FootPose flat_foot_pose(const FootGeometry& foot, double heel_x_m) { return pivoted(foot, heel_x_m, 0.0, 0.0); }

double quintic(const Boundary& a, const Boundary& b, double d, double t) {
  const double s = std::clamp(t / d, 0.0, 1.0);
  const double s2 = s * s, s3 = s2 * s, s4 = s3 * s, s5 = s4 * s;
  const double h0 = 1 - 10 * s3 + 15 * s4 - 6 * s5, h1 = s - 6 * s3 + 8 * s4 - 3 * s5;
  const double h2 = 0.5 * (s2 - 3 * s3 + 3 * s4 - s5), h3 = 10 * s3 - 15 * s4 + 6 * s5;
  const double h4 = -4 * s3 + 7 * s4 - 3 * s5, h5 = 0.5 * (s3 - 2 * s4 + s5);
  return h0 * a.value + h1 * d * a.rate + h2 * d * d * a.acceleration + h3 * b.value + h4 * d * b.rate +
         h5 * d * d * b.acceleration;
}

double clearance_bump(double f) {
  if (f <= 0.0 || f >= 1.0) return 0.0;
  const double u = f * (1.0 - f);
  return 64.0 * u * u * u;
}

}  // namespace stridefuse::sim
