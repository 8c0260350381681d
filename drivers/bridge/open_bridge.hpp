#pragma once
// Opening a bridge for a session: negotiate the protocol, scan, connect to
// every sensor a registered BLE driver handles, and build the BridgeDriver.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bridge_driver.hpp"
#include "stridefuse/core/driver_registry.hpp"
#include "stridefuse/core/transport.hpp"

namespace stridefuse::bridge {

struct BridgeOpenOptions {
  std::chrono::milliseconds scan_duration{1000};
  std::chrono::milliseconds reply_timeout{500};  ///< per attempt of a request (CONNECT: at least 2 s)
  /// Connect only sensors handled by these drivers; empty: every sensor with a driver.
  std::vector<std::string> only_drivers;
  unsigned attempts = 4;  ///< sends of a request in all, the first included (PROTOCOL.md 3.1)
};

/// Everything the scan saw, and for each advertiser the driver that handles it (empty if none).
struct BridgeScan {
  BridgeInfo info;
  std::vector<BleAdvert> adverts;
  std::vector<std::string> drivers;  ///< parallel to adverts
};

/// Negotiates and scans without connecting (what `stridefuse devices` shows).
/// Throws as BridgeClient.
BridgeScan scan_bridge(Transport& transport, const DriverRegistry& registry, const BridgeOpenOptions& options = {});

/// Negotiates, scans, connects every sensor with a driver. A sensor that
/// cannot be connected now (refused, no answer) is in the driver all the same
/// (handle 0): the session reports it and keeps trying. Throws
/// std::runtime_error when no sensor seen has a driver (listing what was seen),
/// or as BridgeClient (the bridge itself does not answer).
std::unique_ptr<BridgeDriver> open_bridge(Transport& transport, const DriverRegistry& registry,
                                          const BridgeOpenOptions& options = {});

}  // namespace stridefuse::bridge

namespace stridefuse::bridge {

/// The reference bridge's USB id: pid.codes' open-hardware vendor 0x1209 with
/// its test product id 0x0001 (a product must get its own id before shipping).
inline constexpr UsbId reference_usb_id{0x1209, 0x0001};

}  // namespace stridefuse::bridge
