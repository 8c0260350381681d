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

  /// The least time, in seconds, from a device taking a sample to read()
  /// returning its bytes (radio, bridge, stack), where the transport knows it.
  /// One-way clock sync cannot observe it (it looks like a clock offset), so
  /// the session subtracts it from every sample's time. Must be in [0, 10].
  /// The default, 0, claims nothing.
  virtual double min_delay_s() const { return 0.0; }

  /// Whether the device keeps time of its own rather than the host's (a
  /// simulation on its own clock, sim:runner?clock=virtual): its data run
  /// as fast as they are read, so it belongs in a device-time session
  /// (run_in_device_time), not a live one. Default: false.
  virtual bool keeps_own_time() const { return false; }
};

/// A transport that says when the bytes of its last read() arrived, on the
/// session clock: a recording's replay, or a simulation in virtual time. A
/// session's device reader uses this stamp instead of reading the host clock,
/// so that a replay reproduces it exactly.
class StampedTransport : public Transport {
 public:
  /// Session time at which the last read() returned, s.
  virtual double last_arrival_s() const = 0;
};

}  // namespace stridefuse
