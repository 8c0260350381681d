#pragma once
// Whether a segment is still: turned less than still_deg over the last
// window_s (1.5 deg/s: some ten times what gyro noise and a calibrated bias
// add up to, a small fraction of any rep's speed; fusion/DRILLS.md).

#include <deque>

#include <Eigen/Geometry>

namespace stridefuse::fusion::drill {

class StillWindow {
 public:
  static constexpr double window_s = 0.2;
  static constexpr double still_deg = 0.3;

  /// Adds the orientation at t; true when the segment has been still over the window up to t.
  bool push(double t_s, const Eigen::Quaterniond& q);
  /// The start of the window: when the stillness began, at the latest.
  double window_start_s() const { return recent_.front().t_s; }

 private:
  struct Pose {
    double t_s;
    Eigen::Quaterniond q;
  };
  std::deque<Pose> recent_;
};

/// The angle of the rotation from `a` to `b`, degrees.
double turn_deg(const Eigen::Quaterniond& a, const Eigen::Quaterniond& b);

}  // namespace stridefuse::fusion::drill
