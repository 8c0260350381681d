#pragma once
// ZeroMQ's authentication hook (ZAP, RFC 27) for CURVE: a REP socket on
// inproc://zeromq.zap.01 in the publisher's context, answering from its own
// thread. A client whose public key is on the allow-list is accepted; any
// other is refused and the refusal is logged with its address and key.

#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

namespace stridefuse::publish_detail {

class ZapAllowList {
 public:
  /// Binds the ZAP endpoint of `context` (one per context) and starts answering.
  /// `allowed` are Z85 public keys; `log` gets one line per refusal.
  ZapAllowList(zmq::context_t& context, const std::vector<std::string>& allowed,
               std::function<void(const std::string&)> log);
  ~ZapAllowList();
  ZapAllowList(const ZapAllowList&) = delete;
  ZapAllowList& operator=(const ZapAllowList&) = delete;

  std::uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }

 private:
  void serve();
  void answer(std::vector<zmq::message_t>& request);

  zmq::socket_t socket_;
  std::set<std::string> allowed_;
  std::function<void(const std::string&)> log_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> refused_{0};
  std::thread thread_;
};

}  // namespace stridefuse::publish_detail
