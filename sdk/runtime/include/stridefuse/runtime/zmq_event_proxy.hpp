#pragma once
// Many fusion nodes, one place to subscribe: an XSUB/XPUB forwarder
// (zmq_proxy_steerable). Publishers connect to the XSUB endpoint
// (ZmqPublisherOptions::connect), subscribers to the XPUB endpoint; topics
// keep their athlete prefix, so one subscriber can take every athlete or one.
// Every subscription is passed upstream (XPUB_VERBOSE), so each publisher
// still sends its late-joiner snapshot. Used by `stridefuse proxy`.

#include <memory>
#include <string>

namespace stridefuse {

class ZmqEventProxy {
 public:
  /// Binds both endpoints ("tcp://127.0.0.1:*" picks a free port). Throws
  /// std::invalid_argument for a malformed endpoint, std::runtime_error naming
  /// the endpoint when it cannot be bound, and std::invalid_argument when both are the
  /// same (a wildcard port such as "tcp://127.0.0.1:*" may be given for both: each picks its own).
  ZmqEventProxy(const std::string& xsub_endpoint, const std::string& xpub_endpoint);
  ~ZmqEventProxy();
  ZmqEventProxy(const ZmqEventProxy&) = delete;
  ZmqEventProxy& operator=(const ZmqEventProxy&) = delete;

  /// Forwards messages and subscriptions until stop(); call from one thread.
  /// Throws std::runtime_error if ZeroMQ fails.
  void run();

  /// Makes run() return (now, or at once when it starts later). Any thread; repeatable.
  void stop();

  /// Endpoints actually bound, wildcard ports resolved.
  const std::string& xsub_endpoint() const;
  const std::string& xpub_endpoint() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stridefuse
