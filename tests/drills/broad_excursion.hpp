#pragma once
// The drill's measure of a turn (GyroOrientation and pelvis_excursion of
// fusion/src/drill) on a real IMU moved by hand against optical motion
// capture: the BROAD trials of ../shared/data/broad. Over windows as long as
// a rep, the excursion our gyro integration gives is compared with the one
// the optical orientation gives, axis by axis. Not our simulator: a real
// sensor's noise, bias, scale and timing. Used by the drill tests and by
// drill_accuracy_bench.

#include <Eigen/Geometry>
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "drill/excursion.hpp"
#include "drill/gyro_orientation.hpp"
#include "fusion/attitude_broad_trial.hpp"

namespace stridefuse::drill_test {

struct ExcursionScore {
  std::size_t windows = 0;                    ///< windows of drill-like turns scored
  /// Per axis (tilt, obliquity, rotation), of the magnitude of the windows'
  /// largest excursions: what the tolerance is held against. (The signed
  /// values can differ by twice their size where an axis swings about equally
  /// both ways and the two systems pick opposite peaks.)
  std::array<double, 3> rmse_deg{0, 0, 0};
  double end_angle_rmse_deg = 0.0;            ///< of the whole relative turn at the window's end
  double max_abs_error_deg = 0.0;             ///< largest per-axis error of a window's worst excursion
};

/// Windows of `window_s` every `step_s` whose optical truth is there
/// throughout, whose true excursion stays within `max_turn_deg` on every
/// axis (a drill's pelvis: still axes and a hinge far from +-90 deg of
/// obliquity) and whose rate stays below `max_rate_dps` (a drill's pace: a
/// 90 deg hinge in one second peaks near 140 deg/s; BROAD's fast trials reach
/// 1,450 deg/s, where a millisecond between the two systems' clocks is a
/// degree and more), scored from the trial's start (the first second
/// calibrates the gyro bias, as in a set).
inline ExcursionScore score_excursions(const std::vector<fusion::broad::Trial>& trials, double window_s = 4.0,
                                       double step_s = 1.0, double max_turn_deg = 30.0, double max_rate_dps = 200.0) {
  ExcursionScore score;
  std::array<double, 3> sum_sq{0, 0, 0};
  double end_sum_sq = 0.0;
  const Eigen::Matrix3d identity = Eigen::Matrix3d::Identity();
  for (const auto& trial : trials) {
    fusion::drill::GyroOrientation gyro;
    std::vector<Eigen::Quaterniond> estimate(trial.t_s.size(), Eigen::Quaterniond::Identity());
    std::vector<bool> ready(trial.t_s.size(), false);
    for (std::size_t i = 0; i < trial.t_s.size(); ++i) {
      gyro.push(trial.t_s[i], trial.accel_mps2[i], trial.gyro_radps[i]);
      estimate[i] = gyro.orientation();
      ready[i] = gyro.ready();
    }
    const auto valid = [&](std::size_t i) { return ready[i] && trial.truth[i].coeffs().allFinite(); };
    std::size_t start = 0;
    while (start < trial.t_s.size()) {
      std::size_t end = start;
      while (end < trial.t_s.size() && trial.t_s[end] - trial.t_s[start] < window_s) ++end;
      if (end >= trial.t_s.size()) break;
      bool usable = true;
      std::array<double, 3> worst_est{0, 0, 0}, worst_true{0, 0, 0};
      for (std::size_t i = start; i <= end && usable; ++i) {
        if (!valid(i) || !valid(start)) {
          usable = false;
          break;
        }
        const auto est = fusion::drill::pelvis_excursion(estimate[start], estimate[i], identity);
        const auto truth = fusion::drill::pelvis_excursion(trial.truth[start], trial.truth[i], identity);
        if (trial.gyro_radps[i].norm() * 180.0 / M_PI > max_rate_dps) usable = false;
        for (int a = 0; a < 3; ++a) {
          if (std::abs(truth[a]) > max_turn_deg) usable = false;
          if (std::abs(est[a]) > std::abs(worst_est[a])) worst_est[a] = est[a];
          if (std::abs(truth[a]) > std::abs(worst_true[a])) worst_true[a] = truth[a];
        }
      }
      if (usable) {
        ++score.windows;
        for (int a = 0; a < 3; ++a) {
          const double e = std::abs(worst_est[a]) - std::abs(worst_true[a]);
          sum_sq[a] += e * e;
          score.max_abs_error_deg = std::max(score.max_abs_error_deg, std::abs(e));
        }
        const Eigen::Quaterniond rel_est = estimate[start].conjugate() * estimate[end];
        const Eigen::Quaterniond rel_true = trial.truth[start].conjugate() * trial.truth[end];
        const double angle = rel_est.angularDistance(rel_true) * 180.0 / M_PI;
        end_sum_sq += angle * angle;
      }
      const double next_t = trial.t_s[start] + step_s;
      while (start < trial.t_s.size() && trial.t_s[start] < next_t) ++start;
    }
  }
  if (score.windows > 0) {
    for (int a = 0; a < 3; ++a) score.rmse_deg[a] = std::sqrt(sum_sq[a] / static_cast<double>(score.windows));
    score.end_angle_rmse_deg = std::sqrt(end_sum_sq / static_cast<double>(score.windows));
  }
  return score;
}

}  // namespace stridefuse::drill_test
