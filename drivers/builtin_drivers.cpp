// The built-in drivers: a new device family is one folder under drivers/ and
// one line here.
#include "builtin_drivers.hpp"

namespace stridefuse {

void register_builtin_drivers(DriverRegistry& registry) {
  (void)registry;
}

}  // namespace stridefuse
