#pragma once
// Serial transport (Boost.Asio): CDC-ACM bridges and anything else that shows
// up as a tty. Raw 8N1, no flow control.

#include <memory>
#include <string>

#include "stridefuse/core/transport.hpp"

namespace stridefuse {

class SerialTransport final : public Transport {
 public:
  /// Opens `path`. Throws TransportError naming the path and the reason; a
  /// permission problem says which group or udev rule grants access.
  explicit SerialTransport(std::string path, unsigned baud_rate = 115200);
  ~SerialTransport() override;

  std::string describe() const override { return "serial:" + path_; }
  /// Throws TransportError when the device is gone (it is closed then; the
  /// next read tries to open it again, so a replugged bridge comes back).
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  void write(std::span<const std::uint8_t> bytes) override;
  bool reconnects() const override { return true; }

 private:
  struct Impl;
  std::string path_;
  unsigned baud_rate_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stridefuse
