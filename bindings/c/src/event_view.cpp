#include "event_view.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "step_view.hpp"

namespace stridefuse::c_api {
namespace {

// The C enums mirror the SDK's enums value for value, so converting is a cast;
// these checks break the build if either side changes.
static_assert(SF_SIDE_LEFT == static_cast<int>(Side::left) && SF_SIDE_RIGHT == static_cast<int>(Side::right));
static_assert(SF_STRIKE_UNKNOWN == static_cast<int>(StrikePattern::unknown) &&
              SF_STRIKE_REARFOOT == static_cast<int>(StrikePattern::rearfoot) &&
              SF_STRIKE_MIDFOOT == static_cast<int>(StrikePattern::midfoot) &&
              SF_STRIKE_FOREFOOT == static_cast<int>(StrikePattern::forefoot));
static_assert(SF_ABSENT_NONE == static_cast<int>(AbsentReason::none) &&
              SF_ABSENT_NO_PELVIS_SENSOR == static_cast<int>(AbsentReason::no_pelvis_sensor) &&
              SF_ABSENT_NO_INSOLE == static_cast<int>(AbsentReason::no_insole) &&
              SF_ABSENT_NO_SPEED_SOURCE == static_cast<int>(AbsentReason::no_speed_source) &&
              SF_ABSENT_NO_PREVIOUS_STEP == static_cast<int>(AbsentReason::no_previous_step) &&
              SF_ABSENT_NOT_CALIBRATED == static_cast<int>(AbsentReason::not_calibrated) &&
              SF_ABSENT_DEGRADED_INPUT == static_cast<int>(AbsentReason::degraded_input) &&
              SF_ABSENT_NOT_DETECTED == static_cast<int>(AbsentReason::not_detected) &&
              SF_ABSENT_NOT_FOR_WALKING == static_cast<int>(AbsentReason::not_for_walking) &&
              SF_ABSENT_NO_INSOLE_GEOMETRY == static_cast<int>(AbsentReason::no_insole_geometry) &&
              SF_ABSENT_NO_LEFT_INSOLE == static_cast<int>(AbsentReason::no_left_insole) &&
              SF_ABSENT_NO_RIGHT_INSOLE == static_cast<int>(AbsentReason::no_right_insole));
static_assert(SF_GAIT_UNKNOWN == static_cast<int>(GaitMode::unknown) &&
              SF_GAIT_WALKING == static_cast<int>(GaitMode::walking) &&
              SF_GAIT_RUNNING == static_cast<int>(GaitMode::running));
static_assert(SF_STEP_FROM_INSOLE == static_cast<int>(StepSource::insole) &&
              SF_STEP_FROM_PELVIS == static_cast<int>(StepSource::pelvis));
static_assert(SF_CALIBRATION_NONE == static_cast<int>(CalibrationSource::none) &&
              SF_CALIBRATION_STANDING == static_cast<int>(CalibrationSource::standing) &&
              SF_CALIBRATION_FIRST_STRIDES == static_cast<int>(CalibrationSource::first_strides));
static_assert(SF_DEVICE_CONNECTED == static_cast<int>(DeviceState::connected) &&
              SF_DEVICE_STREAMING == static_cast<int>(DeviceState::streaming) &&
              SF_DEVICE_DEGRADED == static_cast<int>(DeviceState::degraded) &&
              SF_DEVICE_DISCONNECTED == static_cast<int>(DeviceState::disconnected) &&
              SF_DEVICE_RECONNECTING == static_cast<int>(DeviceState::reconnecting));
static_assert(SF_FINDING_STARTED == static_cast<int>(FindingState::started) &&
              SF_FINDING_ENDED == static_cast<int>(FindingState::ended));
static_assert(SF_FINDING_OVERSTRIDE == static_cast<int>(FindingCode::overstride) &&
              SF_FINDING_BACKSEAT == static_cast<int>(FindingCode::backseat) &&
              SF_FINDING_ANTERIOR_TILT == static_cast<int>(FindingCode::anterior_tilt) &&
              SF_FINDING_HIP_DROP == static_cast<int>(FindingCode::hip_drop) &&
              SF_FINDING_ASYMMETRY == static_cast<int>(FindingCode::asymmetry) &&
              SF_FINDING_FATIGUE_DRIFT == static_cast<int>(FindingCode::fatigue_drift) &&
              SF_FINDING_CADENCE_LOW == static_cast<int>(FindingCode::cadence_low) &&
              SF_FINDING_CADENCE_LOW == static_cast<int>(last_finding_code));
static_assert(SF_FINDING_LEFT == static_cast<int>(FindingSide::left) &&
              SF_FINDING_RIGHT == static_cast<int>(FindingSide::right) &&
              SF_FINDING_BOTH == static_cast<int>(FindingSide::both));

static_assert(SF_DRILL_BRIDGE == static_cast<int>(DrillExercise::bridge) &&
              SF_DRILL_SINGLE_LEG_RDL == static_cast<int>(DrillExercise::single_leg_rdl) &&
              SF_DRILL_DONKEY_KICK == static_cast<int>(DrillExercise::donkey_kick) &&
              SF_DRILL_BANDED_HIP_EXTENSION == static_cast<int>(DrillExercise::banded_hip_extension) &&
              SF_DRILL_RUNNING_MAN == static_cast<int>(DrillExercise::running_man) &&
              SF_DRILL_PIGEON == static_cast<int>(DrillExercise::pigeon) &&
              SF_DRILL_PIGEON == static_cast<int>(last_drill_exercise));
static_assert(SF_DRILL_LEFT == static_cast<int>(DrillSide::left) &&
              SF_DRILL_RIGHT == static_cast<int>(DrillSide::right) &&
              SF_DRILL_BOTH == static_cast<int>(DrillSide::both));
static_assert(SF_AXIS_TILT == static_cast<int>(PelvisAxis::tilt) &&
              SF_AXIS_OBLIQUITY == static_cast<int>(PelvisAxis::obliquity) &&
              SF_AXIS_ROTATION == static_cast<int>(PelvisAxis::rotation));
static_assert(SF_ABSENT_NO_RIGHT_INSOLE == static_cast<int>(last_absent_reason));

void fill(const SessionStartEvent& e, sf_event& out) {
  out.kind = SF_EVENT_SESSION_START;
  copy_text(e.athlete, out.body.session_start.athlete, SF_TEXT_MAX);
  out.body.session_start.host_start_unix_ns = e.host_start_unix_ns;
}

void fill(const SessionEndEvent& e, sf_event& out) {
  out.kind = SF_EVENT_SESSION_END;
  out.body.session_end.steps = e.steps;
}

void fill(const StepEvent& e, sf_event& out) {
  out.kind = SF_EVENT_STEP;
  to_c_step(e, out.body.step);
}

void fill(const AttitudeEvent& e, sf_event& out) {
  out.kind = SF_EVENT_ATTITUDE;
  auto& a = out.body.attitude;
  a.qw = e.orientation.w;
  a.qx = e.orientation.x;
  a.qy = e.orientation.y;
  a.qz = e.orientation.z;
  a.tilt_deg = e.angles.tilt_deg;
  a.obliquity_deg = e.angles.obliquity_deg;
  a.rotation_deg = e.angles.rotation_deg;
  a.calibration = to_c(e.calibration);
}

void fill(const FormAlertEvent& e, sf_event& out) {
  out.kind = SF_EVENT_FORM_ALERT;
  auto& f = out.body.form_alert;
  copy_text(e.metric, f.metric, SF_TEXT_MAX);
  f.baseline = e.baseline;
  f.current = e.current;
  f.threshold = e.threshold;
}

void fill(const DeviceStatusEvent& e, sf_event& out) {
  out.kind = SF_EVENT_DEVICE_STATUS;
  auto& d = out.body.device_status;
  copy_text(e.stream_id, d.stream_id, SF_TEXT_MAX);
  d.state = to_c(e.state);
  d.frames = e.frames;
  d.frames_dropped = e.frames_dropped;
  d.late_samples = e.late_samples;
  d.clock_error_bound_s = e.clock_error_bound_s;
  copy_text(e.message, d.message, SF_TEXT_MAX);
}

void fill(const FindingEvent& e, sf_event& out) {
  out.kind = SF_EVENT_FINDING;
  to_c_finding(e.finding, e.state, out.body.finding);
}

void fill(const RepEvent& e, sf_event& out) {
  out.kind = SF_EVENT_REP;
  auto& r = out.body.rep;
  r.exercise = static_cast<int>(e.exercise);
  r.side = static_cast<int>(e.side);
  r.rep = e.rep;
  r.t_start_s = e.t_start_s;
  r.t_end_s = e.t_end_s;
  r.range_of_motion_deg = to_c(e.range_of_motion_deg);
  r.has_hold = e.hold_s ? 1 : 0;
  r.hold_s = e.hold_s.value_or(0.0);
  r.tilt_deg = e.excursion.tilt_deg;
  r.obliquity_deg = e.excursion.obliquity_deg;
  r.rotation_deg = e.excursion.rotation_deg;
  r.watch_tilt = e.watched.tilt ? 1 : 0;
  r.watch_obliquity = e.watched.obliquity ? 1 : 0;
  r.watch_rotation = e.watched.rotation ? 1 : 0;
  r.tolerance_deg = e.tolerance_deg;
  r.pelvis_moved = e.pelvis_moved ? 1 : 0;
}

void fill(const PelvisMovedEvent& e, sf_event& out) {
  out.kind = SF_EVENT_PELVIS_MOVED;
  auto& m = out.body.pelvis_moved;
  m.exercise = static_cast<int>(e.exercise);
  m.side = static_cast<int>(e.side);
  m.rep = e.rep;
  m.axis = static_cast<int>(e.axis);
  m.excursion_deg = e.excursion_deg;
  m.tolerance_deg = e.tolerance_deg;
}

void fill(const DrillSetEvent& e, sf_event& out) {
  out.kind = SF_EVENT_DRILL_SET;
  auto& d = out.body.drill_set;
  d.exercise = static_cast<int>(e.exercise);
  d.tolerance_deg = e.tolerance_deg;
  d.watch_tilt = e.watched.tilt ? 1 : 0;
  d.watch_obliquity = e.watched.obliquity ? 1 : 0;
  d.watch_rotation = e.watched.rotation ? 1 : 0;
  // A set has at most a left and a right side (DrillSetEvent).
  d.side_count = static_cast<std::uint32_t>(std::min<std::size_t>(e.sides.size(), std::size(d.sides)));
  for (std::uint32_t i = 0; i < d.side_count; ++i) {
    const DrillSideSummary& in = e.sides[i];
    auto& s = d.sides[i];
    s.side = static_cast<int>(in.side);
    s.reps = in.reps;
    s.reps_moved = in.reps_moved;
    s.tilt_mean_abs_deg = to_c(in.tilt.mean_abs_deg);
    s.tilt_worst_deg = to_c(in.tilt.worst_deg);
    s.obliquity_mean_abs_deg = to_c(in.obliquity.mean_abs_deg);
    s.obliquity_worst_deg = to_c(in.obliquity.worst_deg);
    s.rotation_mean_abs_deg = to_c(in.rotation.mean_abs_deg);
    s.rotation_worst_deg = to_c(in.rotation.worst_deg);
    s.mean_duration_s = to_c(in.mean_duration_s);
    s.mean_range_of_motion_deg = to_c(in.mean_range_of_motion_deg);
    s.has_hold = in.mean_hold_s ? 1 : 0;
    s.mean_hold_s = in.mean_hold_s.value_or(0.0);
  }
}

}  // namespace

void to_c_finding(const FormFinding& finding, FindingState state, sf_finding_event& f) noexcept {
  std::memset(&f, 0, sizeof f);
  f.state = to_c(state);
  f.code = to_c(finding.code);
  f.side = to_c(finding.side);
  copy_text(finding.metric, f.metric, SF_TEXT_MAX);
  f.t_start_s = finding.t_start_s;
  f.t_end_s = finding.t_end_s;
  f.value = finding.value;
  f.threshold = finding.threshold;
  copy_text(finding.unit, f.unit, SF_TEXT_MAX);
  copy_text(finding.message, f.message, SF_MESSAGE_MAX);
  f.steps = static_cast<std::uint32_t>(finding.steps);
  f.strength = finding.strength;
}

sf_metric to_c(const Metric& m) noexcept {
  // value stays NaN when absent, as in the SDK: a caller who ignores `present` sees no number.
  return sf_metric{m.value, m.present() ? 1 : 0, to_c(m.absent_reason)};
}

void copy_text(std::string_view text, char* out, std::size_t size) noexcept {
  if (size == 0) return;
  const std::size_t n = std::min(text.size(), size - 1);
  std::memcpy(out, text.data(), n);
  out[n] = '\0';
}

void to_c_event(const Event& event, sf_event& out) noexcept {
  static_assert(std::is_trivially_copyable_v<sf_event>, "sf_event is copied by value through the poll queue");
  std::memset(&out, 0, sizeof out);
  out.t_s = event_time_s(event);
  std::visit([&out](const auto& e) { fill(e, out); }, event);
}

}  // namespace stridefuse::c_api

extern "C" {

const char* sf_event_kind_name(int kind) {
  switch (kind) {
    case SF_EVENT_SESSION_START: return stridefuse::event_kind(stridefuse::Event{stridefuse::SessionStartEvent{}});
    case SF_EVENT_SESSION_END: return stridefuse::event_kind(stridefuse::Event{stridefuse::SessionEndEvent{}});
    case SF_EVENT_STEP: return stridefuse::event_kind(stridefuse::Event{stridefuse::StepEvent{}});
    case SF_EVENT_ATTITUDE: return stridefuse::event_kind(stridefuse::Event{stridefuse::AttitudeEvent{}});
    case SF_EVENT_FORM_ALERT: return stridefuse::event_kind(stridefuse::Event{stridefuse::FormAlertEvent{}});
    case SF_EVENT_DEVICE_STATUS: return stridefuse::event_kind(stridefuse::Event{stridefuse::DeviceStatusEvent{}});
    case SF_EVENT_FINDING: return stridefuse::event_kind(stridefuse::Event{stridefuse::FindingEvent{}});
    case SF_EVENT_REP: return stridefuse::event_kind(stridefuse::Event{stridefuse::RepEvent{}});
    case SF_EVENT_PELVIS_MOVED: return stridefuse::event_kind(stridefuse::Event{stridefuse::PelvisMovedEvent{}});
    case SF_EVENT_DRILL_SET: return stridefuse::event_kind(stridefuse::Event{stridefuse::DrillSetEvent{}});
    default: return "unknown";
  }
}

const char* sf_finding_code_name(int code) {
  if (code < 0 || code > static_cast<int>(stridefuse::last_finding_code)) return "unknown";
  return stridefuse::to_string(static_cast<stridefuse::FindingCode>(code));
}

const char* sf_finding_side_name(int side) {
  if (side < SF_FINDING_LEFT || side > SF_FINDING_BOTH) return "unknown";
  return stridefuse::to_string(static_cast<stridefuse::FindingSide>(side));
}

const char* sf_finding_state_name(int state) {
  if (state < SF_FINDING_STARTED || state > SF_FINDING_ENDED) return "unknown";
  return stridefuse::to_string(static_cast<stridefuse::FindingState>(state));
}

const char* sf_drill_exercise_name(int exercise) {
  if (exercise < 0 || exercise > static_cast<int>(stridefuse::last_drill_exercise)) return "unknown";
  return stridefuse::to_string(static_cast<stridefuse::DrillExercise>(exercise));
}

const char* sf_drill_side_name(int side) {
  if (side < SF_DRILL_LEFT || side > SF_DRILL_BOTH) return "unknown";
  return stridefuse::to_string(static_cast<stridefuse::DrillSide>(side));
}

const char* sf_pelvis_axis_name(int axis) {
  if (axis < SF_AXIS_TILT || axis > SF_AXIS_ROTATION) return "unknown";
  return stridefuse::to_string(static_cast<stridefuse::PelvisAxis>(axis));
}

const char* sf_side_name(int side) {
  if (side < SF_SIDE_LEFT || side > SF_SIDE_RIGHT) return "unknown";
  return stridefuse::to_string(static_cast<stridefuse::Side>(side));
}

const char* sf_strike_pattern_name(int pattern) {
  if (pattern < SF_STRIKE_UNKNOWN || pattern > SF_STRIKE_FOREFOOT) return "unknown";
  return stridefuse::to_string(static_cast<stridefuse::StrikePattern>(pattern));
}

const char* sf_absent_reason_name(int reason) {
  if (reason < SF_ABSENT_NONE || reason > SF_ABSENT_NO_RIGHT_INSOLE) return "unknown";
  return stridefuse::to_string(static_cast<stridefuse::AbsentReason>(reason));
}

const char* sf_gait_mode_name(int mode) {
  if (mode < SF_GAIT_UNKNOWN || mode > SF_GAIT_RUNNING) return "unknown";
  return stridefuse::to_string(static_cast<stridefuse::GaitMode>(mode));
}

const char* sf_step_source_name(int source) {
  if (source < SF_STEP_FROM_INSOLE || source > SF_STEP_FROM_PELVIS) return "unknown";
  return stridefuse::to_string(static_cast<stridefuse::StepSource>(source));
}

}  // extern "C"
