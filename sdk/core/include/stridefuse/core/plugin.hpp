#pragma once
// Out-of-tree drivers as shared-library plugins. A plugin is a shared library
// that defines, with STRIDEFUSE_DRIVER_PLUGIN(register_function):
//
//   extern "C" std::uint32_t stridefuse_driver_plugin_abi();   // the ABI it was built against
//   extern "C" void stridefuse_driver_plugin_register(stridefuse::DriverRegistry&);
//
// The ABI version changes whenever Driver, GattSensorDriver, Transport,
// DriverRegistry or the types they pass change incompatibly; a plugin built
// against another version is refused before any of its code beyond the version
// query runs. Plugins must be built with the same compiler and standard library.

#include <cstdint>
#include <string>
#include <vector>

#include "stridefuse/core/driver_registry.hpp"

namespace stridefuse {

// 3: drivers decode into a SampleBatch (Frame is gone); URI schemes, probers.
// 4: Driver::stream_counters; ChannelDescriptor::full_scale; StreamDescriptor::bridge_ticks.
inline constexpr std::uint32_t driver_plugin_abi_version = 4;

/// Loads the plugin at `path` and lets it add its drivers to `registry`.
/// Returns the names it added. The library stays loaded for the life of the
/// process (its factories live in it). Throws std::runtime_error naming the
/// file when it cannot be loaded, lacks the entry points, or was built for
/// another ABI version (both versions in the message); std::invalid_argument
/// when it registers a name that is taken.
std::vector<std::string> load_driver_plugin(const std::string& path, DriverRegistry& registry);

}  // namespace stridefuse

#define STRIDEFUSE_DRIVER_PLUGIN(register_function)                                                 \
  extern "C" __attribute__((visibility("default"))) std::uint32_t stridefuse_driver_plugin_abi() {  \
    return ::stridefuse::driver_plugin_abi_version;                                                 \
  }                                                                                                 \
  extern "C" __attribute__((visibility("default"))) void stridefuse_driver_plugin_register(         \
      ::stridefuse::DriverRegistry& registry) {                                                     \
    register_function(registry);                                                                    \
  }
