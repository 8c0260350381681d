#include "stridefuse/core/events.hpp"

namespace stridefuse {

namespace {
template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
// Spelled out for compilers without aggregate deduction (clang before 17 builds the fuzz targets).
template <class... F>
overloaded(F...) -> overloaded<F...>;
}  // namespace

double event_time_s(const Event& event) {
  return std::visit(overloaded{[](const StepEvent& e) { return e.t_ic_s; }, [](const auto& e) { return e.t_s; }},
                    event);
}

const char* event_kind(const Event& event) {
  return std::visit(overloaded{
                        [](const SessionStartEvent&) { return "session_start"; },
                        [](const SessionEndEvent&) { return "session_end"; },
                        [](const StepEvent&) { return "step"; },
                        [](const AttitudeEvent&) { return "attitude"; },
                        [](const FormAlertEvent&) { return "form_alert"; },
                        [](const DeviceStatusEvent&) { return "device_status"; },
                        [](const FindingEvent&) { return "finding"; },
                        [](const RepEvent&) { return "rep"; },
                        [](const PelvisMovedEvent&) { return "pelvis_moved"; },
                        [](const DrillSetEvent&) { return "drill_set"; },
                    },
                    event);
}

const char* to_string(FindingState state) { return state == FindingState::started ? "started" : "ended"; }

const char* to_string(StrikePattern pattern) {
  switch (pattern) {
    case StrikePattern::unknown: return "unknown";
    case StrikePattern::rearfoot: return "rearfoot";
    case StrikePattern::midfoot: return "midfoot";
    case StrikePattern::forefoot: return "forefoot";
  }
  return "?";
}

const char* to_string(GaitMode mode) {
  switch (mode) {
    case GaitMode::unknown: return "unknown";
    case GaitMode::walking: return "walking";
    case GaitMode::running: return "running";
  }
  return "?";
}

const char* to_string(StepSource source) {
  switch (source) {
    case StepSource::insole: return "insole";
    case StepSource::pelvis: return "pelvis";
  }
  return "?";
}

const char* to_string(CalibrationSource source) {
  switch (source) {
    case CalibrationSource::none: return "none";
    case CalibrationSource::standing: return "standing";
    case CalibrationSource::first_strides: return "first_strides";
  }
  return "?";
}

const char* to_string(DeviceState state) {
  switch (state) {
    case DeviceState::connected: return "connected";
    case DeviceState::streaming: return "streaming";
    case DeviceState::degraded: return "degraded";
    case DeviceState::disconnected: return "disconnected";
    case DeviceState::reconnecting: return "reconnecting";
  }
  return "?";
}

const char* to_string(LinkReason reason) {
  switch (reason) {
    case LinkReason::none: return "none";
    case LinkReason::host_request: return "host_request";
    case LinkReason::link_lost: return "link_lost";
    case LinkReason::remote: return "remote";
    case LinkReason::transport_lost: return "transport_lost";
    case LinkReason::refused: return "refused";
    case LinkReason::no_answer: return "no_answer";
  }
  return "?";
}

}  // namespace stridefuse
