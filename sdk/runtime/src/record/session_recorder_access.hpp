#pragma once
// How a Session attaches to a SessionRecorder (session.cpp only).

#include <memory>

#include "session/fusion_trace.hpp"
#include "stridefuse/runtime/session_clock.hpp"
#include "stridefuse/runtime/session_recording.hpp"

namespace stridefuse::detail {

struct SessionRecorderAccess {
  /// Records `config`, makes the recorder's transports stamp arrivals on
  /// `clock`, and returns the trace the fusion thread writes its turns to.
  static std::shared_ptr<FusionTrace> begin_session(SessionRecorder& recorder, const SessionConfig& config,
                                                    const SessionClock& clock);
};

}  // namespace stridefuse::detail
