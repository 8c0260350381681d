#pragma once
// Opening a device from a URI, as `stridefuse run --device URI` does:
//
//   serial:/dev/ttyACM0   (or any path starting with /dev/)   a CDC-ACM bridge
//   tcp:HOST:PORT                                             a bridge on the network
//   usb:VVVV:PPPP                                             a USB device by hex vendor:product id
//   replay:FILE                                               a raw traffic recording (raw_traffic.hpp)
//
// The driver is the one named, or else for USB the one whose declared USB ids
// match, and for serial/TCP/replay the bridge driver.

#include <functional>
#include <memory>
#include <string>

#include "stridefuse/core/driver_registry.hpp"
#include "stridefuse/core/transport.hpp"

namespace stridefuse {

/// Opens the transport a URI names. Throws std::invalid_argument for a
/// malformed URI (naming the accepted forms), TransportError when the device
/// cannot be opened.
std::unique_ptr<Transport> open_transport(const std::string& uri);

struct OpenedDevice {
  std::unique_ptr<Transport> transport;
  std::unique_ptr<Driver> driver;
};

/// Opens transport and driver. `driver_name` empty: chosen as described above.
/// Throws as open_transport, std::runtime_error when no driver handles the
/// device, or what the driver's opener throws.
OpenedDevice open_device(const std::string& uri, const DriverRegistry& registry, const std::string& driver_name = "");

/// As above, with `wrap` given the transport and the chosen driver's name
/// before the driver is opened; the driver then talks to what it returns
/// (e.g. a transport that records the traffic, see session_recording.hpp).
using TransportWrapper = std::function<std::unique_ptr<Transport>(std::unique_ptr<Transport>, const std::string& driver_name)>;
OpenedDevice open_device(const std::string& uri, const DriverRegistry& registry, const std::string& driver_name,
                         const TransportWrapper& wrap);

}  // namespace stridefuse
