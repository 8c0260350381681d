#include "publish/zap_allow_list.hpp"

#include <zmq.h>

#include <array>
#include <chrono>

namespace stridefuse::publish_detail {

namespace {

// How often the handler thread looks at its stop flag while idle.
constexpr std::chrono::milliseconds stop_poll{50};

std::string text_of(const zmq::message_t& m) { return std::string(m.data<char>(), m.size()); }

}  // namespace

ZapAllowList::ZapAllowList(zmq::context_t& context, const std::vector<std::string>& allowed,
                           std::function<void(const std::string&)> log)
    : socket_(context, zmq::socket_type::rep), allowed_(allowed.begin(), allowed.end()), log_(std::move(log)) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind("inproc://zeromq.zap.01");
  thread_ = std::thread([this] { serve(); });
}

ZapAllowList::~ZapAllowList() {
  stop_ = true;
  thread_.join();
}

void ZapAllowList::serve() {
  zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
  while (!stop_.load()) {
    if (zmq::poll(&item, 1, stop_poll) == 0) continue;
    std::vector<zmq::message_t> request;
    do {
      request.emplace_back();
      if (!socket_.recv(request.back(), zmq::recv_flags::dontwait)) return;  // cannot happen: parts arrive together
    } while (request.back().more());
    answer(request);
  }
}

void ZapAllowList::answer(std::vector<zmq::message_t>& request) {
  // Request: version, request id, domain, address, identity, mechanism, credentials...
  std::string status = "400", reason = "malformed ZAP request";
  std::string address = request.size() > 3 ? text_of(request[3]) : "?";
  if (request.size() >= 7 && text_of(request[0]) == "1.0" && text_of(request[5]) == "CURVE" &&
      request[6].size() == 32) {
    std::array<char, 41> key{};
    zmq_z85_encode(key.data(), request[6].data<std::uint8_t>(), 32);
    if (allowed_.count(key.data())) {
      status = "200";
      reason = "OK";
    } else {
      reason = "client key not in the allow-list";
      refused_.fetch_add(1, std::memory_order_relaxed);
      if (log_)
        log_("refused a CURVE subscriber from " + address + ": its public key " + key.data() +
             " is not in the allow-list");
    }
  } else if (log_) {
    log_("refused a connection from " + address + ": " + reason);
  }
  const std::string request_id = request.size() > 1 ? text_of(request[1]) : "";
  socket_.send(zmq::buffer(std::string("1.0")), zmq::send_flags::sndmore);
  socket_.send(zmq::buffer(request_id), zmq::send_flags::sndmore);
  socket_.send(zmq::buffer(status), zmq::send_flags::sndmore);
  socket_.send(zmq::buffer(reason), zmq::send_flags::sndmore);
  socket_.send(zmq::buffer(std::string()), zmq::send_flags::sndmore);  // user id
  socket_.send(zmq::buffer(std::string()), zmq::send_flags::none);     // metadata
}

}  // namespace stridefuse::publish_detail
