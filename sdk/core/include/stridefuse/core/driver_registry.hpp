#pragma once
// The list of drivers a session can open, by name. Built-in drivers add
// themselves through stridefuse::register_builtin_drivers (stridefuse/drivers/builtin_drivers.hpp).

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stridefuse/core/device_match.hpp"
#include "stridefuse/core/driver.hpp"
#include "stridefuse/core/gatt_sensor_driver.hpp"

namespace stridefuse {

class DriverRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Driver>()>;

  /// Adds a driver. Throws std::invalid_argument if the name is taken or empty.
  void add(const std::string& name, Factory factory);

  /// Creates a driver. Throws std::out_of_range naming the unknown driver and the known ones.
  std::unique_ptr<Driver> create(std::string_view name) const;

  std::vector<std::string> names() const;

  /// Adds a driver together with the devices it handles (USB ids, BLE names or
  /// services). Throws std::invalid_argument as add(name, factory).
  void add(const std::string& name, DeviceMatch match, Factory factory);

  /// Adds the driver of a BLE sensor seen through a bridge; its factory gets the
  /// sensor's advertisement (a driver may read the side or size from the name).
  /// Throws std::invalid_argument if the name is taken or empty, or the match has no BLE part.
  using GattFactory = std::function<std::unique_ptr<GattSensorDriver>(const BleAdvert&)>;
  void add_gatt(const std::string& name, DeviceMatch match, GattFactory factory);

  /// Creates the BLE sensor driver `name` for `advert`. Throws std::out_of_range
  /// for an unknown name; the factory may throw std::invalid_argument for an
  /// advertisement it cannot handle.
  std::unique_ptr<GattSensorDriver> create_gatt(std::string_view name, const BleAdvert& advert) const;

  /// Adds a driver that must talk to its device before it can say what streams
  /// it has (a bridge: negotiate, scan, connect). Its opener gets the transport
  /// and this registry (to find drivers for what it discovers).
  using Opener = std::function<std::unique_ptr<Driver>(Transport&, const DriverRegistry&)>;
  void add_opener(const std::string& name, DeviceMatch match, Opener opener);

  /// Creates driver `name` for a device on `transport`: runs its opener, or its
  /// factory when it has none. Throws std::out_of_range for an unknown name, or
  /// whatever the opener throws (std::runtime_error, TransportError).
  std::unique_ptr<Driver> open(std::string_view name, Transport& transport) const;

  /// Name of the first driver (in name order) that handles the device, if any.
  std::optional<std::string> match(const UsbId& id) const;
  std::optional<std::string> match(const BleAdvert& advert) const;

  /// The devices driver `name` declared, empty when it declared none. Throws std::out_of_range.
  const DeviceMatch& declared_match(std::string_view name) const;

 private:
  std::map<std::string, Factory, std::less<>> factories_;
  std::map<std::string, GattFactory, std::less<>> gatt_factories_;
  std::map<std::string, DeviceMatch, std::less<>> matches_;
  std::map<std::string, Opener, std::less<>> openers_;
};

}  // namespace stridefuse
