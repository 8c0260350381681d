#include "stridefuse/core/driver_registry.hpp"

#include <algorithm>
#include <stdexcept>

namespace stridefuse {

void DriverRegistry::add(const std::string& name, Factory factory) {
  if (name.empty()) throw std::invalid_argument("driver name must not be empty");
  if (!factory) throw std::invalid_argument("driver '" + name + "' has no factory");
  if (gatt_factories_.contains(name) || !factories_.emplace(name, std::move(factory)).second)
    throw std::invalid_argument("driver '" + name + "' is registered twice");
}

std::unique_ptr<Driver> DriverRegistry::create(std::string_view name) const {
  const auto it = factories_.find(name);
  if (it == factories_.end()) {
    std::string known;
    for (const auto& [n, f] : factories_) known += (known.empty() ? "" : ", ") + n;
    throw std::out_of_range("no driver named '" + std::string(name) + "' (known: " + known + ")");
  }
  return it->second();
}

std::vector<std::string> DriverRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [n, f] : factories_) out.push_back(n);
  for (const auto& [n, f] : gatt_factories_) out.push_back(n);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace stridefuse

namespace stridefuse {

void DriverRegistry::add(const std::string& name, DeviceMatch match, Factory factory) {
  if (gatt_factories_.contains(name)) throw std::invalid_argument("driver '" + name + "' is registered twice");
  add(name, std::move(factory));
  matches_[name] = std::move(match);
}

void DriverRegistry::add_gatt(const std::string& name, DeviceMatch match, GattFactory factory) {
  if (name.empty()) throw std::invalid_argument("driver name must not be empty");
  if (!factory) throw std::invalid_argument("driver '" + name + "' has no factory");
  if (match.ble_name_prefixes.empty() && match.ble_services.empty())
    throw std::invalid_argument("BLE driver '" + name + "' declares neither advertised names nor services");
  if (factories_.contains(name) || !gatt_factories_.emplace(name, std::move(factory)).second)
    throw std::invalid_argument("driver '" + name + "' is registered twice");
  matches_[name] = std::move(match);
}

std::unique_ptr<GattSensorDriver> DriverRegistry::create_gatt(std::string_view name, const BleAdvert& advert) const {
  const auto it = gatt_factories_.find(name);
  if (it == gatt_factories_.end()) {
    std::string known;
    for (const auto& [n, f] : gatt_factories_) known += (known.empty() ? "" : ", ") + n;
    throw std::out_of_range("no BLE sensor driver named '" + std::string(name) + "' (known: " + known + ")");
  }
  return it->second(advert);
}

void DriverRegistry::add_opener(const std::string& name, DeviceMatch match, Opener opener) {
  if (!opener) throw std::invalid_argument("driver '" + name + "' has no opener");
  // The factory keeps names unique across kinds and makes create() explain itself.
  add(name, std::move(match), [name]() -> std::unique_ptr<Driver> {
    throw std::logic_error("driver '" + name + "' needs its device to open: use DriverRegistry::open");
  });
  openers_.emplace(name, std::move(opener));
}

std::unique_ptr<Driver> DriverRegistry::open(std::string_view name, Transport& transport) const {
  if (const auto it = openers_.find(name); it != openers_.end()) return it->second(transport, *this);
  return create(name);
}

std::optional<std::string> DriverRegistry::match(const UsbId& id) const {
  for (const auto& [n, m] : matches_)
    if (factories_.contains(n) && m.matches(id)) return n;
  return std::nullopt;
}

std::optional<std::string> DriverRegistry::match(const BleAdvert& advert) const {
  for (const auto& [n, m] : matches_)
    if (gatt_factories_.contains(n) && m.matches(advert)) return n;
  return std::nullopt;
}

const DeviceMatch& DriverRegistry::declared_match(std::string_view name) const {
  static const DeviceMatch none;
  if (const auto it = matches_.find(name); it != matches_.end()) return it->second;
  if (factories_.find(name) != factories_.end()) return none;
  throw std::out_of_range("no driver named '" + std::string(name) + "'");
}

void DriverRegistry::add_scheme(const std::string& scheme, const std::string& driver, SchemeTransport open_transport,
                                bool params_configure_driver) {
  if (scheme.empty()) throw std::invalid_argument("URI scheme must not be empty");
  if (driver.empty()) throw std::invalid_argument("URI scheme '" + scheme + "' names no driver");
  if (!open_transport) throw std::invalid_argument("URI scheme '" + scheme + "' has no transport opener");
  if (!schemes_.emplace(scheme, Scheme{driver, std::move(open_transport), params_configure_driver}).second)
    throw std::invalid_argument("URI scheme '" + scheme + "' is registered twice");
}

const DriverRegistry::Scheme* DriverRegistry::scheme(std::string_view scheme) const {
  const auto it = schemes_.find(scheme);
  return it == schemes_.end() ? nullptr : &it->second;
}

std::vector<std::string> DriverRegistry::schemes() const {
  std::vector<std::string> out;
  for (const auto& [s, d] : schemes_) out.push_back(s);
  return out;
}

void DriverRegistry::add_example_device(const std::string& name, ExampleDevice device) {
  if (device.uri.empty()) throw std::invalid_argument("driver '" + name + "' has an example device without a URI");
  if (!examples_.emplace(name, std::move(device)).second)
    throw std::invalid_argument("driver '" + name + "' has an example device already");
}

const DriverRegistry::ExampleDevice* DriverRegistry::example_device(std::string_view name) const {
  const auto it = examples_.find(name);
  return it == examples_.end() ? nullptr : &it->second;
}

void DriverRegistry::add_prober(const std::string& name, Prober prober) {
  if (!prober) throw std::invalid_argument("driver '" + name + "' has a null prober");
  if (!probers_.emplace(name, std::move(prober)).second)
    throw std::invalid_argument("driver '" + name + "' has a prober already");
}

std::optional<DeviceProbe> DriverRegistry::probe(std::string_view name, Transport& transport,
                                                 std::chrono::milliseconds listen) const {
  const auto it = probers_.find(name);
  if (it == probers_.end()) return std::nullopt;
  return it->second(transport, *this, listen);
}

}  // namespace stridefuse
