#pragma once
// Receives what ZmqPublisher sends: a SUB socket connected to one endpoint,
// filtered by topic prefix. Used by `stridefuse sub` and tests; subscribers
// in other languages need only ZeroMQ and events.capnp (see EVENTS.md).
//
// What arrives besides events: heartbeats on "<athlete>/heartbeat"
// (publisher_heartbeat.hpp), and, right after subscribing, the publisher's
// snapshot (the last session start and each stream's latest device status),
// repeated with their original sequence numbers. SequenceTracker
// (sequence_tracker.hpp) tells repeats from new messages and counts losses.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace stridefuse {

/// One message as it arrived: its topic and the EventMessage bytes (decode with decode_event()).
struct ReceivedMessage {
  std::string topic;
  std::vector<std::uint8_t> payload;
};

/// The publisher will not let this subscriber in: its CURVE key is not on the
/// allow-list, or the two disagree on security (one uses CURVE, the other
/// not, or the server key is wrong). The message says which and what to do.
struct SubscriberRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// CURVE client keys (Z85, see curve_keys.hpp).
struct CurveClientOptions {
  std::string server_public_key;  ///< the publisher's public key
  std::string secret_key;         ///< this subscriber's secret key (its public key is on the publisher's allow-list)
};

struct ZmqSubscriberOptions {
  std::string endpoint;
  /// Topics starting with this (empty: everything; "runner-7/" one athlete; "runner-7/step" one kind).
  std::string topic_prefix;
  int receive_hwm = 1000;
  /// Encrypt and authenticate with CURVE; none: plain text.
  std::optional<CurveClientOptions> curve;
};

class ZmqSubscriber {
 public:
  /// Connects to `endpoint` and subscribes to topics starting with
  /// `topic_prefix` (empty: everything; "runner-7/" one athlete; "runner-7/step"
  /// one kind). ZeroMQ connects in the background, so a well-formed endpoint
  /// with nobody there is not an error: receive() just times out. Throws
  /// std::invalid_argument naming the endpoint when it is malformed or of an
  /// unsupported transport, and for receive_hwm < 1.
  explicit ZmqSubscriber(const std::string& endpoint, const std::string& topic_prefix = "", int receive_hwm = 1000);
  /// As above, optionally with CURVE. Also throws std::invalid_argument for a
  /// malformed CURVE key. A publisher that refuses this subscriber sends
  /// nothing; receive() says so (SubscriberRefused) once the handshake failed.
  explicit ZmqSubscriber(const ZmqSubscriberOptions& options);
  ~ZmqSubscriber();
  ZmqSubscriber(const ZmqSubscriber&) = delete;
  ZmqSubscriber& operator=(const ZmqSubscriber&) = delete;

  /// Waits up to `timeout` for the next message; nothing when none came, or
  /// when a signal interrupted the wait (the caller checks its own flag). A
  /// message that is not [topic, payload] is consumed whole and reported with
  /// EventDecodeError (event_codec.hpp); the subscriber stays usable. Throws
  /// SubscriberRefused when the publisher refused this subscriber in the
  /// handshake (ZeroMQ would retry in vain ten times a second).
  std::optional<ReceivedMessage> receive(std::chrono::milliseconds timeout);

  const std::string& endpoint() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stridefuse
