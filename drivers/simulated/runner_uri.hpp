#pragma once
// The parameters of a `sim:runner?...` URI (and of the simulated runner
// driver's Driver::configure): a RunnerConfig field per key, named as the field
// with its unit, plus the time scale of the simulated link. drivers/simulated/README.md
// lists them.

#include <string>
#include <vector>

#include "stridefuse/core/device_uri.hpp"
#include "stridefuse/sim/runner_config.hpp"

namespace stridefuse::simulated {

struct RunnerLinkSettings {
  sim::RunnerConfig runner;
  double time_scale = 1.0;     ///< simulated seconds per host second, (0, 1000]
  bool own_clock = false;      ///< clock=virtual: the link keeps its own time (VirtualRunnerTransport)
};

/// Reads the parameters over the defaults. Throws std::invalid_argument naming
/// an unknown key (and the known ones), a value that is not a number of the
/// key's kind, or a runner the model cannot run (sim::validate).
RunnerLinkSettings runner_link_settings(const DriverOptions& params);

/// The keys runner_link_settings() accepts, in the order the README lists them.
std::vector<std::string> runner_uri_keys();

}  // namespace stridefuse::simulated
