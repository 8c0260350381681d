#include "publish/handshake_events.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <zmq.h>

#include <cstring>

namespace stridefuse::publish_detail {
namespace {

constexpr int handshake_failures =
    ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;

// "ADDRESS:PORT" of the peer of a connected socket, "an unknown address" when the system will not say.
std::string peer_address(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "an unknown address";
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(a.sin_port));
  }
  if (address.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof text);
    return "[" + std::string(text) + "]:" + std::to_string(ntohs(a.sin6_port));
  }
  return "a local socket";
}

std::string host_of(const std::string& address) { return address.substr(0, address.rfind(':')); }

}  // namespace

zmq::socket_t monitor_handshakes(zmq::context_t& context, zmq::socket_t& watched, int also) {
  // inproc names are per context; the socket's address keeps two monitors of one context apart.
  const std::string name = "inproc://stridefuse-monitor-" + std::to_string(reinterpret_cast<std::uintptr_t>(watched.handle()));
  const int events = handshake_failures | also;
  if (zmq_socket_monitor(watched.handle(), name.c_str(), events) != 0) throw zmq::error_t();
  zmq::socket_t monitor(context, zmq::socket_type::pair);
  monitor.set(zmq::sockopt::linger, 0);
  monitor.connect(name);
  return monitor;
}

std::optional<MonitorEvent> read_monitor_event(zmq::socket_t& monitor) {
  zmq::message_t head, address;
  if (!monitor.recv(head, zmq::recv_flags::dontwait)) return std::nullopt;
  // Both frames arrive together: an event, then the endpoint it concerns.
  if (head.more()) (void)monitor.recv(address, zmq::recv_flags::none);
  MonitorEvent e;
  if (head.size() >= 6) {
    std::memcpy(&e.event, head.data(), 2);
    std::memcpy(&e.value, head.data<char>() + 2, 4);
  }
  e.endpoint.assign(address.data<char>(), address.size());
  return e;
}

void RefusedSubscriberLog::on(const MonitorEvent& e) {
  const int fd = static_cast<int>(e.value);
  switch (e.event) {
    case ZMQ_EVENT_ACCEPTED: peers_[fd] = peer_address(fd); return;
    case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: failed_.reset(); return;  // the allow-list's: logged by the ZAP handler
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
      failed_ = e.value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH
                    ? "it does not use CURVE (a plaintext subscriber)"
                : e.value == ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC
                    ? "its CURVE handshake failed: it uses another server key than this publisher's public key"
                    : "its handshake broke the ZeroMQ protocol (error " + std::to_string(e.value) + ")";
      return;
    case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
      failed_ = "it closed the connection during the CURVE handshake (a subscriber without CURVE, or with "
                "another server key)";
      return;
    case ZMQ_EVENT_DISCONNECTED: break;
    default: return;
  }
  // The failed handshake's connection ends now, naming its descriptor: say whose it was.
  const auto peer = peers_.find(fd);
  const std::string address = peer == peers_.end() ? "an unknown address" : peer->second;
  if (peer != peers_.end()) peers_.erase(peer);
  if (!failed_) return;
  const std::string why = *std::exchange(failed_, std::nullopt);
  ++refused_;
  const auto now = std::chrono::steady_clock::now();
  auto [it, first] = logged_.try_emplace({host_of(address), why}, now);
  if (!first && now - it->second < std::chrono::minutes(1)) return;
  it->second = now;
  if (log_) log_("refused a subscriber from " + address + ": " + why + " (repeats from there within a minute are not logged)");
}

std::optional<std::string> SubscriberRefusalWatch::on(const MonitorEvent& e) {
  const std::string publisher = "the publisher at " + endpoint_;
  switch (e.event) {
    case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: closed_in_a_row_ = 0; return std::nullopt;
    case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
      return publisher + " refused this subscriber: its CURVE public key is not on the publisher's allow-list "
                         "(ZAP status " + std::to_string(e.value) + ")";
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
      if (e.value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH)
        return uses_curve_ ? publisher + " does not use CURVE: subscribe without the CURVE options"
                           : publisher + " uses CURVE encryption: give its public key and this subscriber's secret "
                                         "key (--curve-server-key, --curve-secret-file)";
      return "the handshake with " + publisher + " broke the ZeroMQ protocol (error " + std::to_string(e.value) + ")";
    case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
      if (++closed_in_a_row_ < 3) return std::nullopt;
      return uses_curve_ ? publisher + " closed the connection during the CURVE handshake three times: the server "
                                       "key given is not its public key, or it does not use CURVE"
                         : publisher + " closed the connection during the handshake three times: it uses CURVE "
                                       "encryption (give its public key and this subscriber's secret key: "
                                       "--curve-server-key, --curve-secret-file)";
    default: return std::nullopt;
  }
}

}  // namespace stridefuse::publish_detail
