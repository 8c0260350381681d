#pragma once
// A session through the bridge emulator on its own clock, with a fault plan:
// the live path in device time (bridge driver, device reader, clock sync,
// merge, engine). The fault soak and its small, targeted cases run it.

#include <memory>

#include "bridge/emulator/virtual_bridge_transport.hpp"
#include "bridge/open_bridge.hpp"
#include "stridefuse/drivers/builtin_drivers.hpp"
#include "stridefuse/runtime/device_time_session.hpp"
#include "stridefuse/runtime/event_publisher.hpp"

namespace stridefuse::soak {

/// Opens the emulated bridge and runs `duration_s` of session time;
/// `journal` gets what the plan did (also when the run throws).
inline DeviceTimeReport run_emulated_bridge_session(bridge::BridgeEmulator emulator, const bridge::FaultPlan& plan,
                                                    std::shared_ptr<bridge::FaultJournal> journal,
                                                    double treadmill_speed_mps, double duration_s,
                                                    std::shared_ptr<EventPublisher> publisher) {
  auto transport = std::make_unique<bridge::VirtualBridgeTransport>(std::move(emulator), plan, std::move(journal));
  DriverRegistry registry;
  register_builtin_drivers(registry);
  auto driver = bridge::open_bridge(*transport, registry);
  std::vector<OpenedDevice> devices;
  devices.push_back({std::move(transport), std::move(driver)});
  SessionConfig config;
  config.engine.treadmill_speed_mps = treadmill_speed_mps;
  DeviceTimeOptions options;
  options.duration_s = duration_s;
  return run_in_device_time(config, std::move(devices), std::move(publisher), options);
}

}  // namespace stridefuse::soak
