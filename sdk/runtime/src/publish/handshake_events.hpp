#pragma once
// ZeroMQ's socket monitor (zmq_socket_monitor) turned into what a person can
// act on: why a connection's handshake failed, seen from the publisher (one
// log line per refused subscriber, which the ZAP handler cannot see when the
// subscriber does not even speak CURVE) and from a subscriber (refused, or
// speaking another security mechanism than the publisher).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <zmq.hpp>

namespace stridefuse::publish_detail {

struct MonitorEvent {
  std::uint16_t event = 0;  ///< ZMQ_EVENT_*
  std::uint32_t value = 0;  ///< per event: a file descriptor, an errno, a ZAP status or a ZMQ_PROTOCOL_ERROR_*
  std::string endpoint;
};

/// The handshake events (and, for `with_connections`, accepted and
/// disconnected connections) of `watched`, delivered to the returned PAIR
/// socket of `context`: poll it, read with read_monitor_event. Call on the
/// thread that owns `watched`; the returned socket belongs to the same thread.
zmq::socket_t monitor_handshakes(zmq::context_t& context, zmq::socket_t& watched, bool with_connections);

/// The next event waiting on a monitor socket; nothing when none is.
std::optional<MonitorEvent> read_monitor_event(zmq::socket_t& monitor);

/// The publisher's side: notes connections and logs each subscriber whose
/// handshake failed, with its address and why, at most once a minute per
/// address and reason (a refused subscriber retries ten times a second).
/// Refusals by the CURVE allow-list are logged by the ZAP handler, not here.
class RefusedSubscriberLog {
 public:
  explicit RefusedSubscriberLog(std::function<void(const std::string&)> log) : log_(std::move(log)) {}
  void on(const MonitorEvent& e);
  /// Subscribers refused so far for something other than the allow-list.
  std::uint64_t refused() const { return refused_; }

 private:
  std::function<void(const std::string&)> log_;
  std::map<int, std::string> peers_;  // by file descriptor: the address of an accepted connection
  std::optional<std::string> failed_;  // why the connection handshaking now failed, until it disconnects
  std::map<std::pair<std::string, std::string>, std::chrono::steady_clock::time_point> logged_;
  std::uint64_t refused_ = 0;
};

/// The subscriber's side: why the publisher at `endpoint` would not let this
/// subscriber in (`uses_curve`: whether it offered CURVE); nothing for events
/// that are no refusal.
std::optional<std::string> subscriber_refusal(const MonitorEvent& e, bool uses_curve, const std::string& endpoint);

}  // namespace stridefuse::publish_detail
