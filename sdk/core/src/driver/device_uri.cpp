#include "stridefuse/core/device_uri.hpp"

#include <stdexcept>

namespace stridefuse {
namespace {

bool scheme_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

void check_part(const std::string& part, const std::string& what) {
  if (part.find_first_of("&=?") != std::string::npos)
    throw std::invalid_argument("device URI " + what + " '" + part + "' contains '&', '=' or '?'");
}

}  // namespace

DeviceUri parse_device_uri(const std::string& uri) {
  const auto colon = uri.find(':');
  if (colon == std::string::npos || colon == 0)
    throw std::invalid_argument("device '" + uri + "' has no scheme (expected SCHEME:PATH[?key=value&...])");
  DeviceUri out;
  out.scheme = uri.substr(0, colon);
  for (const char c : out.scheme)
    if (!scheme_char(c)) throw std::invalid_argument("device '" + uri + "': scheme '" + out.scheme + "' is not valid");
  const auto query = uri.find('?', colon + 1);
  out.path = uri.substr(colon + 1, query == std::string::npos ? std::string::npos : query - colon - 1);
  if (query == std::string::npos) return out;
  std::size_t at = query + 1;
  while (at <= uri.size()) {
    const auto end = std::min(uri.find('&', at), uri.size());
    const std::string pair = uri.substr(at, end - at);
    const auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0)
      throw std::invalid_argument("device '" + uri + "': parameter '" + pair + "' is not key=value");
    const std::string key = pair.substr(0, eq);
    if (!out.params.emplace(key, pair.substr(eq + 1)).second)
      throw std::invalid_argument("device '" + uri + "': parameter '" + key + "' is given twice");
    at = end + 1;
  }
  return out;
}

std::string format_device_uri(const DeviceUri& uri) {
  std::string out = uri.scheme + ":" + uri.path;
  char separator = '?';
  for (const auto& [key, value] : uri.params) {
    check_part(key, "key");
    check_part(value, "value");
    out += separator + key + "=" + value;
    separator = '&';
  }
  return out;
}

}  // namespace stridefuse
