#pragma once
// Optional heading from the magnetometer: a rotation about earth vertical
// that turns the horizontal part of the field onto earth +X. The field's norm
// and dip are learned from the first samples; samples that disagree (a magnet,
// steel nearby) are ignored rather than allowed to drag the heading.

#include <Eigen/Geometry>

namespace stridefuse::fusion::attitude {

struct MagneticHeadingConfig {
  double time_constant_s = 9.0;
  double norm_tolerance = 0.1;
  double dip_tolerance_rad = 0.17;
  double learning_time_s = 1.0;  ///< reference field averaged over this long
};

class MagneticHeading {
 public:
  explicit MagneticHeading(const MagneticHeadingConfig& config) : config_(config) {}

  /// mag_earth_ut: the field rotated by the current inclination-only orientation.
  void update(const Eigen::Vector3d& mag_earth_ut, double dt_s);

  /// The orientation below was restarted: take the heading afresh from the next
  /// undisturbed sample (the learned field stays).
  void restart() { has_heading_ = false; }

  /// Rotation about earth Z to apply on top of the inclination-only orientation.
  Eigen::Quaterniond correction() const;
  bool disturbed() const { return disturbed_; }

 private:
  MagneticHeadingConfig config_;
  double heading_rad_ = 0.0;
  bool has_heading_ = false;
  double learned_for_s_ = 0.0;
  double ref_norm_ut_ = 0.0;
  double ref_dip_rad_ = 0.0;
  bool disturbed_ = false;
};

}  // namespace stridefuse::fusion::attitude
