#pragma once
// Publishes events on a ZeroMQ XPUB socket as two-part messages
// [topic, EventMessage bytes]. Topic: "<athlete>/<kind>", e.g.
// "runner-7/step" (kinds: event_kind() of events.hpp, and "heartbeat").
// Payload: see event_codec.hpp and sdk/runtime/schema/EVENTS.md.
//
// Delivery (PUB semantics, per subscriber): every subscriber has its own
// queue of at most send_hwm messages. When one subscriber's queue is full,
// that subscriber alone misses the message; the others get it and publish()
// does not wait. The publisher cannot see those per-subscriber losses (ZeroMQ
// does not report them); each subscriber sees its own from the per-topic
// sequence numbers (SequenceTracker, sequence_tracker.hpp). What the
// publisher counts, dropped(), is sends ZeroMQ refused outright (sent to
// nobody); heartbeats carry it with sent() and the subscription count.
//
// Heartbeats: every heartbeat_period a heartbeat (publisher_heartbeat.hpp) on
// "<athlete>/heartbeat", whether or not events flow.
//
// Late joiners: the publisher keeps the last SessionStart (and SessionEnd, if
// the session ended) and the device statuses from the oldest still-current
// one of any stream on. A new subscription takes effect only when the
// socket thread applies it, and right then it sends those messages again,
// unchanged (same bytes and sequence numbers) and in the order first sent, to
// everyone whose subscription matches: the new subscriber gets them before
// any other message, and a subscriber that has them already sees sequence
// numbers it has seen and ignores the repeats (EVENTS.md section 1.3).
//
// Threads: one thread owns the XPUB socket (sends, subscriptions, snapshot,
// heartbeats). publish() is called from one thread at a time (the engine's):
// it encodes the event and hands it over through an inproc ZeroMQ pipe,
// neither blocking nor taking a lock the socket thread holds. Provenance
// (publish_traced) gets its publishedS stamped by the socket thread just
// before the send, when the session runs on the host clock.
//
// CURVE (optional): with `curve` set the socket is a CURVE server; only
// subscribers whose public key is on the allow-list get in (ZAP handler, one
// log line per refusal); a subscriber without CURVE or with another server
// key is refused in the handshake, also logged with its address. See
// curve_keys.hpp for making keys.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stridefuse/runtime/event_publisher.hpp"

namespace stridefuse {

inline constexpr const char* default_event_endpoint = "tcp://127.0.0.1:5556";

struct CurveServerOptions {
  std::string secret_key;                ///< the publisher's Z85 secret key (its public key goes to subscribers)
  std::vector<std::string> allowed_keys; ///< Z85 public keys of the subscribers let in; at least one
};

struct ZmqPublisherOptions {
  /// Where to bind, any ZeroMQ endpoint; "tcp://127.0.0.1:*" picks a free port (see endpoint()).
  std::string endpoint = default_event_endpoint;
  /// Connect to `endpoint` instead of binding it: to publish into a `stridefuse proxy --xsub` endpoint.
  bool connect = false;
  /// Athlete id: first part of every topic and carried in every message.
  /// Letters, digits, '.', '_' and '-' only (no '/', which separates topic parts).
  std::string athlete = "athlete";
  /// Messages queued per subscriber before that subscriber misses further ones; at least 1.
  int send_hwm = 1000;
  /// How long closing the publisher may wait to flush queued messages.
  std::chrono::milliseconds linger{200};
  /// Heartbeat period; positive. The first heartbeat goes out one period after construction.
  std::chrono::milliseconds heartbeat_period{1000};
  /// CURVE encryption with an allow-list of subscriber keys; none: plain text, anyone may subscribe.
  std::optional<CurveServerOptions> curve;
  /// Where the publisher's log lines go (refused subscribers); default: standard error.
  std::function<void(const std::string&)> log;
};

class ZmqPublisher final : public EventPublisher {
 public:
  /// Binds (or connects) at once. Throws std::invalid_argument for a bad
  /// athlete id, HWM, period, CURVE key or a malformed endpoint,
  /// std::runtime_error naming the endpoint when it cannot be bound (e.g.
  /// address already in use) or when CURVE is asked for and libzmq lacks it.
  explicit ZmqPublisher(ZmqPublisherOptions options);
  ~ZmqPublisher() override;
  ZmqPublisher(const ZmqPublisher&) = delete;
  ZmqPublisher& operator=(const ZmqPublisher&) = delete;

  /// Encodes one event and hands it to the socket thread without blocking
  /// (the message has no provenance). Call from one thread at a time. Throws
  /// std::invalid_argument only for an event the codec rejects (see
  /// EventEncoder::encode); a hand-over the socket thread has no room for (it
  /// is 65536 messages behind) is a drop, counted in dropped().
  void publish(const Event& event) override;

  /// As publish(), with the event's provenance in the message. When
  /// provenance.session_zero is set, published_s is the session time the
  /// socket thread handed the message to ZeroMQ; otherwise it stays as given.
  void publish_traced(const Event& event, const EventProvenance& provenance) override;

  /// Waits until everything published so far has been handed to ZeroMQ (sent
  /// and dropped() then count it). From the publishing thread.
  void flush();

  /// Events ZeroMQ refused to take (sent to nobody). Losses of one slow
  /// subscriber are not among them: see the top of this file. Any thread.
  std::uint64_t dropped() const override;

  /// Events handed to ZeroMQ. Any thread; publish() hands over asynchronously, see flush().
  std::uint64_t sent() const;

  /// Heartbeats sent so far. Any thread.
  std::uint64_t heartbeats() const;

  /// Snapshot messages repeated for late joiners so far. Any thread.
  std::uint64_t snapshots_sent() const;

  /// Topic subscriptions currently known (all subscribers together). Any thread.
  std::uint32_t subscriptions() const;

  /// Connections refused so far: keys not on the CURVE allow-list, and
  /// subscribers whose handshake failed (without CURVE, or with another server
  /// key); each logged (the latter at most once a minute per address). Any thread.
  std::uint64_t refused_subscribers() const;

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
