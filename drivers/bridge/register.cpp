// The open bridge protocol (PROTOCOL.md): a USB or serial bridge that relays
// BLE sensors; it opens by negotiating, scanning and connecting.
#include "bridge/open_bridge.hpp"
#include "driver_folder.hpp"

STRIDEFUSE_DRIVER_FOLDER(bridge) {
  using namespace stridefuse;
  registry.add_opener("bridge", {{bridge::reference_usb_id}, {}, {}},
                      [](Transport& t, const DriverRegistry& r) { return bridge::open_bridge(t, r); });
}
