#pragma once
// How ZmqPublisher's caller (the engine's thread) hands messages to the
// thread that owns the XPUB socket: over an inproc PAIR pipe, ZeroMQ's own
// lock-free queue between two threads. Each hand-over is one multipart
// message: a Handover header, then for an event its topic, its EventMessage
// bytes and, for a device status, its stream id (the late-joiner snapshot's key).

#include <chrono>
#include <cstdint>

#include "publish/late_joiner_snapshot.hpp"

namespace stridefuse::publish_detail {

struct Handover {
  enum class What : std::uint8_t {
    event,  ///< send it; topic and payload (and stream id) follow
    flush,  ///< answer (one empty frame back) once everything handed over before is sent
    stop,   ///< end the socket thread after everything handed over before
  };
  What what = What::event;
  SnapshotRole role = SnapshotRole::none;
  bool stamp_published = false;       ///< write the send time into the payload at published_offset
  std::uint32_t published_offset = 0;
  /// The session clock's zero on the host's steady clock (for stamp_published).
  std::chrono::steady_clock::duration session_zero{};
  double event_time_s = 0.0;          ///< the event's session time (the heartbeat repeats the latest)
};

/// The inproc endpoint of one publisher's hand-over pipe (its own context, so a fixed name).
inline constexpr const char* handover_endpoint = "inproc://stridefuse-publisher-handover";

}  // namespace stridefuse::publish_detail
