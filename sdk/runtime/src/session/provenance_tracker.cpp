#include "session/provenance_tracker.hpp"

#include <algorithm>
#include <cmath>

namespace stridefuse::detail {

ProvenanceTracker::ProvenanceTracker(const std::vector<StreamDescriptor>& streams,
                                     std::optional<std::chrono::steady_clock::time_point> session_zero)
    : latest_(streams.size()) {
  for (const auto& s : streams) ids_.push_back(s.id);
  provenance_.session_zero = session_zero;
}

void ProvenanceTracker::clear_samples(double produced_s) {
  provenance_.first_sample_s = provenance_.last_sample_s = provenance_.last_arrival_s = EventProvenance::none;
  provenance_.produced_s = produced_s;
  provenance_.streams.clear();
}

// Where the samples an event was computed from begin: a step from its initial
// contact, a form alert from that of the step whose metric completed the
// rolling window (emitted with it), anything else (attitude, the engine's
// stream health) at its own time.
double ProvenanceTracker::span_start_s(const Event& event) {
  if (const auto* step = std::get_if<StepEvent>(&event)) {
    last_step_ic_s_ = step->t_ic_s;
    return step->t_ic_s;
  }
  if (std::holds_alternative<FormAlertEvent>(event) && std::isfinite(last_step_ic_s_)) return last_step_ic_s_;
  return event_time_s(event);
}

const EventProvenance& ProvenanceTracker::of_engine_event(const Event& event) {
  clear_samples(produced_s_);
  const double start_s = span_start_s(event);
  if (std::isnan(newest_s_)) return provenance_;  // nothing fed yet
  // The engine emits an event while (or after) taking the newest sample fed:
  // the span ends there, and a stream contributed when it fed a sample inside it.
  const double first_s = std::isfinite(start_s) ? std::min(start_s, newest_s_) : newest_s_;
  double last_arrival_s = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < latest_.size(); ++i) {
    const auto& l = latest_[i];
    if (!l.fed || l.t_s < first_s) continue;
    provenance_.streams.push_back({ids_[i], l.error_bound_s});
    last_arrival_s = std::max(last_arrival_s, l.arrival_s);
  }
  provenance_.first_sample_s = first_s;
  provenance_.last_sample_s = newest_s_;
  provenance_.last_arrival_s = last_arrival_s;
  return provenance_;
}

const EventProvenance& ProvenanceTracker::of_session_event(double produced_s) {
  clear_samples(produced_s);
  return provenance_;
}

const EventProvenance& ProvenanceTracker::of_status(double produced_s, std::size_t stream, double error_bound_s) {
  clear_samples(produced_s);
  provenance_.streams.push_back({ids_[stream], error_bound_s});
  return provenance_;
}

}  // namespace stridefuse::detail
