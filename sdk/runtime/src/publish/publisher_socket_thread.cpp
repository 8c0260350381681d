// The thread that owns a ZmqPublisher's XPUB socket: it sends what the
// publishing thread hands over (stamping when), applies subscriptions and
// answers each with the late-joiner snapshot before anything else reaches the
// new subscriber, sends the heartbeats and logs refused subscribers. It waits
// in zmq_poll on all of its sockets at once, so an event handed over is sent
// as soon as the thread wakes, and nothing else ever takes the socket.

#include <algorithm>
#include <cstring>
#include <iostream>
#include <string_view>

#include "publish/zmq_publisher_impl.hpp"
#include "session/short_slices.hpp"
#include "stridefuse/runtime/publisher_heartbeat.hpp"

namespace stridefuse {

using publish_detail::Handover;

namespace {

// Events taken from the hand-over pipe before looking at the other sockets again.
constexpr int batch = 256;

}  // namespace

void ZmqPublisher::Impl::run() noexcept {
  using clock = std::chrono::steady_clock;
  detail::prefer_short_slices();
  try {
    auto next_heartbeat = created + options.heartbeat_period;
    std::vector<zmq::pollitem_t> items{{inbox.handle(), 0, ZMQ_POLLIN, 0}, {socket.handle(), 0, ZMQ_POLLIN, 0}};
    if (monitor) items.push_back({monitor->handle(), 0, ZMQ_POLLIN, 0});
    while (true) {
      const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_heartbeat - clock::now());
      zmq::poll(items.data(), items.size(), std::max(wait, std::chrono::milliseconds(0)));
      // Subscriptions first: a new subscriber's snapshot goes out before the events now waiting.
      serve_subscriptions();
      if (monitor)
        while (const auto e = publish_detail::read_monitor_event(*monitor)) {
          const auto before = refusals->refused();
          refusals->on(*e);
          refused_by_handshake.fetch_add(refusals->refused() - before, std::memory_order_relaxed);
        }
      if (take_handed_over()) return;
      const auto now = clock::now();
      if (now >= next_heartbeat) {
        send_heartbeat();
        next_heartbeat += options.heartbeat_period;
        if (next_heartbeat <= now) next_heartbeat = now + options.heartbeat_period;  // we were held up: no burst
      }
    }
  } catch (const std::exception& e) {
    // Cannot happen short of ZeroMQ failing; say so rather than die silently.
    options.log(std::string("the publishing thread stopped: ") + e.what());
  }
}

bool ZmqPublisher::Impl::take_handed_over() {
  for (int n = 0; n < batch; ++n) {
    zmq::message_t header;
    if (!inbox.recv(header, zmq::recv_flags::dontwait)) return false;
    Handover h;
    std::memcpy(&h, header.data(), std::min(header.size(), sizeof h));
    switch (h.what) {
      case Handover::What::event: send_event(h); break;
      case Handover::What::flush: inbox.send(zmq::message_t(), zmq::send_flags::none); break;
      case Handover::What::stop: return true;
    }
  }
  return false;
}

bool ZmqPublisher::Impl::send(zmq::message_t& topic, zmq::message_t& payload) {
  // The high-water mark counts whole messages: once the first part is taken, so is the second.
  if (!socket.send(topic, zmq::send_flags::dontwait | zmq::send_flags::sndmore)) return false;
  return socket.send(payload, zmq::send_flags::dontwait).has_value();
}

void ZmqPublisher::Impl::send_event(const Handover& h) {
  zmq::message_t topic, payload, stream_id;
  // The parts of one hand-over arrive together.
  (void)inbox.recv(topic, zmq::recv_flags::none);
  (void)inbox.recv(payload, zmq::recv_flags::none);
  if (payload.more()) (void)inbox.recv(stream_id, zmq::recv_flags::none);
  if (h.stamp_published && h.published_offset + sizeof(double) <= payload.size()) {
    const double published_s = std::chrono::duration<double>(
                                   std::chrono::steady_clock::now().time_since_epoch() - h.session_zero)
                                   .count();
    std::memcpy(payload.data<char>() + h.published_offset, &published_s, sizeof published_s);
  }
  // Kept as sent (the repeat is the same bytes), before sending takes the message.
  if (h.role != publish_detail::SnapshotRole::none)
    snapshot.keep(h.role, stream_id.to_string(), topic.to_string(),
                  {payload.data<std::uint8_t>(), payload.size()});
  last_event_time_s = h.event_time_s;
  (send(topic, payload) ? sent : dropped).fetch_add(1, std::memory_order_relaxed);
}

void ZmqPublisher::Impl::serve_subscriptions() {
  zmq::message_t message;
  // XPUB hands subscriptions up as one-part messages: 1 or 0 (subscribe or
  // unsubscribe), then the topic prefix. The socket is in manual mode: a
  // subscription takes effect when applied here, so the new subscriber's
  // first messages are the snapshot sent right after.
  while (socket.recv(message, zmq::recv_flags::dontwait)) {
    if (message.size() == 0) continue;
    const auto* data = message.data<char>();
    const std::string prefix(data + 1, message.size() - 1);
    if (data[0] == 0) {
      socket.set(zmq::sockopt::unsubscribe, prefix);
      if (subscriptions.load() > 0) subscriptions.fetch_sub(1);
      continue;
    }
    if (data[0] != 1) continue;
    socket.set(zmq::sockopt::subscribe, prefix);
    subscriptions.fetch_add(1);
    snapshot.for_each([&](const publish_detail::SentMessage& m) {
      if (m.topic.compare(0, prefix.size(), prefix) != 0) return;
      zmq::message_t topic(m.topic.data(), m.topic.size()), payload(m.payload.data(), m.payload.size());
      if (send(topic, payload)) snapshots_sent.fetch_add(1, std::memory_order_relaxed);
    });
  }
}

void ZmqPublisher::Impl::send_heartbeat() {
  PublisherHeartbeat h;
  h.t_s = last_event_time_s;
  h.uptime_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - created).count();
  h.period_s = std::chrono::duration<double>(options.heartbeat_period).count();
  h.sent = sent.load(std::memory_order_relaxed);
  h.send_failures = dropped.load(std::memory_order_relaxed);
  h.subscriptions = subscriptions.load(std::memory_order_relaxed);
  h.snapshots_sent = snapshots_sent.load(std::memory_order_relaxed);
  const auto bytes = encode_heartbeat(h, options.athlete, heartbeat_sequence++);
  zmq::message_t topic(heartbeat_topic.data(), heartbeat_topic.size()), payload(bytes.data(), bytes.size());
  if (send(topic, payload)) heartbeats.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace stridefuse
