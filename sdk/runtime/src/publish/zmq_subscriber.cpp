#include "stridefuse/runtime/zmq_subscriber.hpp"

#include <algorithm>
#include <cerrno>
#include <optional>
#include <stdexcept>
#include <zmq.hpp>

#include "publish/handshake_events.hpp"
#include "publish/zmq_endpoint_error.hpp"
#include "stridefuse/runtime/curve_keys.hpp"
#include "stridefuse/runtime/event_codec.hpp"

namespace stridefuse {

struct ZmqSubscriber::Impl {
  zmq::context_t context{1};
  zmq::socket_t socket{context, zmq::socket_type::sub};
  zmq::socket_t monitor;  // handshakes of `socket`: the publisher's refusal
  std::string endpoint;
  std::optional<publish_detail::SubscriberRefusalWatch> refusal;

  void check_refused() {
    while (const auto e = publish_detail::read_monitor_event(monitor))
      if (const auto why = refusal->on(*e)) throw SubscriberRefused(*why);
  }
};

ZmqSubscriber::ZmqSubscriber(const std::string& endpoint, const std::string& topic_prefix, int receive_hwm)
    : ZmqSubscriber(ZmqSubscriberOptions{endpoint, topic_prefix, receive_hwm, std::nullopt}) {}

ZmqSubscriber::ZmqSubscriber(const ZmqSubscriberOptions& options) : impl_(std::make_unique<Impl>()) {
  if (options.endpoint.empty()) throw std::invalid_argument("ZeroMQ endpoint is empty");
  if (options.receive_hwm < 1)
    throw std::invalid_argument("receive high-water mark must be at least 1, not " +
                                std::to_string(options.receive_hwm));
  impl_->endpoint = options.endpoint;
  auto& s = impl_->socket;
  s.set(zmq::sockopt::rcvhwm, options.receive_hwm);
  s.set(zmq::sockopt::linger, 0);
  s.set(zmq::sockopt::subscribe, options.topic_prefix);
  if (options.curve) {
    validate_curve_key(options.curve->server_public_key, "publisher's CURVE public key");
    validate_curve_key(options.curve->secret_key, "subscriber's CURVE secret key");
    if (!curve_available()) throw std::runtime_error("this libzmq was built without CURVE encryption");
    s.set(zmq::sockopt::curve_serverkey, options.curve->server_public_key);
    s.set(zmq::sockopt::curve_secretkey, options.curve->secret_key);
    s.set(zmq::sockopt::curve_publickey, curve_public_key(options.curve->secret_key));
  }
  impl_->refusal.emplace(options.curve.has_value(), options.endpoint);
  impl_->monitor = publish_detail::monitor_handshakes(impl_->context, s, ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
  try {
    s.connect(options.endpoint);
  } catch (const zmq::error_t& e) {
    publish_detail::throw_endpoint_error("connect to", options.endpoint, e);
  }
}

ZmqSubscriber::~ZmqSubscriber() = default;

std::optional<ReceivedMessage> ZmqSubscriber::receive(std::chrono::milliseconds timeout) {
  auto& s = impl_->socket;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    zmq::pollitem_t items[] = {{s.handle(), 0, ZMQ_POLLIN, 0}, {impl_->monitor.handle(), 0, ZMQ_POLLIN, 0}};
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    int ready = 0;
    try {
      ready = zmq::poll(items, 2, std::max(left, std::chrono::milliseconds(0)));
    } catch (const zmq::error_t& e) {
      // A signal (Ctrl-C, a kill) is the caller's to see, not a failure of the stream.
      if (e.num() == EINTR) return std::nullopt;
      throw;
    }
    if (ready == 0) return std::nullopt;
    impl_->check_refused();
    if (items[0].revents & ZMQ_POLLIN) break;  // else a handshake event that was no refusal: wait on
  }

  ReceivedMessage out;
  std::size_t parts = 0;
  zmq::message_t part;
  // ZeroMQ delivers multipart messages atomically: once the first part is here, all are.
  do {
    if (!s.recv(part, zmq::recv_flags::dontwait)) throw std::runtime_error("ZeroMQ lost part of a message");
    if (parts == 0) out.topic.assign(part.data<char>(), part.size());
    if (parts == 1) out.payload.assign(part.data<std::uint8_t>(), part.data<std::uint8_t>() + part.size());
    ++parts;
  } while (part.more());
  if (parts != 2)
    throw EventDecodeError("message on topic '" + out.topic + "' has " + std::to_string(parts) +
                           " parts, expected 2 [topic, payload]");
  return out;
}

const std::string& ZmqSubscriber::endpoint() const { return impl_->endpoint; }

}  // namespace stridefuse
