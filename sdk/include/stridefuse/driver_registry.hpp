#pragma once
// The list of drivers a session can open, by name. Built-in drivers add
// themselves through stridefuse::register_builtin_drivers (drivers/builtin_drivers.hpp).

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stridefuse/driver.hpp"

namespace stridefuse {

class DriverRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Driver>()>;

  /// Adds a driver. Throws std::invalid_argument if the name is taken or empty.
  void add(const std::string& name, Factory factory);

  /// Creates a driver. Throws std::out_of_range naming the unknown driver and the known ones.
  std::unique_ptr<Driver> create(std::string_view name) const;

  std::vector<std::string> names() const;

 private:
  std::map<std::string, Factory, std::less<>> factories_;
};

}  // namespace stridefuse
