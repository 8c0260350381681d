#pragma once
// The list of drivers a session can open, by name, with the devices each
// handles (USB ids, BLE adverts), the URI schemes driver folders serve with
// transports of their own, and how a device describes itself without
// streaming. Built-in drivers add themselves (stridefuse/drivers/builtin_drivers.hpp);
// plugins through load_driver_plugin (plugin.hpp).

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stridefuse/core/device_match.hpp"
#include "stridefuse/core/device_uri.hpp"
#include "stridefuse/core/driver.hpp"
#include "stridefuse/core/gatt_sensor_driver.hpp"

namespace stridefuse {

/// A sensor a device reported hearing (a bridge's scan), with the driver that would decode it.
struct ProbedSensor {
  BleAdvert advert;
  std::string driver;  ///< empty: no registered driver handles it
};

/// What a device says about itself when asked, without streaming.
struct DeviceProbe {
  std::string summary;                ///< one line, e.g. "bridge protocol 1.0, firmware 'x', up to 4 sensors"
  std::vector<ProbedSensor> sensors;  ///< empty for a device that has none behind it
};

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

  /// A URI scheme served by a driver folder with a transport of its own (the
  /// simulated runner's "sim", the emulated bridge's "emu"). Opening
  /// `scheme:path?params` makes the transport from the parsed URI, then opens
  /// driver `driver` on it and, when `params_configure_driver`, configures it
  /// with the same params (Driver::configure: a replay then rebuilds it from
  /// them). Throws std::invalid_argument for an empty or taken scheme or a null opener.
  using SchemeTransport = std::function<std::unique_ptr<Transport>(const DeviceUri& uri)>;
  void add_scheme(const std::string& scheme, const std::string& driver, SchemeTransport open_transport,
                  bool params_configure_driver);

  struct Scheme {
    std::string driver;
    SchemeTransport open_transport;
    bool params_configure_driver = false;
  };
  /// The registration of `scheme`, or null when no driver serves it.
  const Scheme* scheme(std::string_view scheme) const;
  std::vector<std::string> schemes() const;

  /// A device to try driver `name` on without hardware: a URI (usually of an
  /// emulated device) whose opening makes that driver decode. The conformance
  /// suite runs every registered driver on its example device.
  struct ExampleDevice {
    std::string uri;
    bool streams_unasked = false;  ///< it streams without Driver::start (and ignores stop)
  };
  /// Throws std::invalid_argument for an empty URI or a name already given one.
  void add_example_device(const std::string& name, ExampleDevice device);
  /// Driver `name`'s example device, or null when it declared none.
  const ExampleDevice* example_device(std::string_view name) const;

  /// How driver `name`'s device describes itself when asked (a bridge: its
  /// version and the sensors it hears), listening for up to `listen`. The
  /// prober may throw what talking to the device throws. Throws
  /// std::invalid_argument for a null prober or a name already given one.
  using Prober = std::function<DeviceProbe(Transport&, const DriverRegistry&, std::chrono::milliseconds listen)>;
  void add_prober(const std::string& name, Prober prober);
  /// Asks the device on `transport`; empty when driver `name` has no prober.
  std::optional<DeviceProbe> probe(std::string_view name, Transport& transport, std::chrono::milliseconds listen) const;

 private:
  std::map<std::string, Factory, std::less<>> factories_;
  std::map<std::string, GattFactory, std::less<>> gatt_factories_;
  std::map<std::string, DeviceMatch, std::less<>> matches_;
  std::map<std::string, Opener, std::less<>> openers_;
  std::map<std::string, Scheme, std::less<>> schemes_;
  std::map<std::string, Prober, std::less<>> probers_;
  std::map<std::string, ExampleDevice, std::less<>> examples_;
};

}  // namespace stridefuse
