#include "open_bridge.hpp"

#include <algorithm>
#include <stdexcept>

#include "bridge_client.hpp"

namespace stridefuse::bridge {

BridgeScan scan_bridge(Transport& transport, const DriverRegistry& registry, const BridgeOpenOptions& options) {
  BridgeClient client(transport, options.reply_timeout, options.attempts);
  BridgeScan out;
  out.info = client.hello();
  out.adverts = client.scan(options.scan_duration);
  for (const auto& a : out.adverts) out.drivers.push_back(registry.match(a).value_or(""));
  return out;
}

std::unique_ptr<BridgeDriver> open_bridge(Transport& transport, const DriverRegistry& registry,
                                          const BridgeOpenOptions& options) {
  BridgeClient client(transport, options.reply_timeout, options.attempts);
  const BridgeInfo info = client.hello();
  const auto adverts = client.scan(options.scan_duration);
  std::vector<ConnectedSensor> sensors;
  std::string seen;
  for (const auto& a : adverts) {
    seen += (seen.empty() ? "" : ", ") + a.address + (a.name.empty() ? "" : " '" + a.name + "'");
    const auto driver_name = registry.match(a);
    if (!driver_name) continue;
    if (!options.only_drivers.empty() &&
        std::find(options.only_drivers.begin(), options.only_drivers.end(), *driver_name) == options.only_drivers.end())
      continue;
    ConnectedSensor s;
    s.advert = a;
    s.driver = registry.create_gatt(*driver_name, a);
    // A sensor the bridge cannot connect now (refused, out of range, no
    // answer) is kept: the driver reports it and tries it again later.
    const auto outcome = client.connect(a.address);
    s.handle = outcome.handle.value_or(0);
    s.why = outcome.why;
    s.message = outcome.message;
    sensors.push_back(std::move(s));
  }
  if (sensors.empty())
    throw std::runtime_error("bridge at " + transport.describe() + " sees no sensor with a driver (seen: " +
                             (seen.empty() ? "nothing" : seen) + ")");
  return std::make_unique<BridgeDriver>(info, std::move(sensors), client.release_link());
}

}  // namespace stridefuse::bridge
