// What a writer of an older schema minor could not send (events.capnp's
// "since" notes), cleared to what its message decodes to: replay compares a
// recording made by an older build field for field with this build's events.

#include <stdexcept>
#include <string>

#include "stridefuse/runtime/event_codec.hpp"

namespace stridefuse {

void clear_fields_after_minor(Event& event, std::uint16_t minor) {
  if (minor > event_schema_minor)
    throw std::invalid_argument("clear_fields_after_minor: schema minor " + std::to_string(minor) +
                                " is newer than this build's " + std::to_string(event_schema_minor));
  if (minor < 7)
    if (auto* step = std::get_if<StepEvent>(&event))
      step->foot_strike_distance_uncertainty_m = Metric::absent(AbsentReason::not_detected);
  if (minor < 4)
    if (auto* status = std::get_if<DeviceStatusEvent>(&event)) {
      status->link_reason = LinkReason::none;
      status->reconnects = 0;
    }
  if (minor < 3) {
    if (auto* step = std::get_if<StepEvent>(&event)) {
      step->gait_mode = GaitMode::unknown;
      step->detected_by = StepSource::insole;
    } else if (auto* start = std::get_if<SessionStartEvent>(&event)) {
      start->metrics.clear();
    } else if (auto* status = std::get_if<DeviceStatusEvent>(&event)) {
      status->metrics.clear();
    }
  }
  if (minor < 2)
    if (auto* status = std::get_if<DeviceStatusEvent>(&event)) status->clock.reset();
}

}  // namespace stridefuse
