#pragma once
// The publisher's heartbeat (schema 1.1): an EventMessage whose body is a
// Heartbeat, on topic "<athlete>/heartbeat", sent every heartbeat period even
// when no events flow. It is not an Event of events.hpp: the engine never
// emits it, in-process callbacks and recordings never see it. decode_event()
// rejects it (naming decode_heartbeat); dispatch on the topic's kind.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stridefuse/runtime/event_codec.hpp"

namespace stridefuse {

/// Topic kind of heartbeats: "<athlete>/heartbeat".
inline constexpr std::string_view heartbeat_kind = "heartbeat";

/// True when `topic` is "<athlete>/heartbeat" for some athlete.
bool is_heartbeat_topic(std::string_view topic);

struct PublisherHeartbeat {
  double t_s = 0.0;                  ///< session time of the latest event published before it (0 before any)
  double uptime_s = 0.0;             ///< since the publisher was created
  double period_s = 0.0;             ///< heartbeat period
  std::uint64_t sent = 0;            ///< events handed to ZeroMQ
  std::uint64_t send_failures = 0;   ///< events ZeroMQ refused (sent to nobody)
  std::uint32_t subscriptions = 0;   ///< topic subscriptions the publisher knows of now
  std::uint64_t snapshots_sent = 0;  ///< snapshot messages repeated for late joiners
};

struct DecodedHeartbeat {
  EventEnvelope envelope;
  PublisherHeartbeat heartbeat;
};

/// One heartbeat as an EventMessage (envelope with the current schema version).
std::vector<std::uint8_t> encode_heartbeat(const PublisherHeartbeat& heartbeat, std::string_view athlete,
                                           std::uint64_t sequence);

/// Throws EventDecodeError for anything but a well-formed EventMessage of our
/// schema major whose body is a heartbeat (an event's message included).
DecodedHeartbeat decode_heartbeat(std::span<const std::uint8_t> bytes);

/// {"kind":"heartbeat","t_s":...,"schema":...,"athlete":...,"sequence":...,"uptime_s":...,"period_s":...,
///  "sent":...,"send_failures":...,"subscriptions":...,"snapshots_sent":...}
std::string heartbeat_to_json(const DecodedHeartbeat& decoded);

}  // namespace stridefuse
