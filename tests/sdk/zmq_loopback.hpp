#pragma once
// Loopback set-up shared by the ZeroMQ tests: a publisher on a free port that
// closes at once, and waiting for something to arrive within a deadline.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "stridefuse/runtime/zmq_publisher.hpp"
#include "stridefuse/runtime/zmq_subscriber.hpp"

namespace stridefuse::test {

inline ZmqPublisherOptions loopback_publisher(const std::string& athlete = "runner-7") {
  ZmqPublisherOptions o;
  o.endpoint = "tcp://127.0.0.1:*";
  o.athlete = athlete;
  o.linger = std::chrono::milliseconds(0);
  return o;
}

/// The next message whose topic satisfies `want` within `timeout`, skipping others.
inline std::optional<ReceivedMessage> receive_where(ZmqSubscriber& sub, const std::function<bool(const std::string&)>& want,
                                                    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto msg = sub.receive(std::chrono::milliseconds(10));
    if (msg && want(msg->topic)) return msg;
  }
  return std::nullopt;
}

/// Polls `done` every millisecond until it holds or `timeout` passes; returns its last value.
inline bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace stridefuse::test
