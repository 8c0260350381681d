#pragma once
// One event of every kind with distinctive, non-default values in every field,
// shared by the codec and publisher tests.

#include <vector>

#include "stridefuse/core/events.hpp"

namespace stridefuse::test {

inline StepEvent sample_step() {
  StepEvent s;
  s.side = Side::right;
  s.index = 4242;
  s.t_ic_s = 12.3456789012345;
  s.t_to_s = 12.5678;
  s.contact_time_s = Metric::of(0.2221);
  s.flight_time_s = Metric::absent(AbsentReason::no_previous_step);
  s.cadence_spm = Metric::of(178.25);
  s.strike_index_pct = Metric::of(21.5);
  s.strike_pattern = StrikePattern::rearfoot;
  s.foot_strike_distance_m = Metric::of(-0.031);
  s.braking_time_s = Metric::absent(AbsentReason::no_pelvis_sensor);
  s.step_length_m = Metric::absent(AbsentReason::no_speed_source);
  s.tilt_ic_deg = Metric::of(11.75);
  s.obliquity_ic_deg = Metric::of(-2.5);
  s.rotation_ic_deg = Metric::absent(AbsentReason::not_calibrated);
  s.pelvic_drop_deg = Metric::of(6.125);
  s.vertical_oscillation_m = Metric::absent(AbsentReason::degraded_input);
  s.gait_mode = GaitMode::walking;
  s.detected_by = StepSource::pelvis;
  s.foot_strike_distance_uncertainty_m = Metric::of(0.0125);
  return s;
}

inline AttitudeEvent sample_attitude() {
  AttitudeEvent a;
  a.t_s = 3.0625;
  a.orientation = Quaternion{0.9238795325112867, 0.0, 0.3826834323650898, 0.0};
  a.angles = PelvisAngles{14.5, -3.25, 7.875};
  a.calibration = CalibrationSource::first_strides;
  return a;
}

inline FormAlertEvent sample_form_alert() {
  return FormAlertEvent{601.5, "pelvic_drop_deg", 5.5, 8.25, 2.0};
}

inline DeviceStatusEvent sample_device_status() {
  DeviceStatusEvent d;
  d.t_s = 99.875;
  d.stream_id = "left_insole";
  d.state = DeviceState::degraded;
  d.frames = 123456789012ULL;
  d.frames_dropped = 17;
  d.late_samples = 3;
  d.clock_error_bound_s = 0.00125;
  d.message = "crc errors: 17 \"bad\" packets\n";
  StreamClockStatus c;
  c.resets = 1;
  c.wraps = 70000000000ULL;
  c.out_of_order = 2;
  c.duplicates = 3;
  c.rejected_ticks = 5;
  c.stray_ticks = 6;
  c.host_time_backwards = 4;
  c.absurd_rates = 8;
  c.drift_ppm = Metric::of(-12.5);
  c.latency_correction_s = Metric::of(0.0185);
  c.latency_residual_s = Metric::of(0.00075);
  d.clock = c;
  d.metrics = {{"strike_index_pct", AbsentReason::none, AbsentReason::no_insole},
               {"foot_strike_distance_m", AbsentReason::no_insole_geometry, AbsentReason::not_for_walking}};
  return d;
}

inline SessionStartEvent sample_session_start() {
  return SessionStartEvent{0.0, "runner-7", 1763800000123456789ULL,
                           {{"contact_time_s", AbsentReason::none, AbsentReason::none},
                            {"attitude", AbsentReason::no_pelvis_sensor, AbsentReason::no_pelvis_sensor}}};
}

inline SessionEndEvent sample_session_end() { return SessionEndEvent{1800.25, 5321}; }

/// Since schema 1.5: a form finding that started (fusion/FINDINGS.md).
inline FindingEvent sample_finding() {
  FindingEvent e;
  e.t_s = 642.5;
  e.state = FindingState::started;
  e.finding = FormFinding{FindingCode::hip_drop, FindingSide::left, "pelvic_drop_deg", 600.25, 642.5, 7.75, 6.5,
                          "deg", "During left stance the right hip dropped 7.8 deg.", 61, 0.1923076923076923};
  return e;
}

/// Since schema 1.6: a drill rep with a hold, whose pelvis rotated past the tolerance.
inline RepEvent sample_rep() {
  RepEvent r;
  r.t_s = 31.75;
  r.exercise = DrillExercise::single_leg_rdl;
  r.side = DrillSide::right;
  r.rep = 7;
  r.t_start_s = 28.5;
  r.t_end_s = 31.75;
  r.range_of_motion_deg = Metric::of(71.25);
  r.hold_s = 1.125;
  r.excursion = PelvisExcursion{64.5, -2.25, 6.375};
  r.watched = WatchedAxes{false, true, true};
  r.tolerance_deg = 5.0;
  r.pelvis_moved = true;
  return r;
}

inline PelvisMovedEvent sample_pelvis_moved() {
  return PelvisMovedEvent{30.125, DrillExercise::single_leg_rdl, DrillSide::right, 7, PelvisAxis::rotation, 5.0625,
                          5.0};
}

/// A set of both sides: the right with a rep absent a range of motion (no insole IMU).
inline DrillSetEvent sample_drill_set() {
  DrillSetEvent e;
  e.t_s = 95.5;
  e.exercise = DrillExercise::donkey_kick;
  e.tolerance_deg = 4.0;
  e.watched = WatchedAxes{true, true, true};
  DrillSideSummary left;
  left.side = DrillSide::left;
  left.reps = 10;
  left.reps_moved = 2;
  left.tilt = AxisSummary{Metric::of(1.5), Metric::of(-3.25)};
  left.obliquity = AxisSummary{Metric::of(0.75), Metric::of(1.25)};
  left.rotation = AxisSummary{Metric::of(2.125), Metric::of(6.5)};
  left.mean_duration_s = Metric::of(2.25);
  left.mean_range_of_motion_deg = Metric::of(48.5);
  DrillSideSummary right = left;
  right.side = DrillSide::right;
  right.reps = 9;
  right.reps_moved = 0;
  right.mean_range_of_motion_deg = Metric::absent(AbsentReason::no_insole);
  e.sides = {left, right};
  return e;
}

/// Every kind once, in the order of the Event variant.
inline std::vector<Event> sample_events() {
  return {sample_session_start(), sample_session_end(),   sample_step(),   sample_attitude(),
          sample_form_alert(),    sample_device_status(), sample_finding(), sample_rep(),
          sample_pelvis_moved(),  sample_drill_set()};
}

}  // namespace stridefuse::test
