// A step's pelvis metrics (angles at IC, drop, vertical oscillation, braking)
// and the foot-strike distance, from the pelvis history around its stance.

#include <cmath>
#include <vector>

#include "engine_impl.hpp"
#include "stridefuse/fusion/foot_strike_distance.hpp"
#include "stridefuse/fusion/pelvis_step_metrics.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion {

using engine::wrap_deg;

void Engine::Impl::pelvis_metrics(const CompletedStep& step, std::optional<double> step_end, StepEvent& e) {
  auto all_absent = [&](AbsentReason why) {
    for (Metric* m : {&e.tilt_ic_deg, &e.obliquity_ic_deg, &e.rotation_ic_deg, &e.pelvic_drop_deg,
                      &e.vertical_oscillation_m, &e.braking_time_s, &e.foot_strike_distance_m})
      *m = Metric::absent(why);
  };
  if (!pelvis_stream) return all_absent(AbsentReason::no_pelvis_sensor);
  if (!calibration.calibrated()) return all_absent(AbsentReason::not_calibrated);
  const auto& c = step.contact;
  const bool to_known = std::isfinite(c.t_to_s);  // a pelvis-timed walking step may lack its final contact
  const double end = step_end.value_or(to_known ? c.t_to_s : c.t_ic_s);
  // The running direction is the pelvis heading averaged over one stride
  // around this contact: the pelvis rotation swings about it.
  const double heading_from = step.info.previous_ic_s.value_or(c.t_ic_s - (end - c.t_ic_s));
  const auto span = pelvis_span(heading_from, end);
  if (const auto* why = std::get_if<AbsentReason>(&span)) {
    // The stance alone may still be covered.
    if (std::holds_alternative<AbsentReason>(pelvis_span(c.t_ic_s, end))) return all_absent(*why);
  }
  const auto stance_span = pelvis_span(c.t_ic_s, end);
  if (const auto* why = std::get_if<AbsentReason>(&stance_span)) return all_absent(*why);
  const auto [begin, stop] = std::holds_alternative<AbsentReason>(span) ? std::get<0>(stance_span) : std::get<0>(span);

  std::vector<PelvisAngles> angles;
  angles.reserve(stop - begin);
  double sum_cos = 0.0, sum_sin = 0.0;
  for (std::size_t i = begin; i < stop; ++i) {
    angles.push_back(angles_of(pelvis_history[i].sensor_to_earth));
    sum_cos += std::cos(rad_from_deg(angles.back().rotation_deg));
    sum_sin += std::sin(rad_from_deg(angles.back().rotation_deg));
  }
  const double heading_deg = deg_from_rad(std::atan2(sum_sin, sum_cos));
  const Eigen::Vector3d forward(std::cos(rad_from_deg(heading_deg)), std::sin(rad_from_deg(heading_deg)), 0.0);
  PelvisTrace trace;
  trace.reserve(stop - begin);
  std::vector<double> tilt, rotation;
  tilt.reserve(stop - begin);
  rotation.reserve(stop - begin);
  const auto arm = lever_arm.lever_arm_m();
  for (std::size_t i = begin; i < stop; ++i) {
    const auto& r = pelvis_history[i];
    const auto& a = angles[i - begin];
    const Eigen::Vector3d linear = com_linear_acceleration_at(i, arm);
    trace.push(r.t_s, linear.dot(forward), linear.z(), a.obliquity_deg);
    tilt.push_back(a.tilt_deg);
    rotation.push_back(wrap_deg(a.rotation_deg - heading_deg));
  }
  e.tilt_ic_deg = Metric::of(interpolate_at(trace.t_s, tilt, c.t_ic_s));
  e.obliquity_ic_deg = Metric::of(interpolate_at(trace.t_s, trace.obliquity_deg, c.t_ic_s));
  e.rotation_ic_deg = Metric::of(interpolate_at(trace.t_s, rotation, c.t_ic_s));
  e.pelvic_drop_deg = to_known ? Metric::of(pelvic_drop_deg(trace, step.side, c.t_ic_s, c.t_to_s))
                              : Metric::absent(AbsentReason::not_detected);

  if (!step_end) {
    const Side other = step.side == Side::left ? Side::right : Side::left;
    e.vertical_oscillation_m = e.braking_time_s = e.foot_strike_distance_m = Metric::absent(no_step_end_reason(other));
    return;
  }
  e.vertical_oscillation_m = Metric::of(vertical_oscillation_m(trace, c.t_ic_s, *step_end));
  if (!to_known) {
    e.braking_time_s = e.foot_strike_distance_m = Metric::absent(AbsentReason::not_detected);
    return;
  }
  // Constant offsets (gravity leaking through the attitude, sensor offsets)
  // are removed over the stride around this stance when it is known: only
  // the stride is periodic for an asymmetric runner.
  const bool have_stride = step.info.previous_ic_s && !std::holds_alternative<AbsentReason>(span);
  const double mean_from = have_stride ? *step.info.previous_ic_s : c.t_ic_s;
  const auto t_bp = braking_to_propulsion_s(trace, c.t_ic_s, c.t_to_s, mean_from, *step_end);
  e.braking_time_s = t_bp ? Metric::of(*t_bp - c.t_ic_s) : Metric::absent(AbsentReason::not_detected);
  const auto speed = mean_speed(c.t_ic_s, *step_end);
  if (const auto* why = std::get_if<AbsentReason>(&speed)) {
    e.foot_strike_distance_m = Metric::absent(*why);
    return;
  }
  const auto& cop_t = step.info.cop_t_s;
  if (step.source == StepSource::pelvis) {
    e.foot_strike_distance_m = Metric::absent(AbsentReason::no_insole);
    return;
  }
  const auto& insole = streams[insoles[*insole_of_side[step.side == Side::left ? 0 : 1]].stream];
  if (!(insole.insole->length_mm > 0.0)) {
    e.foot_strike_distance_m = Metric::absent(AbsentReason::no_insole_geometry);
    return;
  }
  if (cop_t.empty() || !(step.info.cop_ic.load_n > 0.0)) {
    e.foot_strike_distance_m = Metric::absent(AbsentReason::not_detected);
    return;
  }
  // The centre of mass is over the stance's force-weighted mean centre of
  // pressure (momentum balance, foot_strike_distance.hpp), not over the
  // centre of pressure at a given instant: mid-stance holds only for a
  // stance whose braking and propelling halves mirror each other, and the
  // pelvis's forward acceleration turns ~60 ms before the plate's force on a
  // real runner (fusion/METRICS.md).
  FootStrikeUncertaintyInputs u;
  u.ic_timing_sd_s = ic_timing_sd_s(insole.nominal_rate_hz);
  u.speed_relative_sd = speed_relative_sd();
  u.cop_sd_mm = centre_of_pressure_sd_mm(*insole.insole);
  u.balance_sd_m = stance_balance_sd_m;
  try {
    const auto d = foot_strike_distance(trace, std::get<double>(speed), c.t_ic_s, c.t_to_s, *step_end,
                                        {cop_t, step.info.cop_x_mm, step.info.cop_load_n}, cop_x_at_ic_mm(step), u);
    e.foot_strike_distance_m = Metric::of(d.distance_m);
    e.foot_strike_distance_uncertainty_m = Metric::of(d.uncertainty_m);
  } catch (const std::invalid_argument&) {
    e.foot_strike_distance_m = Metric::absent(AbsentReason::not_detected);  // a stance of fewer than three loaded samples
  }
}

/// Centre of pressure along the foot at the IC instant: its first loaded
/// samples come up to a sample period later, and the centre is already
/// rolling forward then; the roll over the first two samples, carried back
/// to the IC, gives where it was.
double Engine::Impl::cop_x_at_ic_mm(const CompletedStep& step) {
  const auto& t = step.info.cop_t_s;
  const auto& x = step.info.cop_x_mm;
  const double first = step.info.cop_ic.x_mm;
  if (t.size() < 2 || !(t[1] > t[0]) || !(t[0] >= step.contact.t_ic_s)) return first;
  const double rate_mm_per_s = (x[1] - x[0]) / (t[1] - t[0]);
  return x[0] - rate_mm_per_s * (t[0] - step.contact.t_ic_s);
}

}  // namespace stridefuse::fusion
