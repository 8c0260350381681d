// A plugin built against an older driver ABI: the loader must refuse it
// without calling its registration function.
#include <cstdint>
#include <cstdlib>

#include "stridefuse/core/driver_registry.hpp"

extern "C" __attribute__((visibility("default"))) std::uint32_t stridefuse_driver_plugin_abi() { return 0; }
extern "C" __attribute__((visibility("default"))) void stridefuse_driver_plugin_register(stridefuse::DriverRegistry&) {
  std::abort();  // never reached when the version check works
}
