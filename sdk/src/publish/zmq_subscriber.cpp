#include "stridefuse/zmq_subscriber.hpp"

#include <stdexcept>
#include <zmq.hpp>

#include "publish/zmq_endpoint_error.hpp"
#include "stridefuse/event_codec.hpp"

namespace stridefuse {

struct ZmqSubscriber::Impl {
  zmq::context_t context{1};
  zmq::socket_t socket{context, zmq::socket_type::sub};
  std::string endpoint;
};

ZmqSubscriber::ZmqSubscriber(const std::string& endpoint, const std::string& topic_prefix, int receive_hwm)
    : impl_(std::make_unique<Impl>()) {
  if (endpoint.empty()) throw std::invalid_argument("ZeroMQ endpoint is empty");
  if (receive_hwm < 1)
    throw std::invalid_argument("receive high-water mark must be at least 1, not " + std::to_string(receive_hwm));
  impl_->endpoint = endpoint;
  auto& s = impl_->socket;
  s.set(zmq::sockopt::rcvhwm, receive_hwm);
  s.set(zmq::sockopt::linger, 0);
  s.set(zmq::sockopt::subscribe, topic_prefix);
  try {
    s.connect(endpoint);
  } catch (const zmq::error_t& e) {
    publish_detail::throw_endpoint_error("connect to", endpoint, e);
  }
}

ZmqSubscriber::~ZmqSubscriber() = default;

std::optional<ReceivedMessage> ZmqSubscriber::receive(std::chrono::milliseconds timeout) {
  auto& s = impl_->socket;
  zmq::pollitem_t item{s.handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, timeout) == 0) return std::nullopt;

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
