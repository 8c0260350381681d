#pragma once
// Every field of an event in the order and under the names of its JSON
// rendering (sdk/runtime/schema/EVENTS.md section 6), handed to a sink: the
// JSON writer (event_json.cpp) and the CSV writer (event_csv.cpp) are two
// sinks of the one list, so the two renderings cannot disagree. A sink has
// number(key, double), integer(key, u64), string(key, text), boolean(key, bool), null(key),
// begin(key) ... end() for a nested object (begin_escaped(key) for a key
// that comes from data, not from this file), begin_list(key), begin_item()
// ... end() per item, end_list() for a list; each returns the sink.

#include <array>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "stridefuse/core/step_fields.hpp"
#include "stridefuse/runtime/event_codec.hpp"

namespace stridefuse::events_detail {

template <class Sink>
void visit_metric(Sink& j, const char* key, const Metric& m) {
  if (m.present()) j.number(key, m.value); else j.null(key);
}

// Absent metrics with their reasons, as "absent": {"<name>": "<reason>", ...}.
template <class Sink>
void visit_absent(Sink& j, std::span<const std::pair<const char*, const Metric*>> metrics) {
  j.begin("absent");
  for (const auto& [name, m] : metrics)
    if (!m->present()) j.string(name, to_string(m->absent_reason));
  j.end();
}

// The step table's fields in its order (the steps.csv columns, plus the
// index), then every absent metric with its reason.
template <class Sink>
void visit_step(Sink& j, const StepEvent& e) {
  for (const StepField& f : step_fields) {
    switch (f.kind) {
      case StepFieldKind::side: j.string(f.name, to_string(e.side)); break;
      case StepFieldKind::index: j.integer(f.name, e.index); break;
      case StepFieldKind::time: j.number(f.name, e.*f.time); break;
      case StepFieldKind::metric: visit_metric(j, f.name, e.*f.metric); break;
      case StepFieldKind::category: j.string(f.name, f.category->name(f.category->get(e))); break;
    }
  }
  std::array<std::pair<const char*, const Metric*>, step_metric_count> metrics;
  for (std::size_t i = 0; i < step_metric_count; ++i) metrics[i] = {step_metrics[i].name, &(e.*step_metrics[i].metric)};
  visit_absent(j, metrics);
}

// {"<metric>": {"left": "<reason>", "right": "<reason>"}, ...}; "none": the streams can give it.
template <class Sink>
void visit_metric_support(Sink& j, const std::vector<MetricSupport>& metrics) {
  j.begin("metrics");
  for (const auto& m : metrics) {
    j.begin_escaped(m.metric).string("left", to_string(m.left)).string("right", to_string(m.right));
    j.end();
  }
  j.end();
}

template <class Sink>
void visit_clock(Sink& j, const std::optional<StreamClockStatus>& clock) {
  if (!clock) {
    j.null("clock");  // an older writer's message: unknown
    return;
  }
  const auto& c = *clock;
  j.begin("clock").integer("resets", c.resets).integer("wraps", c.wraps).integer("out_of_order", c.out_of_order);
  j.integer("duplicates", c.duplicates).integer("rejected_ticks", c.rejected_ticks);
  j.integer("stray_ticks", c.stray_ticks).integer("host_time_backwards", c.host_time_backwards);
  j.integer("absurd_rates", c.absurd_rates);
  visit_metric(j, "drift_ppm", c.drift_ppm);
  visit_metric(j, "latency_correction_s", c.latency_correction_s);
  visit_metric(j, "latency_residual_s", c.latency_residual_s);
  const std::pair<const char*, const Metric*> metrics[] = {{"drift_ppm", &c.drift_ppm},
                                                           {"latency_correction_s", &c.latency_correction_s},
                                                           {"latency_residual_s", &c.latency_residual_s}};
  visit_absent(j, metrics);
  j.end();
}

// "obliquity+rotation": the axes a drill requires to stay still, in axis order; "" for none.
inline std::string watched_text(const WatchedAxes& w) {
  std::string out;
  for (const auto& [on, axis] : {std::pair{w.tilt, PelvisAxis::tilt}, std::pair{w.obliquity, PelvisAxis::obliquity},
                                 std::pair{w.rotation, PelvisAxis::rotation}}) {
    if (!on) continue;
    if (!out.empty()) out += '+';
    out += to_string(axis);
  }
  return out;
}

template <class Sink>
void visit_hold(Sink& j, const char* key, const std::optional<double>& hold_s) {
  if (hold_s) j.number(key, *hold_s); else j.null(key);
}

template <class Sink>
void visit_rep(Sink& j, const RepEvent& e) {
  j.string("exercise", to_string(e.exercise)).string("side", to_string(e.side)).integer("rep", e.rep);
  j.number("t_start_s", e.t_start_s).number("t_end_s", e.t_end_s).number("duration_s", e.t_end_s - e.t_start_s);
  visit_metric(j, "range_of_motion_deg", e.range_of_motion_deg);
  visit_hold(j, "hold_s", e.hold_s);
  j.number("tilt_deg", e.excursion.tilt_deg).number("obliquity_deg", e.excursion.obliquity_deg);
  j.number("rotation_deg", e.excursion.rotation_deg).string("watched", watched_text(e.watched));
  j.number("tolerance_deg", e.tolerance_deg).boolean("pelvis_moved", e.pelvis_moved);
  const std::pair<const char*, const Metric*> metrics[] = {{"range_of_motion_deg", &e.range_of_motion_deg}};
  visit_absent(j, metrics);
}

template <class Sink>
void visit_drill_set(Sink& j, const DrillSetEvent& e) {
  j.string("exercise", to_string(e.exercise)).number("tolerance_deg", e.tolerance_deg);
  j.string("watched", watched_text(e.watched)).begin_list("sides");
  for (const auto& s : e.sides) {
    j.begin_item().string("side", to_string(s.side)).integer("reps", s.reps).integer("reps_moved", s.reps_moved);
    visit_metric(j, "tilt_mean_abs_deg", s.tilt.mean_abs_deg);
    visit_metric(j, "tilt_worst_deg", s.tilt.worst_deg);
    visit_metric(j, "obliquity_mean_abs_deg", s.obliquity.mean_abs_deg);
    visit_metric(j, "obliquity_worst_deg", s.obliquity.worst_deg);
    visit_metric(j, "rotation_mean_abs_deg", s.rotation.mean_abs_deg);
    visit_metric(j, "rotation_worst_deg", s.rotation.worst_deg);
    visit_metric(j, "mean_duration_s", s.mean_duration_s);
    visit_metric(j, "mean_range_of_motion_deg", s.mean_range_of_motion_deg);
    visit_hold(j, "mean_hold_s", s.mean_hold_s);
    j.end();
  }
  j.end_list();
}

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

// `athlete_key`: the session start's athlete, "athlete" alone and "session_athlete" beside an envelope's.
template <class Sink>
void visit_body(Sink& j, const Event& event, const char* athlete_key = "athlete") {
  std::visit(overloaded{
                 [&](const SessionStartEvent& e) {
                   j.string(athlete_key, e.athlete).integer("host_start_unix_ns", e.host_start_unix_ns);
                   visit_metric_support(j, e.metrics);
                 },
                 [&](const SessionEndEvent& e) { j.integer("steps", e.steps); },
                 [&](const StepEvent& e) { visit_step(j, e); },
                 [&](const AttitudeEvent& e) {
                   // attitude.csv column names.
                   j.number("qw", e.orientation.w).number("qx", e.orientation.x).number("qy", e.orientation.y);
                   j.number("qz", e.orientation.z).number("tilt_deg", e.angles.tilt_deg);
                   j.number("obliquity_deg", e.angles.obliquity_deg).number("rotation_deg", e.angles.rotation_deg);
                   j.string("calibration", to_string(e.calibration));
                 },
                 [&](const FormAlertEvent& e) {
                   j.string("metric", e.metric).number("baseline", e.baseline).number("current", e.current);
                   j.number("threshold", e.threshold);
                 },
                 [&](const DeviceStatusEvent& e) {
                   j.string("stream_id", e.stream_id).string("state", to_string(e.state)).integer("frames", e.frames);
                   j.integer("frames_dropped", e.frames_dropped).integer("late_samples", e.late_samples);
                   j.number("clock_error_bound_s", e.clock_error_bound_s).string("message", e.message);
                   visit_clock(j, e.clock);
                   if (!e.metrics.empty()) visit_metric_support(j, e.metrics);  // only when the support changed
                   // Since 1.4, only for a stream whose link has gone down: the others' JSON stays as it was.
                   if (e.link_reason != LinkReason::none || e.reconnects > 0)
                     j.string("link_reason", to_string(e.link_reason)).integer("reconnects", e.reconnects);
                 },
                 [&](const FindingEvent& e) {
                   // findings.json's keys (sdk/runtime/src/offline/FILES.md), after the state.
                   const FormFinding& f = e.finding;
                   j.string("state", to_string(e.state)).string("code", to_string(f.code));
                   j.string("side", to_string(f.side)).string("metric", f.metric);
                   j.number("t_start_s", f.t_start_s).number("t_end_s", f.t_end_s).number("value", f.value);
                   j.number("threshold", f.threshold).string("unit", f.unit).string("message", f.message);
                   j.integer("steps", f.steps).number("strength", f.strength);
                 },
                 [&](const RepEvent& e) { visit_rep(j, e); },
                 [&](const PelvisMovedEvent& e) {
                   j.string("exercise", to_string(e.exercise)).string("side", to_string(e.side));
                   j.integer("rep", e.rep).string("axis", to_string(e.axis));
                   j.number("excursion_deg", e.excursion_deg).number("tolerance_deg", e.tolerance_deg);
                 },
                 [&](const DrillSetEvent& e) { visit_drill_set(j, e); },
             },
             event);
}

template <class Sink>
void visit_envelope(Sink& j, const EventEnvelope& env) {
  j.string("schema", std::to_string(env.schema_major) + "." + std::to_string(env.schema_minor));
  j.string("athlete", env.athlete).integer("sequence", env.sequence);
}

template <class Sink>
void visit_provenance(Sink& j, const std::optional<EventProvenance>& provenance) {
  if (!provenance) {
    j.null("provenance");  // an older writer's message, or an event published without one
    return;
  }
  const auto& p = *provenance;
  j.begin("provenance").number("first_sample_s", p.first_sample_s).number("last_sample_s", p.last_sample_s);
  j.number("last_arrival_s", p.last_arrival_s).number("produced_s", p.produced_s);
  j.number("published_s", p.published_s).begin_list("streams");
  for (const auto& s : p.streams)
    j.begin_item().string("stream_id", s.stream_id).number("clock_error_bound_s", s.clock_error_bound_s).end();
  j.end_list().end();
}


}  // namespace stridefuse::events_detail
