#pragma once
// What a set of streams can give (fusion/METRICS.md, "What a set of sensors
// can give"): for every step metric (the steps.csv columns) and the pelvis
// attitude, per foot, AbsentReason::none or the reason the engine will give.
// The session's session_start event carries it, and the engine's device
// status events carry it again when a stream is lost or comes back.

#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/core/stream.hpp"
#include "stridefuse/fusion/engine.hpp"

namespace stridefuse::fusion {

/// Why a metric of one foot's step that needs the other foot's next contact
/// (flight time, cadence, step length, vertical oscillation, braking, the
/// foot-strike distance) is absent when nothing times that other foot: it
/// names the missing side, so a right step says no_left_insole while the
/// left insole is away, and a metric is never blamed on the foot it belongs to.
constexpr AbsentReason no_contacts_of(Side foot) {
  return foot == Side::left ? AbsentReason::no_left_insole : AbsentReason::no_right_insole;
}

/// `live` says, per stream (same order), whether it delivers; empty means all
/// do. Metrics that depend on the gait (the foot-strike distance, which needs
/// running) are listed as the streams allow them; a walking step still says
/// not_for_walking. Throws std::invalid_argument when `live` has another size
/// than `streams`.
std::vector<MetricSupport> metric_support(const std::vector<StreamDescriptor>& streams, const EngineConfig& config,
                                          const std::vector<bool>& live = {});

}  // namespace stridefuse::fusion
