#pragma once
// Publishes events on a ZeroMQ PUB socket as two-part messages
// [topic, EventMessage bytes]. Topic: "<athlete>/<kind>", e.g.
// "runner-7/step" (kinds: event_kind() of events.hpp). Payload: see
// event_codec.hpp and sdk/schema/EVENTS.md.
//
// publish() never blocks: sends are non-blocking, and when a subscriber's
// queue is at the send high-water mark the event is dropped and counted in
// dropped(). ZeroMQ's own PUB would drop silently; this socket is set to
// report a full queue instead (ZMQ_XPUB_NODROP) so every loss is counted.
// A consequence: one stalled subscriber makes the events it cannot take be
// dropped for every subscriber, and the per-topic sequence numbers show
// subscribers the gap. With no subscriber at all events go nowhere and are
// not counted as dropped.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "stridefuse/event_publisher.hpp"

namespace stridefuse {

inline constexpr const char* default_event_endpoint = "tcp://127.0.0.1:5556";

struct ZmqPublisherOptions {
  /// Where to bind, any ZeroMQ endpoint; "tcp://127.0.0.1:*" picks a free port (see endpoint()).
  std::string endpoint = default_event_endpoint;
  /// Athlete id: first part of every topic and carried in every message.
  /// Letters, digits, '.', '_' and '-' only (no '/', which separates topic parts).
  std::string athlete = "athlete";
  /// Messages queued per subscriber before further events are dropped; at least 1.
  int send_hwm = 1000;
  /// How long closing the publisher may wait to flush queued messages.
  std::chrono::milliseconds linger{200};
};

class ZmqPublisher final : public EventPublisher {
 public:
  /// Binds at once. Throws std::invalid_argument for a bad athlete id, HWM or
  /// a malformed endpoint, and std::runtime_error naming the endpoint when it
  /// cannot be bound (e.g. address already in use).
  explicit ZmqPublisher(ZmqPublisherOptions options);
  ~ZmqPublisher() override;
  ZmqPublisher(const ZmqPublisher&) = delete;
  ZmqPublisher& operator=(const ZmqPublisher&) = delete;

  /// Encodes and sends one event without blocking. Call from one thread at a
  /// time. Throws std::invalid_argument only for an event the codec rejects
  /// (see EventEncoder::encode); a send that cannot be done now is a drop.
  void publish(const Event& event) override;

  /// Events not sent because a subscriber's queue was full (or the socket failed). Any thread.
  std::uint64_t dropped() const override;

  /// Events handed to ZeroMQ. Any thread.
  std::uint64_t sent() const;

  /// The endpoint actually bound, with a wildcard port resolved: give it to subscribers.
  const std::string& endpoint() const;

  const std::string& athlete() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// "<athlete>/<kind>" as the publisher sends it.
std::string event_topic(std::string_view athlete, const Event& event);

/// Throws std::invalid_argument unless `athlete` is a valid athlete id (see ZmqPublisherOptions::athlete).
void validate_athlete_id(std::string_view athlete);

}  // namespace stridefuse
