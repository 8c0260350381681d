#include "stridefuse/runtime/zmq_event_proxy.hpp"

#include <mutex>
#include <stdexcept>
#include <zmq.hpp>

#include "publish/zmq_endpoint_error.hpp"

namespace stridefuse {

struct ZmqEventProxy::Impl {
  zmq::context_t context{1};
  zmq::socket_t xsub{context, zmq::socket_type::xsub};
  zmq::socket_t xpub{context, zmq::socket_type::xpub};
  // zmq_proxy_steerable's control socket: "TERMINATE" from stop() ends run().
  zmq::socket_t control{context, zmq::socket_type::pull};
  std::string control_endpoint;
  std::string xsub_endpoint, xpub_endpoint;
  std::mutex stop_mutex;
  zmq::socket_t stopper;  // created by the first stop()
};

namespace {

std::string bind(zmq::socket_t& socket, const std::string& endpoint) {
  try {
    socket.bind(endpoint);
  } catch (const zmq::error_t& e) {
    publish_detail::throw_endpoint_error("bind", endpoint, e);
  }
  return socket.get(zmq::sockopt::last_endpoint);
}

}  // namespace

ZmqEventProxy::ZmqEventProxy(const std::string& xsub_endpoint, const std::string& xpub_endpoint)
    : impl_(std::make_unique<Impl>()) {
  if (xsub_endpoint.empty() || xpub_endpoint.empty()) throw std::invalid_argument("proxy endpoint is empty");
  if (xsub_endpoint == xpub_endpoint && xsub_endpoint.find('*') == std::string::npos)  // a wildcard binds twice
    throw std::invalid_argument("proxy XSUB and XPUB endpoints are the same: '" + xsub_endpoint + "'");
  auto& im = *impl_;
  for (auto* s : {&im.xsub, &im.xpub, &im.control}) s->set(zmq::sockopt::linger, 0);
  // Pass every subscription upstream, also a second one for the same prefix:
  // each publisher answers a new subscription with its snapshot.
  im.xpub.set(zmq::sockopt::xpub_verbose, 1);
  im.xsub_endpoint = bind(im.xsub, xsub_endpoint);
  im.xpub_endpoint = bind(im.xpub, xpub_endpoint);
  im.control_endpoint = "inproc://stridefuse-proxy-control";
  im.control.bind(im.control_endpoint);
}

ZmqEventProxy::~ZmqEventProxy() = default;

void ZmqEventProxy::run() {
  auto& im = *impl_;
  try {
    zmq::proxy_steerable(im.xsub, im.xpub, zmq::socket_ref(), im.control);
  } catch (const zmq::error_t& e) {
    throw std::runtime_error(std::string("event proxy failed: ") + e.what());
  }
}

void ZmqEventProxy::stop() {
  auto& im = *impl_;
  std::lock_guard lock(im.stop_mutex);
  if (!im.stopper) {
    im.stopper = zmq::socket_t(im.context, zmq::socket_type::push);
    im.stopper.set(zmq::sockopt::linger, 0);
    im.stopper.connect(im.control_endpoint);
  }
  // PUSH queues it until run() reads the control socket; dontwait: a second stop() never blocks.
  (void)im.stopper.send(zmq::str_buffer("TERMINATE"), zmq::send_flags::dontwait);
}

const std::string& ZmqEventProxy::xsub_endpoint() const { return impl_->xsub_endpoint; }
const std::string& ZmqEventProxy::xpub_endpoint() const { return impl_->xpub_endpoint; }

}  // namespace stridefuse
