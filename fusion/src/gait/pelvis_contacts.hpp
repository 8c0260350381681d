#pragma once
// The analysis behind PelvisStepDetector (stridefuse/fusion/pelvis_step_detector.hpp):
// running contacts between flights, walking contacts at the loading edges,
// and each contact's side cue, over a window of pelvis motion.

#include <Eigen/Core>
#include <algorithm>
#include <limits>
#include <vector>

#include "stridefuse/fusion/pelvis_step_detector.hpp"

namespace stridefuse::fusion::pelvis_gait {

/// The window's motion as arrays, in time order.
struct MotionWindow {
  std::vector<double> t_s;
  std::vector<double> vertical_mps2;            ///< linear, gravity removed
  std::vector<Eigen::Vector2d> horizontal_mps2; ///< earth x, y
  std::vector<Eigen::Vector3d> rate_radps;      ///< earth frame
  std::vector<bool> ok;

  std::size_t size() const { return t_s.size(); }
  /// Vertical acceleration at time t, linearly interpolated (clamped to the window).
  double vertical_at(double t) const;
  /// Mean of f(i) over the samples within [from, to]; NaN when there are none.
  template <class F>
  double mean_over(double from, double to, F f) const;
};

/// A contact found in the window; `cue` > 0 says left, < 0 right (0: no cue).
struct FoundContact {
  double t_ic_s = 0.0;
  double t_to_s = 0.0;
  GaitMode mode = GaitMode::unknown;
  double cue = 0.0;
};

/// Contacts between consecutive flights (specific force below the flight
/// level), timed on the loading and unloading edges; side cues from the
/// obliquity rate over the first half of each stance.
std::vector<FoundContact> running_contacts(const MotionWindow& w, const PelvisStepDetectorConfig& c);

/// Walking steps at the strongest loading edge of each step, in bouts of
/// regular steps, away from any flight; final contacts after the next step's
/// loading; side cues from the yaw rate around each initial contact.
std::vector<FoundContact> walking_contacts(const MotionWindow& w, const PelvisStepDetectorConfig& c,
                                           const std::vector<FoundContact>& running);

template <class F>
double MotionWindow::mean_over(double from, double to, F f) const {
  double sum = 0.0;
  std::size_t n = 0;
  for (auto i = static_cast<std::size_t>(std::lower_bound(t_s.begin(), t_s.end(), from) - t_s.begin());
       i < t_s.size() && t_s[i] <= to; ++i) {
    sum += f(i);
    ++n;
  }
  return n ? sum / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace stridefuse::fusion::pelvis_gait
