#pragma once
// How a driver folder registers its drivers: its register.cpp holds
//
//   STRIDEFUSE_DRIVER_FOLDER(my_family) {
//     registry.add_gatt("my-sensor", {...}, MySensorDriver::from_advert);
//   }
//
// with the folder's own name. The build finds every drivers/*/register.cpp
// and calls each folder's registration from register_builtin_drivers(), in
// folder name order (drivers/CMakeLists.txt generates that list).

#include "stridefuse/core/driver_registry.hpp"

#define STRIDEFUSE_DRIVER_FOLDER(folder) \
  void stridefuse_register_##folder##_drivers([[maybe_unused]] ::stridefuse::DriverRegistry& registry)
