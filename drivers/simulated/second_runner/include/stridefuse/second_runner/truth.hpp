#pragma once
// What the model's runner really did, per contact, from the model's own state
// and the definitions of fusion/METRICS.md.

#include <vector>

#include "stridefuse/second_runner/body_motion.hpp"

namespace stridefuse::second_runner {

struct ContactTruth {
  Side side = Side::left;
  double ic_s = 0.0, to_s = 0.0;  ///< the 20 N crossings, on the pelvis IMU's clock
  double ic_true_s = 0.0, to_true_s = 0.0;
  double contact_time_s = 0.0;
  double strike_index_pct = 0.0;
  StrikePattern strike_pattern = StrikePattern::unknown;
  double foot_strike_distance_m = 0.0;
  double step_length_m = 0.0;  ///< centre of mass's forward travel to the other foot's next initial contact
  double braking_time_s = 0.0; ///< initial contact to the fore-aft force turning positive
  double tilt_ic_deg = 0.0, obliquity_ic_deg = 0.0, rotation_ic_deg = 0.0;
};

/// Strike pattern from a strike index (fusion/METRICS.md: thirds of the foot).
StrikePattern pattern_from_index(double strike_index_pct);

/// The contacts of steady running: from 1 s after the ramp to the last whose step closes.
std::vector<ContactTruth> contact_truth(const Scenario& scenario, const Motion& motion);

}  // namespace stridefuse::second_runner
