#pragma once
// Request/response side of the bridge protocol, used while opening a bridge
// (before a session reads from it): version negotiation, scanning, connecting.

#include <chrono>
#include <vector>

#include "bridge_driver.hpp"
#include "bridge_protocol.hpp"
#include "stridefuse/core/transport.hpp"

namespace stridefuse::bridge {

class BridgeClient {
 public:
  explicit BridgeClient(Transport& transport, std::chrono::milliseconds reply_timeout = std::chrono::milliseconds(1000));

  /// Negotiates the protocol version. Throws std::runtime_error when the bridge
  /// refuses our major version or does not answer; TransportError when it is gone.
  BridgeInfo hello();

  /// Scans for `duration` and returns each advertiser once (the latest RSSI).
  std::vector<BleAdvert> scan(std::chrono::milliseconds duration);

  /// Connects to a sensor; returns its handle. Throws std::runtime_error with
  /// the bridge's reason when it refuses or does not answer.
  std::uint8_t connect(const std::string& address);

  /// The link's framing state, for the BridgeDriver that takes over the link
  /// (its frame numbering and decoder counters continue). The client must
  /// not be used afterwards.
  BridgeLink release_link() { return std::move(link_); }

 private:
  std::uint8_t send(MessageType type, const std::vector<std::uint8_t>& body);
  /// Reads until `accept` returns true for a frame or the deadline passes.
  template <class F>
  bool await(std::chrono::steady_clock::time_point deadline, F&& accept);

  Transport& transport_;
  std::chrono::milliseconds reply_timeout_;
  BridgeLink link_;
};

}  // namespace stridefuse::bridge
