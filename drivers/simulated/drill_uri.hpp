#pragma once
// The parameters of a `sim:drill?...` URI (and of the simulated device
// driver's Driver::configure when they name an exercise): a DrillSimConfig
// field per key, named with its unit, plus the link's time scale and clock.
// drivers/simulated/README.md lists them.

#include <string>
#include <vector>

#include "stridefuse/core/device_uri.hpp"
#include "stridefuse/sim/drill_config.hpp"

namespace stridefuse::simulated {

struct DrillLinkSettings {
  sim::DrillSimConfig drill;
  double time_scale = 1.0;  ///< simulated seconds per host second, (0, 1000]
  bool own_clock = false;   ///< clock=virtual: the link keeps its own time
};

/// Reads the parameters over the defaults. `exercise` is required, and
/// `side` for a one-sided exercise. Throws std::invalid_argument naming the
/// key: unknown (with the known ones), missing, or a value it cannot take;
/// or a set the model cannot run (sim::validate).
DrillLinkSettings drill_link_settings(const DriverOptions& params);

/// The keys drill_link_settings() accepts, in the order the README lists them.
std::vector<std::string> drill_uri_keys();

/// The parameters describe a drill (they name an exercise), not a runner.
bool names_a_drill(const DriverOptions& params);

}  // namespace stridefuse::simulated
