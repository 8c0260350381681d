#pragma once
// The events the fusion engine emits and every publisher carries (ZeroMQ,
// in-process callbacks, recorder). The wire form is sdk/runtime/schema/events.capnp.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "stridefuse/core/drill.hpp"
#include "stridefuse/core/form_finding.hpp"
#include "stridefuse/core/metric.hpp"
#include "stridefuse/core/stream.hpp"

namespace stridefuse {

/// Unit quaternion, sensor frame to a Z-up earth frame (heading arbitrary).
struct Quaternion {
  double w = 1.0, x = 0.0, y = 0.0, z = 0.0;
};

/// Pelvic angles of fusion/FRAMES.md (rotation-obliquity-tilt order, relative to neutral).
struct PelvisAngles {
  double tilt_deg = 0.0;       ///< about Y, anterior tilt positive
  double obliquity_deg = 0.0;  ///< about X, left side up positive
  double rotation_deg = 0.0;   ///< about Z, right side forward positive
};

enum class StrikePattern : std::uint8_t { unknown, rearfoot, midfoot, forefoot };

/// The gait of one step (fusion/METRICS.md, "Gait mode"): walking has double
/// support and no flight; running has a flight and no double support.
enum class GaitMode : std::uint8_t { unknown, walking, running };

/// The sensor whose data timed a step's initial contact and toe-off.
enum class StepSource : std::uint8_t { insole, pelvis };

/// How the pelvis neutral posture was found (issue 3, mounting calibration).
enum class CalibrationSource : std::uint8_t { none, standing, first_strides };

/// One step: from initial contact of `side` to its toe-off, with its metrics.
struct StepEvent {
  Side side = Side::left;
  std::uint32_t index = 0;  ///< step number in the session, both feet counted
  double t_ic_s = 0.0;
  double t_to_s = 0.0;
  Metric contact_time_s;
  Metric flight_time_s;
  Metric cadence_spm;
  Metric strike_index_pct;
  StrikePattern strike_pattern = StrikePattern::unknown;
  Metric foot_strike_distance_m;
  Metric braking_time_s;
  Metric step_length_m;
  Metric tilt_ic_deg;
  Metric obliquity_ic_deg;
  Metric rotation_ic_deg;
  Metric pelvic_drop_deg;
  Metric vertical_oscillation_m;
  GaitMode gait_mode = GaitMode::unknown;
  /// This foot's insole, or the pelvis IMU when the session has no usable
  /// insole for this foot (t_to_s is NaN when the pelvis could not place the toe-off).
  StepSource detected_by = StepSource::insole;
  /// Standard uncertainty of foot_strike_distance_m (one standard deviation),
  /// present exactly when it is (fusion/METRICS.md, "Its uncertainty").
  Metric foot_strike_distance_uncertainty_m;
};

/// One pelvis attitude sample.
struct AttitudeEvent {
  double t_s = 0.0;
  Quaternion orientation;
  PelvisAngles angles;
  CalibrationSource calibration = CalibrationSource::none;
};

/// A form alert: a metric's rolling median drifted past a threshold from the baseline.
struct FormAlertEvent {
  double t_s = 0.0;
  std::string metric;      ///< column name of steps.csv, e.g. "pelvic_drop_deg"
  double baseline = 0.0;   ///< median over the athlete's baseline window
  double current = 0.0;    ///< rolling median now
  double threshold = 0.0;  ///< allowed change, same unit as the metric
};

/// Whether the session's streams can give one metric (a steps.csv column, or
/// "attitude" for the pelvis attitude stream), per foot: AbsentReason::none
/// when they can, else the reason every step will give (fusion/METRICS.md,
/// "What a set of sensors can give").
struct MetricSupport {
  std::string metric;
  AbsentReason left = AbsentReason::none;
  AbsentReason right = AbsentReason::none;
  bool operator==(const MetricSupport&) const = default;
};

/// `reconnecting` (schema 1.4): the link is lost and the host is getting it
/// back with bounded backoff, for as long as the session runs.
enum class DeviceState : std::uint8_t { connected, streaming, degraded, disconnected, reconnecting };

/// Why a stream's link went down, or last went down (schema 1.4, LinkReason).
enum class LinkReason : std::uint8_t {
  none,            ///< never down, or the stream has no link of its own
  host_request,    ///< the host disconnected it
  link_lost,       ///< the radio link was lost
  remote,          ///< the sensor closed the link
  transport_lost,  ///< the transport to the device or bridge failed
  refused,         ///< a connection attempt was refused
  no_answer,       ///< a request went unanswered after its retries
};

/// What one stream's clock sync has seen and estimated, counted since the
/// session started (schema 1.2, StreamClock). A bridged stream adds up the
/// counts of its two levels. Field meanings: sdk/runtime/schema/EVENTS.md.
struct StreamClockStatus {
  std::uint64_t resets = 0;               ///< epochs after the first (resets, time jumps, reconnects)
  std::uint64_t wraps = 0;                ///< counter wrap-arounds (normal)
  std::uint64_t out_of_order = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t rejected_ticks = 0;
  std::uint64_t stray_ticks = 0;
  std::uint64_t host_time_backwards = 0;
  std::uint64_t absurd_rates = 0;
  Metric drift_ppm = Metric::absent(AbsentReason::not_calibrated);             ///< positive: device fast
  Metric latency_correction_s = Metric::absent(AbsentReason::not_calibrated);  ///< insole-to-pelvis, applied
  Metric latency_residual_s = Metric::absent(AbsentReason::not_calibrated);    ///< of that calibration
};

/// Health of one device / stream.
struct DeviceStatusEvent {
  double t_s = 0.0;
  std::string stream_id;
  DeviceState state = DeviceState::connected;
  std::uint64_t frames = 0;
  std::uint64_t frames_dropped = 0;   ///< malformed or lost
  std::uint64_t late_samples = 0;     ///< released after the merge bound
  double clock_error_bound_s = 0.0;
  std::string message;                ///< human-readable detail, empty when healthy
  std::optional<StreamClockStatus> clock;  ///< since schema 1.2; empty from an older writer (unknown, not zero)
  /// Since schema 1.3: what the session's streams support now, when that
  /// changed with this status (a stream lost or back); empty otherwise.
  std::vector<MetricSupport> metrics;
  LinkReason link_reason = LinkReason::none;  ///< since schema 1.4: why the link is (or was last) down
  std::uint32_t reconnects = 0;               ///< since schema 1.4: times the link came back this session
};

struct SessionStartEvent {
  double t_s = 0.0;
  std::string athlete;
  std::uint64_t host_start_unix_ns = 0;  ///< wall-clock time of session time zero
  std::vector<MetricSupport> metrics;    ///< since schema 1.3; empty from an older writer (unknown)
};

/// A form finding started or ended (schema 1.5, fusion/FINDINGS.md "Live").
enum class FindingState : std::uint8_t { started, ended };

struct FindingEvent {
  double t_s = 0.0;  ///< initial contact of the step that decided it
  FindingState state = FindingState::started;
  FormFinding finding;  ///< over the span so far (started) or the whole span (ended)
};

struct SessionEndEvent {
  double t_s = 0.0;
  std::uint32_t steps = 0;
};

/// Append only: the C API's and the Python module's event kinds follow this
/// order. Drill mode's events (schema 1.6, core/drill.hpp) come last.
using Event = std::variant<SessionStartEvent, SessionEndEvent, StepEvent, AttitudeEvent, FormAlertEvent,
                           DeviceStatusEvent, FindingEvent, RepEvent, PelvisMovedEvent, DrillSetEvent>;

/// Session time of any event.
double event_time_s(const Event& event);

/// Short kind name used in topics and JSON: "session_start", "step", "attitude", ...,
/// "rep", "pelvis_moved", "drill_set".
const char* event_kind(const Event& event);

const char* to_string(StrikePattern pattern);
const char* to_string(GaitMode mode);
const char* to_string(StepSource source);
const char* to_string(CalibrationSource source);
const char* to_string(DeviceState state);
const char* to_string(LinkReason reason);
const char* to_string(FindingState state);

}  // namespace stridefuse
