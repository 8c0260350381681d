#include "stridefuse/driver_registry.hpp"

#include <stdexcept>

namespace stridefuse {

void DriverRegistry::add(const std::string& name, Factory factory) {
  if (name.empty()) throw std::invalid_argument("driver name must not be empty");
  if (!factory) throw std::invalid_argument("driver '" + name + "' has no factory");
  if (!factories_.emplace(name, std::move(factory)).second)
    throw std::invalid_argument("driver '" + name + "' is registered twice");
}

std::unique_ptr<Driver> DriverRegistry::create(std::string_view name) const {
  const auto it = factories_.find(name);
  if (it == factories_.end()) {
    std::string known;
    for (const auto& [n, f] : factories_) known += (known.empty() ? "" : ", ") + n;
    throw std::out_of_range("no driver named '" + std::string(name) + "' (known: " + known + ")");
  }
  return it->second();
}

std::vector<std::string> DriverRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [n, f] : factories_) out.push_back(n);
  return out;
}

}  // namespace stridefuse
