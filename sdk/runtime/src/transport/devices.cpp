#include "stridefuse/runtime/devices.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "stridefuse/core/device_uri.hpp"
#include "stridefuse/drivers/builtin_drivers.hpp"
#include "stridefuse/runtime/raw_traffic.hpp"
#include "stridefuse/runtime/serial_transport.hpp"
#include "stridefuse/runtime/tcp_transport.hpp"
#include "stridefuse/runtime/usb_transport.hpp"

namespace stridefuse {
namespace {

constexpr const char* accepted = "serial:PATH, /dev/..., tcp:HOST[:PORT], usb:VVVV:PPPP or replay:FILE";

std::uint16_t parse_number(const std::string& text, int base, const std::string& uri) {
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v > 0xFFFF)
    throw std::invalid_argument("device '" + uri + "': '" + text + "' is not a 16-bit number");
  return static_cast<std::uint16_t>(v);
}

std::optional<UsbId> usb_id_of(const std::string& uri) {
  if (!uri.starts_with("usb:")) return std::nullopt;
  const std::string rest = uri.substr(4);
  const auto colon = rest.find(':');
  if (colon == std::string::npos) throw std::invalid_argument("device '" + uri + "': expected usb:VVVV:PPPP (hex)");
  return UsbId{parse_number(rest.substr(0, colon), 16, uri), parse_number(rest.substr(colon + 1), 16, uri)};
}

}  // namespace

std::unique_ptr<Transport> open_transport(const std::string& uri) {
  if (uri.starts_with("serial:")) return std::make_unique<SerialTransport>(uri.substr(7));
  if (uri.starts_with("/dev/")) return std::make_unique<SerialTransport>(uri);
  if (uri.starts_with("tcp:")) {
    const std::string rest = uri.substr(4);
    const auto colon = rest.rfind(':');
    // The open bridge protocol's default port (drivers/bridge/PROTOCOL.md section 1).
    constexpr std::uint16_t bridge_default_port = 5557;
    if (colon == std::string::npos && !rest.empty()) return std::make_unique<TcpTransport>(rest, bridge_default_port);
    if (colon == std::string::npos || colon == 0)
      throw std::invalid_argument("device '" + uri + "': expected tcp:HOST:PORT or tcp:HOST");
    return std::make_unique<TcpTransport>(rest.substr(0, colon), parse_number(rest.substr(colon + 1), 10, uri));
  }
  if (const auto id = usb_id_of(uri)) {
    UsbTransportConfig config;
    config.id = *id;
    return std::make_unique<UsbTransport>(config);
  }
  if (uri.starts_with("replay:")) return std::make_unique<ReplayTransport>(uri.substr(7));
  throw std::invalid_argument("device '" + uri + "' is not one of " + accepted + ", nor a scheme a driver serves (" +
                              [] {
                                std::string known;
                                for (const auto& s : builtin_driver_registry().schemes())
                                  known += (known.empty() ? "" : ", ") + s + ":...";
                                return known;
                              }() + ")");
}

const DriverRegistry& builtin_driver_registry() {
  static const DriverRegistry registry = [] {
    DriverRegistry r;
    register_builtin_drivers(r);
    return r;
  }();
  return registry;
}

namespace {

// Serial, TCP and replayed links carry the open bridge protocol
// (drivers/bridge/PROTOCOL.md) unless the user names another driver.
constexpr const char* default_stream_driver = "bridge";

// The driver for `uri` when the user names none.
std::string driver_for(const std::string& uri, const DriverRegistry& registry) {
  if (const auto id = usb_id_of(uri)) {
    const auto match = registry.match(*id);
    if (!match) throw std::runtime_error("no driver handles USB device " + uri.substr(4) + " (name one with --driver)");
    return *match;
  }
  return default_stream_driver;
}

// A scheme served by a driver folder, when `uri` has one.
const DriverRegistry::Scheme* driver_scheme(const std::string& uri, const DriverRegistry& registry,
                                            DeviceUri& parsed) {
  const auto colon = uri.find(':');
  if (uri.starts_with("/dev/") || colon == std::string::npos) return nullptr;
  const auto* scheme = registry.scheme(std::string_view(uri).substr(0, colon));
  if (scheme) parsed = parse_device_uri(uri);
  return scheme;
}

}  // namespace

OpenedDevice open_device(const std::string& uri, const DriverRegistry& registry, const std::string& driver_name) {
  return open_device(uri, registry, driver_name, {});
}

OpenedDevice open_device(const std::string& uri, const DriverRegistry& registry, const std::string& driver_name,
                         const TransportWrapper& wrap) {
  DeviceUri parsed;
  const auto* scheme = driver_scheme(uri, registry, parsed);
  RecordedDevice how{uri, driver_name, scheme && scheme->params_configure_driver ? parsed.params : DriverOptions{}};
  if (how.driver.empty()) how.driver = scheme ? scheme->driver : driver_for(uri, registry);
  OpenedDevice d;
  d.transport = scheme ? scheme->open_transport(parsed) : open_transport(uri);
  if (wrap) d.transport = wrap(std::move(d.transport), how);
  d.driver = registry.open(how.driver, *d.transport);
  if (!how.params.empty()) d.driver->configure(how.params);
  return d;
}

std::vector<OpenedDevice> open_devices(const std::vector<std::string>& uris, const DeviceSetOptions& options,
                                       SessionConfig& config) {
  if (uris.empty()) throw std::invalid_argument("no device to open");
  if (options.treadmill_speed_mps && !(*options.treadmill_speed_mps > 0.0 && std::isfinite(*options.treadmill_speed_mps)))
    throw std::invalid_argument("the treadmill speed must be a positive number of m/s");
  TransportWrapper wrap;
  if (options.recorder)
    wrap = [&](std::unique_ptr<Transport> t, const RecordedDevice& how) {
      return options.recorder->record_device(std::move(t), how);
    };
  std::vector<OpenedDevice> out;
  std::optional<double> device_speed_mps;
  for (const auto& uri : uris) {
    out.push_back(open_device(uri, builtin_driver_registry(), options.driver, wrap));
    if (!device_speed_mps) device_speed_mps = out.back().driver->treadmill_speed_mps();
  }
  // The speed-source rule: the user's treadmill setting, else a device's own constant speed.
  config.engine.treadmill_speed_mps = options.treadmill_speed_mps ? options.treadmill_speed_mps : device_speed_mps;
  return out;
}

namespace {

// Shortest text that reads back as the same number: a replay rebuilds the simulator from it exactly.
template <class Number>
std::string exact(Number v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace

std::string simulated_runner_uri(const SimulatedRunnerOptions& o) {
  DeviceUri uri{"sim", "runner", {{"seed", exact(o.seed)}, {"standing_s", exact(o.standing_s)}, {"speed_mps", exact(o.speed_mps)}}};
  if (o.cadence_spm) uri.params["cadence_spm"] = exact(*o.cadence_spm);
  if (!o.sensors.empty()) uri.params["sensors"] = o.sensors;
  if (o.walking_s) uri.params["walking_s"] = std::isinf(*o.walking_s) ? std::string("inf") : exact(*o.walking_s);
  return format_device_uri(uri);
}

std::string simulated_drill_uri(const DrillConfig& drill, const SimulatedDrillOptions& o) {
  DeviceUri uri{"sim", "drill", {{"exercise", to_string(drill.exercise)}, {"side", to_string(drill.side)},
                                 {"seed", exact(o.seed)}}};
  if (o.reps) uri.params["reps"] = exact(*o.reps);
  if (o.tempo_s) uri.params["tempo_s"] = exact(*o.tempo_s);
  if (drill.calibration_hinge) uri.params["calibration_hinge"] = "true";  // the athlete does what the tracker expects
  if (!o.faults.empty()) uri.params["faults"] = o.faults;
  if (!o.sensors.empty()) uri.params["sensors"] = o.sensors;
  if (o.own_clock) uri.params["clock"] = "virtual";
  return format_device_uri(uri);
}

void check_device_uri(const std::string& uri) {
  const auto& registry = builtin_driver_registry();
  DeviceUri parsed;
  if (const auto* scheme = driver_scheme(uri, registry, parsed); scheme && scheme->params_configure_driver)
    registry.create(scheme->driver)->configure(parsed.params);
}

std::unique_ptr<Driver> reopen_recorded_driver(const RecordedDevice& device, Transport& transport) {
  const auto& registry = builtin_driver_registry();
  const auto names = registry.names();
  if (std::find(names.begin(), names.end(), device.driver) == names.end())
    throw std::runtime_error("the recording's device " + device.source + " was decoded by driver '" + device.driver +
                             "', which this build does not have");
  auto driver = registry.open(device.driver, transport);
  if (!device.params.empty()) driver->configure(device.params);
  return driver;
}

std::optional<DeviceProbe> probe_device(const std::string& uri, std::chrono::milliseconds listen) {
  const auto& registry = builtin_driver_registry();
  auto transport = open_transport(uri);
  return registry.probe(driver_for(uri, registry), *transport, listen);
}

}  // namespace stridefuse
