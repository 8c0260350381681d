#pragma once
// Request/response side of the bridge protocol, used while opening a bridge
// (before a session reads from it): version negotiation, scanning, connecting.
// Every request is sent again when its answer is overdue, up to a bounded
// number of attempts (PROTOCOL.md section 3.1): one lost frame does not fail it.

#include <chrono>
#include <optional>
#include <vector>

#include "bridge_driver.hpp"
#include "bridge_protocol.hpp"
#include "stridefuse/core/transport.hpp"

namespace stridefuse::bridge {

/// What came of connecting one sensor: a handle, or why not.
struct ConnectOutcome {
  std::optional<std::uint8_t> handle;
  LinkReason why = LinkReason::none;  ///< refused or no_answer when there is no handle
  std::string message;                ///< the bridge's refusal, or "no answer ..."
};

class BridgeClient {
 public:
  /// `reply_timeout`: the wait for each attempt's answer; `attempts`: sends of a request in all (>= 1).
  explicit BridgeClient(Transport& transport, std::chrono::milliseconds reply_timeout = std::chrono::milliseconds(500),
                        unsigned attempts = 4);

  /// Negotiates the protocol version (this host's highest, 1.1; a 1.0 bridge
  /// answers 1.0). Throws std::runtime_error when the bridge refuses our major
  /// version or answers none of the attempts; TransportError when it is gone.
  BridgeInfo hello();

  /// Scans for `duration` and returns each advertiser once (the latest RSSI).
  /// A 1.1 bridge's SCAN_DONE ends the scan; a 1.0 bridge's ends with the duration.
  std::vector<BleAdvert> scan(std::chrono::milliseconds duration);

  /// Connects to a sensor. A refusal or no answer is an outcome, not an
  /// error: the session goes on without the sensor and tries it again later.
  ConnectOutcome connect(const std::string& address);

  /// The link's framing state, for the BridgeDriver that takes over the link
  /// (its frame numbering and decoder counters continue). The client must
  /// not be used afterwards.
  BridgeLink release_link() { return std::move(link_); }

 private:
  std::uint8_t send(MessageType type, const std::vector<std::uint8_t>& body);
  /// The transport's time, s: its own where it keeps time (a StampedTransport,
  /// e.g. an emulated bridge on a virtual clock), else the host's monotonic
  /// clock. Request timeouts run on it, so that they mean the same on both
  /// (and on the host clock too, whichever passes first: never endless).
  double now_s() const;
  static double host_now_s();
  /// Reads until `accept` returns true for a frame or `wait_s` has passed.
  template <class F>
  bool await(double wait_s, F&& accept);
  /// Sends the request up to attempts_ times until `accept` (given the frame and
  /// the sequences of the attempts so far) takes an answer; false when none came.
  template <class F>
  bool request(MessageType type, const std::vector<std::uint8_t>& body, std::chrono::milliseconds timeout, F&& accept);

  Transport& transport_;
  const StampedTransport* stamped_;  // transport_ when it keeps its own time
  std::chrono::milliseconds reply_timeout_;
  unsigned attempts_;
  std::uint8_t minor_ = 0;  // negotiated
  BridgeLink link_;
};

}  // namespace stridefuse::bridge
