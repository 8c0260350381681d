#pragma once
// A metric value that may be absent. fusion/METRICS.md: a metric the sensors
// present cannot give is reported as absent with the reason, never as zero.

#include <cmath>
#include <cstdint>
#include <limits>

namespace stridefuse {

/// Why a metric has no value.
enum class AbsentReason : std::uint8_t {
  none = 0,           ///< the metric is present
  no_pelvis_sensor,   ///< needs the pelvis IMU, which the session does not have
  no_insole,          ///< needs an insole (or this foot's insole), which is missing
  no_speed_source,    ///< needs speed: treadmill setting, speed CSV, footpod or insole IMU
  no_previous_step,   ///< needs a previous step (first step of a session or after a gap)
  not_calibrated,     ///< the pelvis mounting/neutral posture is not yet known
  degraded_input,     ///< inputs were invalid (NaN, saturated, gap) around this step
  not_detected,       ///< the event it depends on was not found in the data
  not_for_walking,    ///< its estimator assumes running (one foot on the ground at a time); the step was walking
  no_insole_geometry, ///< needs distances along the foot, and the insole's length is not known (a file without a layout)
  no_left_insole,     ///< a right step's metric that needs the left foot's next contact: no left insole delivers and no pelvis times that foot
  no_right_insole,    ///< a left step's metric that needs the right foot's next contact: no right insole delivers and no pelvis times that foot
};

/// The highest AbsentReason: code that lists every reason iterates up to it.
inline constexpr AbsentReason last_absent_reason = AbsentReason::no_right_insole;

/// A double that is either present or absent with a reason.
struct Metric {
  double value = std::numeric_limits<double>::quiet_NaN();
  AbsentReason absent_reason = AbsentReason::not_detected;

  static Metric of(double v) {
    if (!std::isfinite(v)) return absent(AbsentReason::degraded_input);
    return Metric{v, AbsentReason::none};
  }
  static Metric absent(AbsentReason why) { return Metric{std::numeric_limits<double>::quiet_NaN(), why}; }

  bool present() const { return absent_reason == AbsentReason::none; }
  explicit operator bool() const { return present(); }
};

const char* to_string(AbsentReason reason);

}  // namespace stridefuse
