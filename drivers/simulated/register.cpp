// The built-in simulated runner and simulated drills as devices like any
// other: the URIs `sim:runner?seed=7&speed_mps=3.5` (runner_uri.hpp) and
// `sim:drill?exercise=bridge&reps=10` (drill_uri.hpp; parameters of both:
// README.md) open their simulated link as the transport and the
// "simulated-runner" driver configured with the same parameters (the
// registry serves a scheme with one driver; it tells a drill by its
// exercise= parameter).
#include "driver_folder.hpp"
#include "simulated/simulated_runner_link.hpp"

STRIDEFUSE_DRIVER_FOLDER(simulated) {
  using namespace stridefuse;
  registry.add("simulated-runner", [] { return std::make_unique<simulated::SimulatedRunnerDriver>(); });
  registry.add_scheme("sim", "simulated-runner", simulated::open_simulated_transport, /*params_configure_driver=*/true);
  // Thirty seconds of quiet standing: the conformance suite needs data, not running.
  registry.add_example_device("simulated-runner", {"sim:runner?standing_s=30", /*streams_unasked=*/true});
}
