#pragma once
// Events as ZmqPublisher puts them on the wire: topic "<athlete>/<kind>" and
// the EventMessage with a sequence number per topic, counted from 0, and the
// provenance the session gave, whose published_s stays NaN (ZmqPublisher
// stamps it as it sends; recordings and replays compare what comes before).

#include <array>
#include <string>
#include <variant>

#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/session_recording.hpp"

namespace stridefuse::record {

class WireEventEncoder {
 public:
  explicit WireEventEncoder(std::string athlete) : athlete_(std::move(athlete)) {}
  /// Throws as EventEncoder::encode. `provenance` may be null (then the message has none).
  WireEvent encode(const Event& event, const EventProvenance* provenance = nullptr);

 private:
  std::string athlete_;
  EventEncoder encoder_;
  std::array<std::uint64_t, std::variant_size_v<Event>> sequences_{};
};

/// Collects what a session publishes, as on the wire (replay compares these).
class WireEventLog final : public EventPublisher {
 public:
  explicit WireEventLog(std::string athlete) : encoder_(std::move(athlete)) {}
  void publish(const Event& event) override { events_.push_back(encoder_.encode(event)); }
  void publish_traced(const Event& event, const EventProvenance& provenance) override {
    events_.push_back(encoder_.encode(event, &provenance));
  }
  std::uint64_t dropped() const override { return 0; }
  std::vector<WireEvent>& events() { return events_; }

 private:
  WireEventEncoder encoder_;
  std::vector<WireEvent> events_;
};

}  // namespace stridefuse::record
