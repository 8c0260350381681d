#include "stridefuse/runtime/device_uri.hpp"

#include <charconv>
#include <stdexcept>

#include "stridefuse/runtime/raw_traffic.hpp"
#include "stridefuse/runtime/serial_transport.hpp"
#include "stridefuse/runtime/tcp_transport.hpp"
#include "stridefuse/runtime/usb_transport.hpp"

namespace stridefuse {
namespace {

constexpr const char* accepted = "serial:PATH, /dev/..., tcp:HOST:PORT, usb:VVVV:PPPP or replay:FILE";

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
    if (colon == std::string::npos || colon == 0)
      throw std::invalid_argument("device '" + uri + "': expected tcp:HOST:PORT");
    return std::make_unique<TcpTransport>(rest.substr(0, colon), parse_number(rest.substr(colon + 1), 10, uri));
  }
  if (const auto id = usb_id_of(uri)) {
    UsbTransportConfig config;
    config.id = *id;
    return std::make_unique<UsbTransport>(config);
  }
  if (uri.starts_with("replay:")) return std::make_unique<ReplayTransport>(uri.substr(7));
  throw std::invalid_argument("device '" + uri + "' is not one of " + accepted);
}

OpenedDevice open_device(const std::string& uri, const DriverRegistry& registry, const std::string& driver_name) {
  return open_device(uri, registry, driver_name, {});
}

OpenedDevice open_device(const std::string& uri, const DriverRegistry& registry, const std::string& driver_name,
                         const TransportWrapper& wrap) {
  std::string name = driver_name;
  if (name.empty()) {
    if (const auto id = usb_id_of(uri)) {
      const auto match = registry.match(*id);
      if (!match)
        throw std::runtime_error("no driver handles USB device " + uri.substr(4) + " (name one with --driver)");
      name = *match;
    } else {
      name = "bridge";
    }
  }
  OpenedDevice d;
  d.transport = open_transport(uri);
  if (wrap) d.transport = wrap(std::move(d.transport), name);
  d.driver = registry.open(name, *d.transport);
  return d;
}

}  // namespace stridefuse
