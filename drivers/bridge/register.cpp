// The open bridge protocol (PROTOCOL.md): a USB or serial bridge that relays
// BLE sensors; it opens by negotiating, scanning and connecting, and describes
// itself (`stridefuse devices`) by negotiating and scanning only. Its emulator
// serves the URI scheme emu: (emu:bridge?..., the simulated runner's sensors
// behind an in-process bridge).
#include "bridge/emulator/emulated_bridge_transport.hpp"
#include "bridge/open_bridge.hpp"
#include "driver_folder.hpp"

namespace {

stridefuse::DeviceProbe probe_bridge(stridefuse::Transport& transport, const stridefuse::DriverRegistry& registry,
                                     std::chrono::milliseconds listen) {
  using namespace stridefuse;
  bridge::BridgeOpenOptions options;
  options.scan_duration = listen;
  const auto found = bridge::scan_bridge(transport, registry, options);
  DeviceProbe probe;
  probe.summary = "bridge protocol " + std::to_string(found.info.major) + "." + std::to_string(found.info.minor) +
                  ", firmware '" + found.info.firmware + "', up to " + std::to_string(found.info.max_connections) +
                  " sensors";
  for (std::size_t i = 0; i < found.adverts.size(); ++i) probe.sensors.push_back({found.adverts[i], found.drivers[i]});
  return probe;
}

}  // namespace

STRIDEFUSE_DRIVER_FOLDER(bridge) {
  using namespace stridefuse;
  registry.add_opener("bridge", {{bridge::reference_usb_id}, {}, {}},
                      [](Transport& t, const DriverRegistry& r) { return bridge::open_bridge(t, r); });
  registry.add_prober("bridge", probe_bridge);
  // The bridge's traffic is what a recording keeps: a replay needs no parameters of the emulator.
  registry.add_scheme("emu", "bridge", bridge::open_emulated_bridge, /*params_configure_driver=*/false);
  registry.add_example_device("bridge", {"emu:bridge?standing_s=30"});
}
