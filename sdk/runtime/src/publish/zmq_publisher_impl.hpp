#pragma once
// ZmqPublisher's insides, shared by its two threads' files: the publishing
// thread's side (zmq_publisher.cpp: encode, hand over) and the socket thread
// (publisher_socket_thread.cpp: the XPUB socket, subscriptions and the
// late-joiner snapshot, heartbeats, refused subscribers). Each ZeroMQ socket
// here is used by one thread only, named beside it.

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <zmq.hpp>

#include "publish/handshake_events.hpp"
#include "publish/late_joiner_snapshot.hpp"
#include "publish/publisher_handover.hpp"
#include "publish/zap_allow_list.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"

namespace stridefuse {

struct ZmqPublisher::Impl {
  /// Messages the hand-over pipe holds before publish() drops (counted): the
  /// socket thread would have to be this far behind.
  static constexpr int handover_capacity = 65536;

  ZmqPublisherOptions options;
  zmq::context_t context{1};
  std::unique_ptr<publish_detail::ZapAllowList> zap;  // before the sockets: closed after them
  std::chrono::steady_clock::time_point created = std::chrono::steady_clock::now();
  std::string bound_endpoint;

  // The publishing thread's: encodes and hands over.
  zmq::socket_t handover{context, zmq::socket_type::pair};
  EventEncoder encoder;
  // Topic strings and sequence counters per event kind (index of the Event variant).
  std::array<std::string, std::variant_size_v<Event>> topics;
  std::array<std::uint64_t, std::variant_size_v<Event>> sequences{};

  // The socket thread's (set up by the constructor before the thread starts).
  zmq::socket_t socket{context, zmq::socket_type::xpub};
  zmq::socket_t inbox{context, zmq::socket_type::pair};
  std::optional<zmq::socket_t> monitor;  // handshakes of `socket`, with CURVE only
  std::optional<publish_detail::RefusedSubscriberLog> refusals;
  publish_detail::LateJoinerSnapshot snapshot;
  std::string heartbeat_topic;
  std::uint64_t heartbeat_sequence = 0;
  double last_event_time_s = 0.0;

  // Counters: written by the socket thread (dropped also by publish()), read by anyone.
  std::atomic<std::uint64_t> dropped{0};
  std::atomic<std::uint64_t> sent{0};
  std::atomic<std::uint64_t> heartbeats{0};
  std::atomic<std::uint64_t> snapshots_sent{0};
  std::atomic<std::uint32_t> subscriptions{0};
  std::atomic<std::uint64_t> refused_by_handshake{0};

  std::thread thread;

  /// Publishing thread: encodes and hands over one event; a full hand-over pipe is a drop.
  void hand_over(const Event& event, const EventProvenance* provenance);

  // Socket thread (publisher_socket_thread.cpp).
  void run() noexcept;
  /// Takes what waits in the hand-over pipe; true once told to stop.
  bool take_handed_over();
  void send_event(const publish_detail::Handover& h);
  void serve_subscriptions();
  void send_heartbeat();
  bool send(zmq::message_t& topic, zmq::message_t& payload);
};

}  // namespace stridefuse
