#pragma once
// TCP transport (Boost.Asio): bridges on the network and emulators on loopback.

#include <chrono>
#include <memory>
#include <string>

#include "stridefuse/core/transport.hpp"

namespace stridefuse {

class TcpTransport final : public Transport {
 public:
  /// Connects to host:port within `connect_timeout`. Throws TransportError
  /// naming the address and the reason (refused, unresolvable, timed out).
  TcpTransport(std::string host, std::uint16_t port,
               std::chrono::milliseconds connect_timeout = std::chrono::milliseconds(2000));
  ~TcpTransport() override;

  std::string describe() const override;
  /// Throws TransportError when the peer closed or the connection failed; the
  /// next read then tries to connect again.
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  void write(std::span<const std::uint8_t> bytes) override;
  /// A bridge on the network that dropped the connection is connected to
  /// again: the session keeps the device and restarts its driver when it is back.
  bool reconnects() const override { return true; }

 private:
  struct Impl;
  std::string host_;
  std::uint16_t port_;
  std::chrono::milliseconds connect_timeout_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stridefuse
