#include "stridefuse/runtime/zmq_publisher.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <iostream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <variant>
#include <zmq.hpp>

#include "publish/zap_allow_list.hpp"
#include "publish/zmq_endpoint_error.hpp"
#include "stridefuse/runtime/curve_keys.hpp"
#include "stridefuse/runtime/event_codec.hpp"
#include "stridefuse/runtime/publisher_heartbeat.hpp"

namespace stridefuse {

void validate_athlete_id(std::string_view athlete) {
  if (athlete.empty()) throw std::invalid_argument("athlete id is empty");
  for (const char c : athlete) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok)
      throw std::invalid_argument("athlete id '" + std::string(athlete) +
                                  "' may contain only letters, digits, '.', '_' and '-'");
  }
}

std::string event_topic(std::string_view athlete, const Event& event) {
  std::string topic(athlete);
  topic += '/';
  topic += event_kind(event);
  return topic;
}

bool is_heartbeat_topic(std::string_view topic) {
  const auto slash = topic.find('/');
  return slash != std::string_view::npos && slash > 0 && topic.substr(slash + 1) == heartbeat_kind;
}

namespace {

// One event of each kind, to spell every topic once up front.
template <std::size_t... I>
std::array<std::string, sizeof...(I)> all_topics(std::string_view athlete, std::index_sequence<I...>) {
  return {event_topic(athlete, Event(std::in_place_index<I>))...};
}

/// One message kept for late joiners, exactly as it was sent.
struct SnapshotMessage {
  std::string topic;
  std::vector<std::uint8_t> payload;
};

/// What a late joiner needs to know: the session and each stream's latest state.
struct Snapshot {
  std::optional<SnapshotMessage> session_start;
  std::optional<SnapshotMessage> session_end;
  std::map<std::string, SnapshotMessage> device_status;  // by stream id

  /// Keeps `event`'s message if it is state a late joiner needs.
  void keep(const Event& event, const std::string& topic, std::span<const std::uint8_t> bytes) {
    auto copy = [&] { return SnapshotMessage{topic, {bytes.begin(), bytes.end()}}; };
    if (std::holds_alternative<SessionStartEvent>(event)) {
      session_start = copy();
      session_end.reset();
      device_status.clear();  // a new session: the previous one's streams are history
    } else if (std::holds_alternative<SessionEndEvent>(event)) {
      session_end = copy();
    } else if (const auto* status = std::get_if<DeviceStatusEvent>(&event)) {
      device_status.insert_or_assign(status->stream_id, copy());
    }
  }

  /// In the order a live subscriber would have seen them.
  template <class F>
  void for_each(F&& f) const {
    if (session_start) f(*session_start);
    for (const auto& [id, m] : device_status) f(m);
    if (session_end) f(*session_end);
  }
};

void log_to_stderr(const std::string& line) { std::cerr << "stridefuse publisher: " << line << std::endl; }

}  // namespace

struct ZmqPublisher::Impl {
  ZmqPublisherOptions options;
  zmq::context_t context{1};
  std::unique_ptr<publish_detail::ZapAllowList> zap;  // before the socket: closed after it
  zmq::socket_t socket{context, zmq::socket_type::xpub};
  std::string bound_endpoint;
  std::chrono::steady_clock::time_point created = std::chrono::steady_clock::now();

  // Engine thread only.
  EventEncoder encoder;
  // Topic strings and sequence counters per event kind (index of the Event variant).
  std::array<std::string, std::variant_size_v<Event>> topics;
  std::array<std::uint64_t, std::variant_size_v<Event>> sequences{};

  // The socket and the snapshot are shared by the engine and the timer thread.
  std::mutex socket_mutex;
  Snapshot snapshot;

  // Timer thread only.
  std::string heartbeat_topic;
  std::uint64_t heartbeat_sequence = 0;

  std::atomic<std::uint64_t> dropped{0};
  std::atomic<std::uint64_t> sent{0};
  std::atomic<std::uint64_t> heartbeats{0};
  std::atomic<std::uint64_t> snapshots_sent{0};
  std::atomic<std::uint32_t> subscriptions{0};
  std::atomic<double> last_event_time_s{0.0};

  std::mutex stop_mutex;
  std::condition_variable stop_cv;
  bool stop = false;
  std::thread timer;

  /// Both parts without waiting; false when ZeroMQ would not take the message. Holds socket_mutex.
  bool send_locked(const std::string& topic, std::span<const std::uint8_t> payload) {
    void* s = socket.handle();
    if (zmq_send(s, topic.data(), topic.size(), ZMQ_DONTWAIT | ZMQ_SNDMORE) < 0) return false;
    // The high-water mark counts whole messages: once the first part is taken, so is the second.
    return zmq_send(s, payload.data(), payload.size(), ZMQ_DONTWAIT) >= 0;
  }

  void run_timer();
  void serve_new_subscriptions();
  void send_heartbeat();
};

ZmqPublisher::ZmqPublisher(ZmqPublisherOptions options) : impl_(std::make_unique<Impl>()) {
  validate_athlete_id(options.athlete);
  if (options.send_hwm < 1)
    throw std::invalid_argument("send high-water mark must be at least 1, not " + std::to_string(options.send_hwm));
  if (options.endpoint.empty()) throw std::invalid_argument("ZeroMQ endpoint is empty");
  if (options.linger.count() < 0) throw std::invalid_argument("linger must not be negative");
  if (options.heartbeat_period.count() <= 0)
    throw std::invalid_argument("heartbeat period must be positive, not " +
                                std::to_string(options.heartbeat_period.count()) + " ms");
  if (options.snapshot_poll.count() <= 0)
    throw std::invalid_argument("snapshot poll period must be positive, not " +
                                std::to_string(options.snapshot_poll.count()) + " ms");
  if (options.curve) {
    validate_curve_key(options.curve->secret_key, "publisher CURVE secret key");
    if (options.curve->allowed_keys.empty())
      throw std::invalid_argument("CURVE publisher needs at least one allowed subscriber key");
    for (const auto& k : options.curve->allowed_keys) validate_curve_key(k, "allowed subscriber key");
    if (!curve_available()) throw std::runtime_error("this libzmq was built without CURVE encryption");
  }
  if (!options.log) options.log = log_to_stderr;
  auto& im = *impl_;
  im.options = std::move(options);
  auto& s = im.socket;
  s.set(zmq::sockopt::sndhwm, im.options.send_hwm);
  // Every subscribe and unsubscribe reaches us, also a second subscriber's
  // for a prefix already subscribed: each one may be a late joiner.
  s.set(zmq::sockopt::xpub_verboser, 1);
  s.set(zmq::sockopt::linger, static_cast<int>(im.options.linger.count()));
  if (im.options.curve) {
    im.zap = std::make_unique<publish_detail::ZapAllowList>(im.context, im.options.curve->allowed_keys,
                                                             im.options.log);
    s.set(zmq::sockopt::zap_domain, "stridefuse");
    s.set(zmq::sockopt::curve_server, 1);
    s.set(zmq::sockopt::curve_secretkey, im.options.curve->secret_key);
  }
  try {
    if (im.options.connect)
      s.connect(im.options.endpoint);
    else
      s.bind(im.options.endpoint);
  } catch (const zmq::error_t& e) {
    publish_detail::throw_endpoint_error(im.options.connect ? "connect to" : "bind", im.options.endpoint, e);
  }
  im.bound_endpoint = im.options.connect ? im.options.endpoint : s.get(zmq::sockopt::last_endpoint);
  im.topics = all_topics(im.options.athlete, std::make_index_sequence<std::variant_size_v<Event>>());
  im.heartbeat_topic = im.options.athlete + "/" + std::string(heartbeat_kind);
  im.timer = std::thread([&im] { im.run_timer(); });
}

ZmqPublisher::~ZmqPublisher() {
  {
    std::lock_guard lock(impl_->stop_mutex);
    impl_->stop = true;
  }
  impl_->stop_cv.notify_all();
  impl_->timer.join();
}

void ZmqPublisher::publish(const Event& event) {
  auto& im = *impl_;
  const auto kind = event.index();
  // The sequence advances for dropped events too: that is how subscribers see the gap.
  const auto bytes = im.encoder.encode(event, im.options.athlete, im.sequences[kind]++);
  const auto& topic = im.topics[kind];
  bool ok = false;
  {
    std::lock_guard lock(im.socket_mutex);
    ok = im.send_locked(topic, bytes);
    im.snapshot.keep(event, topic, bytes);
  }
  im.last_event_time_s.store(event_time_s(event), std::memory_order_relaxed);
  (ok ? im.sent : im.dropped).fetch_add(1, std::memory_order_relaxed);
}

void ZmqPublisher::Impl::run_timer() {
  using clock = std::chrono::steady_clock;
  auto next_heartbeat = created + options.heartbeat_period;
  std::unique_lock stop_lock(stop_mutex);
  while (!stop) {
    const auto wake = std::min(clock::now() + options.snapshot_poll, next_heartbeat);
    if (stop_cv.wait_until(stop_lock, wake, [this] { return stop; })) break;
    stop_lock.unlock();
    serve_new_subscriptions();
    const auto now = clock::now();
    if (now >= next_heartbeat) {
      send_heartbeat();
      next_heartbeat += options.heartbeat_period;
      if (next_heartbeat <= now) next_heartbeat = now + options.heartbeat_period;  // we were held up: no burst
    }
    stop_lock.lock();
  }
}

void ZmqPublisher::Impl::serve_new_subscriptions() {
  std::lock_guard lock(socket_mutex);
  zmq::message_t message;
  // XPUB hands subscriptions up as one-part messages: 1 or 0 (subscribe or
  // unsubscribe), then the topic prefix.
  while (socket.recv(message, zmq::recv_flags::dontwait)) {
    if (message.size() == 0) continue;
    const auto* data = message.data<char>();
    const std::string_view prefix(data + 1, message.size() - 1);
    if (data[0] == 0) {
      if (subscriptions.load() > 0) subscriptions.fetch_sub(1);
      continue;
    }
    if (data[0] != 1) continue;
    subscriptions.fetch_add(1);
    snapshot.for_each([&](const SnapshotMessage& m) {
      if (m.topic.compare(0, prefix.size(), prefix) != 0) return;
      if (send_locked(m.topic, m.payload)) snapshots_sent.fetch_add(1, std::memory_order_relaxed);
    });
  }
}

void ZmqPublisher::Impl::send_heartbeat() {
  PublisherHeartbeat h;
  h.t_s = last_event_time_s.load(std::memory_order_relaxed);
  h.uptime_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - created).count();
  h.period_s = std::chrono::duration<double>(options.heartbeat_period).count();
  h.sent = sent.load(std::memory_order_relaxed);
  h.send_failures = dropped.load(std::memory_order_relaxed);
  h.subscriptions = subscriptions.load(std::memory_order_relaxed);
  h.snapshots_sent = snapshots_sent.load(std::memory_order_relaxed);
  const auto bytes = encode_heartbeat(h, options.athlete, heartbeat_sequence++);
  std::lock_guard lock(socket_mutex);
  if (send_locked(heartbeat_topic, bytes)) heartbeats.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t ZmqPublisher::dropped() const { return impl_->dropped.load(std::memory_order_relaxed); }
std::uint64_t ZmqPublisher::sent() const { return impl_->sent.load(std::memory_order_relaxed); }
std::uint64_t ZmqPublisher::heartbeats() const { return impl_->heartbeats.load(std::memory_order_relaxed); }
std::uint64_t ZmqPublisher::snapshots_sent() const { return impl_->snapshots_sent.load(std::memory_order_relaxed); }
std::uint32_t ZmqPublisher::subscriptions() const { return impl_->subscriptions.load(std::memory_order_relaxed); }
std::uint64_t ZmqPublisher::refused_subscribers() const { return impl_->zap ? impl_->zap->refused() : 0; }
const std::string& ZmqPublisher::endpoint() const { return impl_->bound_endpoint; }
const std::string& ZmqPublisher::athlete() const { return impl_->options.athlete; }

}  // namespace stridefuse
