#include "stridefuse/zmq_publisher.hpp"

#include <array>
#include <atomic>
#include <stdexcept>
#include <variant>
#include <zmq.hpp>

#include "publish/zmq_endpoint_error.hpp"
#include "stridefuse/event_codec.hpp"

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

struct ZmqPublisher::Impl {
  ZmqPublisherOptions options;
  zmq::context_t context{1};
  zmq::socket_t socket{context, zmq::socket_type::pub};
  std::string bound_endpoint;
  EventEncoder encoder;
  // Topic strings and sequence counters per event kind (index of the Event variant).
  std::array<std::string, std::variant_size_v<Event>> topics;
  std::array<std::uint64_t, std::variant_size_v<Event>> sequences{};
  std::atomic<std::uint64_t> dropped{0};
  std::atomic<std::uint64_t> sent{0};
};

namespace {

// One event of each kind, to spell every topic once up front.
template <std::size_t... I>
std::array<std::string, sizeof...(I)> all_topics(std::string_view athlete, std::index_sequence<I...>) {
  return {event_topic(athlete, Event(std::in_place_index<I>))...};
}

}  // namespace

ZmqPublisher::ZmqPublisher(ZmqPublisherOptions options) : impl_(std::make_unique<Impl>()) {
  validate_athlete_id(options.athlete);
  if (options.send_hwm < 1)
    throw std::invalid_argument("send high-water mark must be at least 1, not " + std::to_string(options.send_hwm));
  if (options.endpoint.empty()) throw std::invalid_argument("ZeroMQ endpoint is empty");
  if (options.linger.count() < 0) throw std::invalid_argument("linger must not be negative");
  impl_->options = std::move(options);
  auto& s = impl_->socket;
  s.set(zmq::sockopt::sndhwm, impl_->options.send_hwm);
  s.set(zmq::sockopt::xpub_nodrop, 1);
  s.set(zmq::sockopt::linger, static_cast<int>(impl_->options.linger.count()));
  try {
    s.bind(impl_->options.endpoint);
  } catch (const zmq::error_t& e) {
    publish_detail::throw_endpoint_error("bind", impl_->options.endpoint, e);
  }
  impl_->bound_endpoint = s.get(zmq::sockopt::last_endpoint);
  impl_->topics = all_topics(impl_->options.athlete, std::make_index_sequence<std::variant_size_v<Event>>());
}

ZmqPublisher::~ZmqPublisher() = default;

void ZmqPublisher::publish(const Event& event) {
  auto& im = *impl_;
  const auto kind = event.index();
  // The sequence advances for dropped events too: that is how subscribers see the gap.
  const auto bytes = im.encoder.encode(event, im.options.athlete, im.sequences[kind]++);
  const auto& topic = im.topics[kind];
  void* socket = im.socket.handle();
  if (zmq_send(socket, topic.data(), topic.size(), ZMQ_DONTWAIT | ZMQ_SNDMORE) < 0) {
    im.dropped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // The high-water mark counts whole messages, so a first part that went out
  // guarantees room for the second: this send does not fail for a full queue.
  if (zmq_send(socket, bytes.data(), bytes.size(), ZMQ_DONTWAIT) < 0) {
    im.dropped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  im.sent.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t ZmqPublisher::dropped() const { return impl_->dropped.load(std::memory_order_relaxed); }
std::uint64_t ZmqPublisher::sent() const { return impl_->sent.load(std::memory_order_relaxed); }
const std::string& ZmqPublisher::endpoint() const { return impl_->bound_endpoint; }
const std::string& ZmqPublisher::athlete() const { return impl_->options.athlete; }

}  // namespace stridefuse
