#pragma once
// What a driver declares it handles, so that attached devices and the sensors
// a bridge sees can be given the right driver without the user naming it.

#include <cstdint>
#include <string>
#include <vector>

namespace stridefuse {

/// A USB device by vendor and product id.
struct UsbId {
  std::uint16_t vendor_id = 0;
  std::uint16_t product_id = 0;
  friend bool operator==(const UsbId&, const UsbId&) = default;
};

/// A Bluetooth LE advertisement as a bridge reports it in a scan.
struct BleAdvert {
  std::string address;                      ///< "AA:BB:CC:DD:EE:FF"
  std::string name;                         ///< advertised local name, may be empty
  int rssi_dbm = 0;
  std::vector<std::uint16_t> service_uuids; ///< 16-bit service UUIDs advertised
};

/// The devices a driver handles: any listed USB id, or a BLE advertisement
/// whose name starts with one of the prefixes or that lists one of the services.
struct DeviceMatch {
  std::vector<UsbId> usb;
  std::vector<std::string> ble_name_prefixes;
  std::vector<std::uint16_t> ble_services;

  bool matches(const UsbId& id) const;
  bool matches(const BleAdvert& advert) const;
  bool empty() const { return usb.empty() && ble_name_prefixes.empty() && ble_services.empty(); }
};

}  // namespace stridefuse
