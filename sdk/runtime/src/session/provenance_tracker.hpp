#pragma once
// The provenance of each event a session publishes (EventProvenance, schema
// 1.3), kept on the fusion thread beside the engine: it sees every sample fed
// to the engine and the time of every fusion turn, so when the engine emits an
// event it knows which samples can have produced it. The rules per event kind
// are in sdk/runtime/schema/EVENTS.md section 2.1. Costs a few stores per
// sample and a pass over the streams per event; allocates nothing once warm
// (stream ids up to the string's inline size).
//
// Fusion thread only.

#include <chrono>
#include <limits>
#include <optional>
#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/core/sample.hpp"
#include "stridefuse/core/stream.hpp"
#include "stridefuse/runtime/event_provenance.hpp"

namespace stridefuse::detail {

class ProvenanceTracker {
 public:
  /// `streams`: the session's stream table. `session_zero`: the session
  /// clock's zero on the host clock, for a session that runs on it (it lets
  /// the publisher stamp published_s); empty otherwise.
  ProvenanceTracker(const std::vector<StreamDescriptor>& streams,
                    std::optional<std::chrono::steady_clock::time_point> session_zero);

  /// A sample about to go into the engine.
  void fed(const Sample& s) {
    auto& l = latest_[s.stream];
    l.t_s = s.t_s;
    l.arrival_s = s.arrival_s;
    l.error_bound_s = s.t_error_s;
    l.fed = true;
    newest_s_ = s.t_s;
  }
  /// The fusion turn (or session end) whose time the next events are produced at.
  void turn(double now_s) { produced_s_ = now_s; }

  /// An event the engine emitted after the samples fed so far. Valid until the next call.
  const EventProvenance& of_engine_event(const Event& event);
  /// An event computed from no sample (session start and end), produced at `produced_s`.
  const EventProvenance& of_session_event(double produced_s);
  /// A periodic device status of session stream `stream`, whose clock error bound is `error_bound_s`.
  const EventProvenance& of_status(double produced_s, std::size_t stream, double error_bound_s);

 private:
  struct Latest {
    double t_s = 0.0;
    double arrival_s = 0.0;
    double error_bound_s = 0.0;
    bool fed = false;
  };
  void clear_samples(double produced_s);
  double span_start_s(const Event& event);

  std::vector<std::string> ids_;  // per session stream
  std::vector<Latest> latest_;    // per session stream: its latest sample fed to the engine
  double newest_s_ = std::numeric_limits<double>::quiet_NaN();
  double produced_s_ = 0.0;
  double last_step_ic_s_ = std::numeric_limits<double>::quiet_NaN();
  EventProvenance provenance_;  // reused: filled per event
};

}  // namespace stridefuse::detail
