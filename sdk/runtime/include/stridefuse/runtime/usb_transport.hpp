#pragma once
// USB transport (libusb): bulk or interrupt endpoints, asynchronous IN
// transfers kept in flight, stall recovery, and reconnection after unplug
// (by hotplug notification where the platform has it, by polling otherwise).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stridefuse/core/device_match.hpp"
#include "stridefuse/core/transport.hpp"

namespace stridefuse {

enum class UsbEndpointKind : std::uint8_t { bulk, interrupt };

struct UsbTransportConfig {
  UsbId id;
  int interface_number = 0;
  std::uint8_t in_endpoint = 0x81;
  std::uint8_t out_endpoint = 0x01;
  UsbEndpointKind kind = UsbEndpointKind::bulk;
  std::size_t transfer_bytes = 512;            ///< size of each IN transfer
  unsigned transfers_in_flight = 4;            ///< IN transfers kept submitted
  std::chrono::milliseconds write_timeout{1000};
  std::chrono::milliseconds reconnect_interval{200};  ///< how often a gone device is looked for without hotplug
};

/// What the transport has been through.
struct UsbTransportCounters {
  std::uint64_t transfers = 0;    ///< IN transfers completed with data
  std::uint64_t stalls = 0;       ///< endpoint halts cleared
  std::uint64_t disconnects = 0;  ///< device gone
  std::uint64_t reconnects = 0;   ///< device opened again after being gone
};

class UsbTransport final : public Transport {
 public:
  /// Opens the first device with the configured id. Throws TransportError when
  /// none is attached or it cannot be opened; a permission problem names the
  /// udev rules file that grants access. std::invalid_argument for a bad config.
  explicit UsbTransport(UsbTransportConfig config);
  ~UsbTransport() override;

  std::string describe() const override;
  /// Throws TransportError when the device is gone (unplugged). A later read
  /// opens it again once it is back (returning 0 until then), so a session
  /// survives an unplug/replug.
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  /// Opens the device again first if it was gone. Throws TransportError when it is (still) gone,
  /// the write times out, or the endpoint stalls twice.
  void write(std::span<const std::uint8_t> bytes) override;
  bool reconnects() const override { return true; }

  UsbTransportCounters counters() const;
  bool hotplug() const;  ///< whether libusb reports hotplug on this platform

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One attached USB device as `stridefuse devices` lists it.
struct UsbDeviceInfo {
  UsbId id;
  int bus = 0;
  int address = 0;
  std::string product;      ///< product string, empty when it could not be read
  std::string open_error;   ///< why it could not be opened (e.g. permissions), empty when it could
};

/// Lists attached USB devices. Throws std::runtime_error when libusb cannot start.
std::vector<UsbDeviceInfo> list_usb_devices();

/// The message for LIBUSB_ERROR_ACCESS etc., with the fix for permissions.
std::string usb_error_message(int libusb_error);

}  // namespace stridefuse
