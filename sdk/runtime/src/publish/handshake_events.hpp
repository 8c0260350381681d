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

/// The handshake failures of `watched`, and the ZMQ_EVENT_* in `also`,
/// delivered to the returned PAIR socket of `context`: poll it, read with
/// read_monitor_event. Call on the thread that owns `watched`; the returned
/// socket belongs to the same thread.
zmq::socket_t monitor_handshakes(zmq::context_t& context, zmq::socket_t& watched, int also);

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

/// The subscriber's side: tells from its socket's handshake events (failures
/// and ZMQ_EVENT_HANDSHAKE_SUCCEEDED) that the publisher at `endpoint` will
/// not let it in, and why (`uses_curve`: whether it offers CURVE). A refusal
/// by the allow-list or a mechanism mismatch says so at once; a connection
/// closed during the handshake without a reason (what a CURVE publisher does
/// to a plaintext subscriber, or to a wrong server key, when it notices
/// first) only after three in a row, as a broken connection may do it once.
class SubscriberRefusalWatch {
 public:
  SubscriberRefusalWatch(bool uses_curve, std::string endpoint) : uses_curve_(uses_curve), endpoint_(std::move(endpoint)) {}
  /// Why this subscriber is refused, once the events say so.
  std::optional<std::string> on(const MonitorEvent& e);

 private:
  bool uses_curve_;
  std::string endpoint_;
  int closed_in_a_row_ = 0;
};

}  // namespace stridefuse::publish_detail
