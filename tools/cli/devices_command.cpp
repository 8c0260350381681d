// stridefuse devices: what is attached (USB devices, serial and TCP bridges)
// and the sensors each bridge hears, with the driver that would handle each.

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "bridge/open_bridge.hpp"
#include "stridefuse/drivers/builtin_drivers.hpp"
#include "command.hpp"
#include "stridefuse/runtime/device_uri.hpp"
#include "stridefuse/runtime/usb_transport.hpp"

namespace stridefuse::cli {
namespace {

std::string hex4(std::uint16_t v) {
  std::ostringstream s;
  s << std::hex << std::setw(4) << std::setfill('0') << v;
  return s.str();
}

void print_bridge(Transport& transport, const DriverRegistry& registry, std::chrono::milliseconds scan) {
  bridge::BridgeOpenOptions options;
  options.scan_duration = scan;
  const auto found = bridge::scan_bridge(transport, registry, options);
  std::cout << "    bridge protocol " << int(found.info.major) << "." << int(found.info.minor) << ", firmware '"
            << found.info.firmware << "', up to " << found.info.max_connections << " sensors\n";
  if (found.adverts.empty()) std::cout << "    no sensors heard in " << scan.count() << " ms\n";
  for (std::size_t i = 0; i < found.adverts.size(); ++i) {
    const auto& a = found.adverts[i];
    std::cout << "    sensor " << a.address << " '" << a.name << "' " << a.rssi_dbm << " dBm: "
              << (found.drivers[i].empty() ? "no driver" : "driver " + found.drivers[i]) << "\n";
  }
}

void probe(const std::string& uri, const DriverRegistry& registry, std::chrono::milliseconds scan) {
  std::cout << "  " << uri << "\n";
  try {
    auto transport = open_transport(uri);
    print_bridge(*transport, registry, scan);
  } catch (const std::exception& e) {
    std::cout << "    not usable: " << e.what() << "\n";
  }
}

}  // namespace

int run_devices(const std::vector<std::string>& args) {
  po::options_description options("devices options");
  std::vector<std::string> serial;
  std::vector<std::string> tcp;
  int scan_ms = 1000;
  options.add_options()
      ("serial", po::value(&serial), "also probe this serial port for a bridge (repeatable)")
      ("tcp", po::value(&tcp), "also probe a bridge at HOST:PORT (repeatable)")
      ("scan-ms", po::value(&scan_ms)->default_value(1000), "how long each bridge scans for sensors, ms");
  const auto vm = parse_command_line("devices", "[--serial PATH...] [--tcp HOST:PORT...] [--scan-ms MS]", options, args);
  if (!vm) return exit_ok;
  if (scan_ms < 1 || scan_ms > 65535) throw UsageError("--scan-ms must be 1 to 65535");
  const std::chrono::milliseconds scan(scan_ms);
  DriverRegistry registry;
  register_builtin_drivers(registry);

  std::cout << "USB devices:\n";
  std::vector<UsbDeviceInfo> usb;
  try {
    usb = list_usb_devices();
  } catch (const std::exception& e) {
    std::cout << "  cannot list USB devices: " << e.what() << "\n";
  }
  bool any_known = false;
  for (const auto& d : usb) {
    const auto driver = registry.match(d.id);
    if (!driver) continue;
    any_known = true;
    const std::string id = hex4(d.id.vendor_id) + ":" + hex4(d.id.product_id);
    std::cout << "  " << id << " bus " << d.bus << " address " << d.address << ": driver " << *driver
              << (d.product.empty() ? "" : " ('" + d.product + "')") << "\n";
    if (!d.open_error.empty()) {
      std::cout << "    cannot open: " << d.open_error << "\n";
      continue;
    }
    if (*driver == "bridge") {
      try {
        auto transport = open_transport("usb:" + id);
        print_bridge(*transport, registry, scan);
      } catch (const std::exception& e) {
        std::cout << "    not usable: " << e.what() << "\n";
      }
    }
  }
  if (!any_known)
    std::cout << "  none with a stridefuse driver (" << usb.size() << " USB devices attached in all)\n";

  // CDC-ACM and USB-serial ports may be bridges; probe them and any given.
  std::vector<std::string> ports;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/dev", ec)) {
    const auto name = entry.path().filename().string();
    if (name.starts_with("ttyACM") || name.starts_with("ttyUSB")) ports.push_back(entry.path().string());
  }
  for (const auto& p : serial) ports.push_back(p);
  std::cout << "Serial bridges:\n";
  if (ports.empty()) std::cout << "  no serial ports (/dev/ttyACM*, /dev/ttyUSB*) and none given with --serial\n";
  for (const auto& p : ports) probe("serial:" + p, registry, scan);
  if (!tcp.empty()) std::cout << "TCP bridges:\n";
  for (const auto& t : tcp) probe("tcp:" + t, registry, scan);
  return exit_ok;
}

}  // namespace stridefuse::cli
