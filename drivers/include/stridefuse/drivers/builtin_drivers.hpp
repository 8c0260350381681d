#pragma once
// The drivers library's one public entry point: the built-in drivers, added
// to a registry. The runtime reaches every driver through it (and through
// the registry's names and URI schemes), never through a driver's own header.
//
// Each driver folder registers itself: drivers/<family>/register.cpp defines
// its registration with STRIDEFUSE_DRIVER_FOLDER(<family>) (drivers/driver_folder.hpp),
// and the build generates the list of folders. A new device touches its folder only.

#include "stridefuse/core/driver_registry.hpp"

namespace stridefuse {

/// Adds every driver compiled into this build to `registry`. Throws
/// std::invalid_argument if one of their names is already taken there.
void register_builtin_drivers(DriverRegistry& registry);

}  // namespace stridefuse
