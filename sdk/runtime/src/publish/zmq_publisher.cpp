#include "stridefuse/runtime/zmq_publisher.hpp"

#include <iostream>
#include <stdexcept>
#include <utility>

#include "publish/zmq_endpoint_error.hpp"
#include "publish/zmq_publisher_impl.hpp"
#include "stridefuse/runtime/curve_keys.hpp"
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

void log_to_stderr(const std::string& line) { std::cerr << "stridefuse publisher: " << line << std::endl; }

publish_detail::SnapshotRole snapshot_role(const Event& event) {
  using publish_detail::SnapshotRole;
  if (std::holds_alternative<SessionStartEvent>(event)) return SnapshotRole::session_start;
  if (std::holds_alternative<SessionEndEvent>(event)) return SnapshotRole::session_end;
  if (std::holds_alternative<DeviceStatusEvent>(event)) return SnapshotRole::device_status;
  return SnapshotRole::none;
}

}  // namespace

ZmqPublisher::ZmqPublisher(ZmqPublisherOptions options) : impl_(std::make_unique<Impl>()) {
  validate_athlete_id(options.athlete);
  if (options.send_hwm < 1)
    throw std::invalid_argument("send high-water mark must be at least 1, not " + std::to_string(options.send_hwm));
  if (options.endpoint.empty()) throw std::invalid_argument("ZeroMQ endpoint is empty");
  if (options.linger.count() < 0) throw std::invalid_argument("linger must not be negative");
  if (options.heartbeat_period.count() <= 0)
    throw std::invalid_argument("heartbeat period must be positive, not " +
                                std::to_string(options.heartbeat_period.count()) + " ms");
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
  // Every subscribe and unsubscribe reaches us, and takes effect only when
  // the socket thread applies it: each may be a late joiner, to be answered
  // with the snapshot before any other message.
  s.set(zmq::sockopt::xpub_manual, 1);
  s.set(zmq::sockopt::linger, static_cast<int>(im.options.linger.count()));
  if (im.options.curve) {
    im.zap = std::make_unique<publish_detail::ZapAllowList>(im.context, im.options.curve->allowed_keys,
                                                             im.options.log);
    s.set(zmq::sockopt::zap_domain, "stridefuse");
    s.set(zmq::sockopt::curve_server, 1);
    s.set(zmq::sockopt::curve_secretkey, im.options.curve->secret_key);
    // Only with CURVE can a subscriber be refused: then say why, naming it.
    im.monitor = publish_detail::monitor_handshakes(im.context, s, ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED);
    im.refusals.emplace(im.options.log);
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
  for (auto* pipe_end : {&im.inbox, &im.handover}) {
    pipe_end->set(zmq::sockopt::sndhwm, Impl::handover_capacity);
    pipe_end->set(zmq::sockopt::rcvhwm, Impl::handover_capacity);
    pipe_end->set(zmq::sockopt::linger, 0);
  }
  im.inbox.bind(publish_detail::handover_endpoint);
  im.handover.connect(publish_detail::handover_endpoint);
  im.thread = std::thread([&im] { im.run(); });
}

ZmqPublisher::~ZmqPublisher() {
  // After everything handed over before it: the socket thread sends all of it, then ends.
  publish_detail::Handover stop;
  stop.what = publish_detail::Handover::What::stop;
  impl_->handover.send(zmq::buffer(&stop, sizeof stop), zmq::send_flags::none);
  impl_->thread.join();
}

void ZmqPublisher::publish(const Event& event) { impl_->hand_over(event, nullptr); }

void ZmqPublisher::publish_traced(const Event& event, const EventProvenance& provenance) {
  impl_->hand_over(event, &provenance);
}

void ZmqPublisher::Impl::hand_over(const Event& event, const EventProvenance* provenance) {
  const auto kind = event.index();
  // The sequence advances for dropped events too: that is how subscribers see the gap.
  const auto bytes = encoder.encode(event, options.athlete, sequences[kind]++, provenance);
  publish_detail::Handover h;
  h.role = snapshot_role(event);
  h.event_time_s = event_time_s(event);
  if (const auto offset = encoder.published_offset(); offset && provenance && provenance->session_zero) {
    h.stamp_published = true;
    h.published_offset = static_cast<std::uint32_t>(*offset);
    h.session_zero = provenance->session_zero->time_since_epoch();
  }
  const auto more = zmq::send_flags::dontwait | zmq::send_flags::sndmore;
  // A full pipe refuses the first part; once it is taken, the rest is too.
  if (!handover.send(zmq::buffer(&h, sizeof h), more)) {
    dropped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const auto* status = std::get_if<DeviceStatusEvent>(&event);
  handover.send(zmq::buffer(topics[kind]), more);
  handover.send(zmq::buffer(bytes.data(), bytes.size()), status ? more : zmq::send_flags::dontwait);
  if (status) handover.send(zmq::buffer(status->stream_id), zmq::send_flags::dontwait);
}

void ZmqPublisher::flush() {
  publish_detail::Handover h;
  h.what = publish_detail::Handover::What::flush;
  impl_->handover.send(zmq::buffer(&h, sizeof h), zmq::send_flags::none);
  zmq::message_t done;
  (void)impl_->handover.recv(done, zmq::recv_flags::none);
}

std::uint64_t ZmqPublisher::dropped() const { return impl_->dropped.load(std::memory_order_relaxed); }
std::uint64_t ZmqPublisher::sent() const { return impl_->sent.load(std::memory_order_relaxed); }
std::uint64_t ZmqPublisher::heartbeats() const { return impl_->heartbeats.load(std::memory_order_relaxed); }
std::uint64_t ZmqPublisher::snapshots_sent() const { return impl_->snapshots_sent.load(std::memory_order_relaxed); }
std::uint32_t ZmqPublisher::subscriptions() const { return impl_->subscriptions.load(std::memory_order_relaxed); }
std::uint64_t ZmqPublisher::refused_subscribers() const {
  return (impl_->zap ? impl_->zap->refused() : 0) + impl_->refused_by_handshake.load(std::memory_order_relaxed);
}
const std::string& ZmqPublisher::endpoint() const { return impl_->bound_endpoint; }
const std::string& ZmqPublisher::athlete() const { return impl_->options.athlete; }

}  // namespace stridefuse
