// stridefuse devices: what is attached (USB devices, serial and TCP bridges)
// and the sensors each bridge hears, with the driver that would handle each.

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "command.hpp"
#include "stridefuse/runtime/devices.hpp"
#include "stridefuse/runtime/usb_transport.hpp"

namespace stridefuse::cli {
namespace {

std::string hex4(std::uint16_t v) {
  std::ostringstream s;
  s << std::hex << std::setw(4) << std::setfill('0') << v;
  return s.str();
}

// What the device at `uri` says about itself: for a bridge, its version and the sensors it hears.
void probe(const std::string& uri, std::chrono::milliseconds listen) {
  try {
    const auto found = probe_device(uri, listen);
    if (!found) {
      std::cout << "    its driver cannot describe the device\n";
      return;
    }
    std::cout << "    " << found->summary << "\n";
    if (found->sensors.empty()) std::cout << "    no sensors heard in " << listen.count() << " ms\n";
    for (const auto& s : found->sensors)
      std::cout << "    sensor " << s.advert.address << " '" << s.advert.name << "' " << s.advert.rssi_dbm
                << " dBm: " << (s.driver.empty() ? "no driver" : "driver " + s.driver) << "\n";
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
  const auto& registry = builtin_driver_registry();

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
    probe("usb:" + id, scan);
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
  for (const auto& p : ports) {
    std::cout << "  serial:" << p << "\n";
    probe("serial:" + p, scan);
  }
  if (!tcp.empty()) std::cout << "TCP bridges:\n";
  for (const auto& t : tcp) {
    std::cout << "  tcp:" << t << "\n";
    probe("tcp:" + t, scan);
  }
  return exit_ok;
}

}  // namespace stridefuse::cli
