#pragma once
// The transport interface: bytes in and out of one device or bridge (libusb,
// serial, TCP, replay, simulation). Drivers sit on top of it.

#include <chrono>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

namespace stridefuse {

/// The device is gone (unplugged, closed, peer hung up) or the transport failed.
struct TransportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Transport {
 public:
  virtual ~Transport() = default;

  /// Where this transport leads, for logs and status events, e.g. "usb:1-2".
  virtual std::string describe() const = 0;

  /// Waits up to `timeout` for bytes; returns how many were copied into
  /// `buffer` (0 when nothing arrived in time). Throws TransportError when the
  /// device is gone; a later read may then reconnect, where the transport can.
  virtual std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) = 0;

  /// Sends bytes to the device. Throws TransportError when it cannot.
  virtual void write(std::span<const std::uint8_t> bytes) = 0;

  /// Whether, after a TransportError, later calls may find the device again
  /// (a replugged USB device or serial port). A session keeps such a device
  /// and restarts its driver when it is back; others end at the first error.
  virtual bool reconnects() const { return false; }
};

}  // namespace stridefuse
