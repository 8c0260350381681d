#include "stridefuse/second_runner/truth.hpp"

#include <cmath>

namespace stridefuse::second_runner {

StrikePattern pattern_from_index(double strike_index_pct) {
  if (strike_index_pct < 100.0 / 3.0) return StrikePattern::rearfoot;
  if (strike_index_pct <= 200.0 / 3.0) return StrikePattern::midfoot;
  return StrikePattern::forefoot;
}

std::vector<ContactTruth> contact_truth(const Scenario& sc, const Motion& motion) {
  std::vector<ContactTruth> out;
  const double dt = motion.dt_s, end_s = motion.time_s(motion.size() - 1);
  const auto x_at = [&](double t) { return motion.at(motion.running_com_m, t).x(); };
  for (std::size_t k = 0; k + 1 < motion.stances.size(); ++k) {
    const Stance& s = motion.stances[k];
    const Stance& next = motion.stances[k + 1];
    const ForceCrossings c = force_crossings(s), c_next = force_crossings(next);
    ContactTruth truth;
    truth.side = s.side;
    truth.ic_true_s = s.touchdown_s + c.rise_s;
    truth.to_true_s = s.touchdown_s + c.fall_s;
    const double next_ic_s = next.touchdown_s + c_next.rise_s;
    // Steady running only: the ramp's last second left out, and the step must close inside the run.
    if (truth.ic_true_s < sc.standing_s + sc.ramp_s + 1.0 || next_ic_s > end_s - 0.5) continue;
    truth.ic_s = sc.pelvis_clock.device_from_true(truth.ic_true_s);
    truth.to_s = sc.pelvis_clock.device_from_true(truth.to_true_s);
    truth.contact_time_s = truth.to_s - truth.ic_s;
    const Eigen::Vector2d cop_mm = cop_in_foot_mm(s, c.rise_s);
    truth.strike_index_pct = 100.0 * cop_mm.x() / (s.foot_length_m * 1000.0);
    truth.strike_pattern = pattern_from_index(truth.strike_index_pct);
    truth.foot_strike_distance_m = s.heel_x_m + cop_mm.x() / 1000.0 - x_at(truth.ic_true_s);
    truth.step_length_m = x_at(next_ic_s) - x_at(truth.ic_true_s);
    // Braking: the first sample of the stance, after a fifth of it, whose fore-aft force is not negative.
    truth.braking_time_s = NAN;
    for (double t = truth.ic_true_s + 0.2 * s.contact_time_s; t < truth.to_true_s; t += dt)
      if (motion.at(motion.ground_force_n, t).x() >= 0.0) {
        truth.braking_time_s = t - truth.ic_true_s;
        break;
      }
    const Eigen::Vector3d angles = motion.at(motion.pelvis_deg, truth.ic_true_s);
    truth.tilt_ic_deg = angles[0];
    truth.obliquity_ic_deg = angles[1];
    truth.rotation_ic_deg = angles[2];
    out.push_back(truth);
  }
  return out;
}

}  // namespace stridefuse::second_runner
