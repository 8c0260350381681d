// A completed contact becomes a StepEvent once its flight is closed (or
// cannot be); the form-drift monitors watch its metrics.

#include <cmath>
#include <utility>

#include "engine_impl.hpp"
#include "stridefuse/fusion/insole_loading.hpp"

namespace stridefuse::fusion {

using engine::max_step_interval_s;

void Engine::Impl::finalize(CompletedStep& step, std::optional<LastIc> next_ic) {
  const bool from_insole = step.source == StepSource::insole;
  if (from_insole) feed_braking_window(step);
  if (pelvis_stream && next_ic && next_ic->side != step.side && next_ic->t_s > step.contact.t_to_s &&
      !step.contact.to_timing_degraded)
    feed_flight(step.contact.t_to_s, next_ic->t_s);
  const Side side = step.side;
  const Side other = side == Side::left ? Side::right : Side::left;
  const auto& c = step.contact;
  const bool to_known = std::isfinite(c.t_to_s);  // a pelvis-timed walking step may lack its final contact
  StepEvent e;
  e.side = side;
  e.index = step_count++;
  e.t_ic_s = c.t_ic_s;
  e.t_to_s = c.t_to_s;
  e.detected_by = step.source;
  const bool timing_degraded = c.ic_timing_degraded || c.to_timing_degraded;
  e.contact_time_s = !to_known         ? Metric::absent(AbsentReason::not_detected)
                     : timing_degraded ? Metric::absent(AbsentReason::degraded_input)
                                       : Metric::of(c.t_to_s - c.t_ic_s);

  // The next contact of the other foot closes this step's flight.
  std::optional<double> step_end;
  const AbsentReason no_step_end = no_step_end_reason(other);
  if (next_ic && next_ic->side == other && next_ic->t_s - c.t_ic_s < max_step_interval_s) step_end = next_ic->t_s;
  e.flight_time_s = step_end ? (!to_known                ? Metric::absent(AbsentReason::not_detected)
                                : c.to_timing_degraded ? Metric::absent(AbsentReason::degraded_input)
                                                       : Metric::of(*step_end - c.t_to_s))
                             : Metric::absent(no_step_end);
  e.gait_mode = from_insole ? gait_mode_of(step, step_end) : step.mode;

  // Cadence and step length belong to the step from this IC to the next
  // (opposite) IC, like flight time and vertical oscillation.
  e.cadence_spm = step_end ? (c.ic_timing_degraded ? Metric::absent(AbsentReason::degraded_input)
                                                   : Metric::of(60.0 / (*step_end - c.t_ic_s)))
                           : Metric::absent(no_step_end);
  if (!from_insole) {
    e.strike_index_pct = Metric::absent(AbsentReason::no_insole);
  } else if (step.info.cop_ic.load_n > 0.0) {
    const double foot_length_mm = insoles[*insole_of_side[side == Side::left ? 0 : 1]].model.cop_length_mm();
    const double index = strike_index_pct(step.info.cop_ic.x_mm, foot_length_mm);
    e.strike_index_pct = Metric::of(index);
    e.strike_pattern = strike_pattern_from(index);
  } else {
    e.strike_index_pct = Metric::absent(AbsentReason::not_detected);
  }

  if (!step_end) {
    e.step_length_m = Metric::absent(config.treadmill_speed_mps || speed_stream || have_foot_imu
                                         ? no_step_end
                                         : AbsentReason::no_speed_source);
  } else {
    const auto speed = mean_speed(c.t_ic_s, *step_end);
    if (const auto* v = std::get_if<double>(&speed))
      e.step_length_m = Metric::of(*v * (*step_end - c.t_ic_s));
    else
      e.step_length_m = Metric::absent(std::get<AbsentReason>(speed));
  }

  pelvis_metrics(step, step_end, e);
  if (!from_insole) {
    e.foot_strike_distance_m = Metric::absent(AbsentReason::no_insole);
  } else if (e.gait_mode == GaitMode::walking &&
             (e.foot_strike_distance_m.present() || e.foot_strike_distance_m.absent_reason == AbsentReason::not_detected)) {
    // With both feet loaded the centre of mass is over neither centre of
    // pressure when the horizontal force turns (fusion/METRICS.md).
    e.foot_strike_distance_m = Metric::absent(AbsentReason::not_for_walking);
  }
  if (!e.foot_strike_distance_m.present()) e.foot_strike_distance_uncertainty_m = e.foot_strike_distance_m;
  previous_ic_of[side == Side::left ? 0 : 1] = c.t_ic_s;
  on_event(e);
  const std::pair<FormDriftMonitor*, const Metric*> watched[] = {
      {&drop_drift, &e.pelvic_drop_deg}, {&strike_distance_drift, &e.foot_strike_distance_m}, {&tilt_drift, &e.tilt_ic_deg}};
  for (const auto& [monitor, metric] : watched)
    if (metric->present())
      if (auto alert = monitor->add(c.t_to_s, metric->value)) on_event(*alert);
  last_step_ic_s = e.t_ic_s;
  if (findings) emit_findings(findings->add(e), e.t_ic_s);
}

void Engine::Impl::emit_findings(std::vector<FindingChange> changes, double t_s) {
  for (auto& change : changes) {
    FindingEvent event;
    event.t_s = t_s;
    event.state = change.kind == FindingChange::Kind::started ? FindingState::started : FindingState::ended;
    event.finding = std::move(change.finding);
    on_event(event);
  }
}

/// Walking has double support (the other foot lands before this one
/// leaves), running a flight; without the other foot's contact, the duty
/// factor of this foot's stride says it: a stance longer than half the
/// stride means double support.
GaitMode Engine::Impl::gait_mode_of(const CompletedStep& step, std::optional<double> step_end) const {
  const auto& c = step.contact;
  if (step_end) return *step_end < c.t_to_s ? GaitMode::walking : GaitMode::running;
  const auto& previous = previous_ic_of[step.side == Side::left ? 0 : 1];
  if (!previous || !(c.t_ic_s > *previous) || c.t_ic_s - *previous >= 2.0 * max_step_interval_s) return GaitMode::unknown;
  return c.t_to_s - c.t_ic_s > 0.5 * (c.t_ic_s - *previous) ? GaitMode::walking : GaitMode::running;
}

void Engine::Impl::finish() {
  if (drill) {
    drill->finish();
    return;
  }
  advance_contacts(last_t_s, true);
  while (!pending.empty()) {
    auto step = std::move(pending.front());
    pending.pop_front();
    finalize(step, std::nullopt);
  }
  if (findings) emit_findings(findings->finish(), last_step_ic_s);
}

}  // namespace stridefuse::fusion
