#include "stridefuse/core/metric.hpp"

namespace stridefuse {

const char* to_string(AbsentReason reason) {
  switch (reason) {
    case AbsentReason::none: return "none";
    case AbsentReason::no_pelvis_sensor: return "no_pelvis_sensor";
    case AbsentReason::no_insole: return "no_insole";
    case AbsentReason::no_speed_source: return "no_speed_source";
    case AbsentReason::no_previous_step: return "no_previous_step";
    case AbsentReason::not_calibrated: return "not_calibrated";
    case AbsentReason::degraded_input: return "degraded_input";
    case AbsentReason::not_detected: return "not_detected";
    case AbsentReason::not_for_walking: return "not_for_walking";
    case AbsentReason::no_insole_geometry: return "no_insole_geometry";
    case AbsentReason::no_left_insole: return "no_left_insole";
    case AbsentReason::no_right_insole: return "no_right_insole";
  }
  return "?";
}

}  // namespace stridefuse
