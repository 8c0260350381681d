#pragma once
// Steps made up for the finding rules' tests: alternating sides at a given
// cadence, every metric a base value plus a little deterministic scatter, so
// a test sets exactly what a rule sees.

#include <cmath>
#include <functional>
#include <vector>

#include "stridefuse/core/events.hpp"

namespace stridefuse::findings_testing {

struct StepLevels {
  double contact_time_s = 0.24;
  double braking_time_s = 0.11;
  double cadence_spm = 172.0;
  double foot_strike_distance_m = 0.15;
  double tilt_ic_deg = 3.0;
  double obliquity_ic_deg = 1.0;   ///< left steps +, right steps - (mirrored)
  double rotation_ic_deg = 5.0;    ///< left steps +, right steps - (mirrored)
  double pelvic_drop_deg = 4.0;
};

/// `count` steps, both sides alternating, the levels of step i (its side and
/// time known) from `levels`; scatter of +-5 % of each level (at least
/// +-0.2 of its unit for angles), a fixed pseudo-random sequence.
inline std::vector<StepEvent> synthetic_steps(std::size_t count,
                                              const std::function<StepLevels(Side, double t_s)>& levels) {
  std::vector<StepEvent> out;
  double t = 10.0;
  unsigned state = 12345u;
  auto scatter = [&state]() {  // in [-1, 1]
    state = state * 1103515245u + 12345u;
    return static_cast<double>((state >> 8) % 2001u) / 1000.0 - 1.0;
  };
  for (std::size_t i = 0; i < count; ++i) {
    StepEvent s;
    s.side = i % 2 == 0 ? Side::left : Side::right;
    s.index = static_cast<std::uint32_t>(i);
    s.t_ic_s = t;
    const StepLevels l = levels(s.side, t);
    const double mirror = s.side == Side::left ? 1.0 : -1.0;
    s.contact_time_s = Metric::of(l.contact_time_s * (1.0 + 0.05 * scatter()));
    s.t_to_s = t + s.contact_time_s.value;
    s.braking_time_s = Metric::of(l.braking_time_s * (1.0 + 0.05 * scatter()));
    s.cadence_spm = Metric::of(l.cadence_spm * (1.0 + 0.02 * scatter()));
    s.foot_strike_distance_m = Metric::of(l.foot_strike_distance_m + 0.01 * scatter());
    s.tilt_ic_deg = Metric::of(l.tilt_ic_deg + 0.5 * scatter());
    s.obliquity_ic_deg = Metric::of(mirror * l.obliquity_ic_deg + 0.3 * scatter());
    s.rotation_ic_deg = Metric::of(mirror * l.rotation_ic_deg + 0.3 * scatter());
    s.pelvic_drop_deg = Metric::of(l.pelvic_drop_deg + 0.4 * scatter());
    s.gait_mode = GaitMode::running;
    out.push_back(s);
    t += 60.0 / l.cadence_spm;
  }
  return out;
}

inline std::vector<StepEvent> steady_steps(std::size_t count, const StepLevels& levels) {
  return synthetic_steps(count, [levels](Side, double) { return levels; });
}

}  // namespace stridefuse::findings_testing
