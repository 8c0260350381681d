#pragma once
// Where an event came from (schema 1.3, EventMessage.provenance): the span of
// the samples it was computed from, when the last of them reached the host,
// when fusion produced it and when it was published, all on the session clock,
// and the streams that contributed with their clock error bound. A session
// fills it for every event it publishes (rules per event kind:
// sdk/runtime/schema/EVENTS.md section 2.1); a subscriber reads it back from
// the message (EventEnvelope::provenance).

#include <chrono>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace stridefuse {

/// One stream whose samples an event was computed from.
struct ContributingStream {
  std::string stream_id;
  double clock_error_bound_s = 0.0;  ///< bound on the session-time error of the latest of its samples used
};

struct EventProvenance {
  static constexpr double none = std::numeric_limits<double>::quiet_NaN();

  double first_sample_s = none;  ///< session time of the earliest sample used; NaN: computed from no sample
  double last_sample_s = none;   ///< session time of the latest sample used; NaN as first_sample_s
  double last_arrival_s = none;  ///< session time the last of them reached the host; NaN as first_sample_s
  double produced_s = none;      ///< session time of the fusion turn that emitted the event
  double published_s = none;     ///< session time the publisher handed it to ZeroMQ; NaN where none stamped it
  std::vector<ContributingStream> streams;

  /// Not on the wire: the session clock's zero on the host's monotonic clock,
  /// given by a session that runs on the host clock, so that a publisher can
  /// stamp published_s. Empty in replays and device-time sessions (their
  /// session time is not the host's), and in decoded messages.
  std::optional<std::chrono::steady_clock::time_point> session_zero;
};

}  // namespace stridefuse
