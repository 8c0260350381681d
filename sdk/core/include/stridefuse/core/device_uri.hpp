#pragma once
// The parts of a device URI, `scheme:path?key=value&key=value`, as the
// registry and the runtime read them. A driver folder that serves a scheme of
// its own (DriverRegistry::add_scheme) receives the path and the parameters,
// e.g. `sim:runner?seed=7&speed_mps=3.5` -> scheme "sim", path "runner",
// params {seed: "7", speed_mps: "3.5"}. Keys and values are taken as written:
// no percent-decoding, so neither may contain '&', '=' or '?'.

#include <map>
#include <string>

namespace stridefuse {

/// Driver settings by name, e.g. {"rate_hz", "100"}; each driver documents its own.
using DriverOptions = std::map<std::string, std::string>;

struct DeviceUri {
  std::string scheme;     ///< before the first ':'; lower case letters, digits, '+', '-', '.'
  std::string path;       ///< between ':' and '?' (may itself contain ':', e.g. tcp:host:port)
  DriverOptions params;   ///< after '?'
};

/// Splits a URI. Throws std::invalid_argument naming the URI when it has no
/// scheme, a parameter without '=', an empty or repeated key.
DeviceUri parse_device_uri(const std::string& uri);

/// The URI text of `uri`: scheme:path, then ?key=value&... in key order.
/// Throws std::invalid_argument when a key or value contains '&', '=' or '?'.
std::string format_device_uri(const DeviceUri& uri);

}  // namespace stridefuse
