#include <dlfcn.h>

#include <algorithm>
#include <stdexcept>

#include "stridefuse/core/plugin.hpp"

namespace stridefuse {

std::vector<std::string> load_driver_plugin(const std::string& path, DriverRegistry& registry) {
  // RTLD_LOCAL: two plugins may use the same internal names without clashing.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw std::runtime_error("cannot load driver plugin '" + path + "': " + (why ? why : "unknown error"));
  }
  auto close_and_throw = [&](const std::string& message) {
    dlclose(handle);
    throw std::runtime_error("driver plugin '" + path + "': " + message);
  };
  using AbiFunction = std::uint32_t (*)();
  using RegisterFunction = void (*)(DriverRegistry&);
  auto abi = reinterpret_cast<AbiFunction>(dlsym(handle, "stridefuse_driver_plugin_abi"));
  auto add = reinterpret_cast<RegisterFunction>(dlsym(handle, "stridefuse_driver_plugin_register"));
  if (!abi || !add)
    close_and_throw("not a stridefuse driver plugin (no stridefuse_driver_plugin_abi/_register; "
                    "define them with STRIDEFUSE_DRIVER_PLUGIN)");
  const std::uint32_t theirs = abi();
  if (theirs != driver_plugin_abi_version)
    close_and_throw("built for driver ABI version " + std::to_string(theirs) + ", this stridefuse has version " +
                    std::to_string(driver_plugin_abi_version) + "; rebuild the plugin against this SDK");
  const auto before = registry.names();
  add(registry);
  std::vector<std::string> added;
  for (const auto& n : registry.names())
    if (std::ranges::find(before, n) == before.end()) added.push_back(n);
  return added;
}

}  // namespace stridefuse
