#pragma once
// Reading the values of a simulated device's URI parameters (runner_uri.hpp,
// drill_uri.hpp): errors name the device and the key.

#include <charconv>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "stridefuse/core/device_uri.hpp"

namespace stridefuse::simulated {

/// `text` as a number of type T. Throws std::invalid_argument
/// "<device>: <key>='<text>' is not a number".
template <class T>
T uri_number(const std::string& device, const std::string& key, const std::string& text) {
  T v{};
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size())
    throw std::invalid_argument(device + ": " + key + "='" + text + "' is not a number");
  return v;
}

/// Sets one parameter's value into the settings.
template <class Settings>
using UriSetter = std::function<void(Settings&, const std::string& key, const std::string& value)>;
/// One row per key, in the order the README lists them.
template <class Settings>
using UriSetters = std::vector<std::pair<std::string, UriSetter<Settings>>>;

/// The keys of `setters`, in order.
template <class Settings>
std::vector<std::string> uri_keys(const UriSetters<Settings>& setters) {
  std::vector<std::string> out;
  for (const auto& row : setters) out.push_back(row.first);
  return out;
}

/// Sets every parameter by its row. Throws std::invalid_argument
/// "<device> has no parameter '<key>' (known: ...)" for a key without a row.
template <class Settings>
void apply_uri_params(const std::string& device, const DriverOptions& params, const UriSetters<Settings>& setters,
                      Settings& settings) {
  for (const auto& [key, value] : params) {
    bool known = false;
    for (const auto& [name, set] : setters)
      if (name == key) {
        set(settings, key, value);
        known = true;
      }
    if (known) continue;
    std::string keys;
    for (const auto& k : uri_keys(setters)) keys += (keys.empty() ? "" : ", ") + k;
    throw std::invalid_argument(device + " has no parameter '" + key + "' (known: " + keys + ")");
  }
}

}  // namespace stridefuse::simulated
