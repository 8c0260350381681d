#pragma once

#include "stridefuse/driver_registry.hpp"

namespace stridefuse {

/// Adds every driver compiled into this build to `registry`.
void register_builtin_drivers(DriverRegistry& registry);

}  // namespace stridefuse
