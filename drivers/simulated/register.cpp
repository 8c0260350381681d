// The built-in simulated runner as a device like any other: the URI
// `sim:runner?seed=7&speed_mps=3.5` (parameters: README.md, runner_uri.hpp)
// opens its simulated link as the transport and the "simulated-runner" driver
// configured with the same parameters.
#include "driver_folder.hpp"
#include "simulated/simulated_runner_link.hpp"

STRIDEFUSE_DRIVER_FOLDER(simulated) {
  using namespace stridefuse;
  registry.add("simulated-runner", [] { return std::make_unique<simulated::SimulatedRunnerDriver>(); });
  registry.add_scheme("sim", "simulated-runner", [](const DeviceUri& uri) -> std::unique_ptr<Transport> {
    if (uri.path != "runner")
      throw std::invalid_argument("sim:" + uri.path + " is not a simulated device (there is sim:runner)");
    const auto settings = simulated::runner_link_settings(uri.params);
    if (settings.own_clock) {
      if (settings.time_scale != 1.0) throw std::invalid_argument("simulated runner: clock=virtual runs unscaled");
      return std::make_unique<simulated::VirtualRunnerTransport>(settings.runner);
    }
    return std::make_unique<simulated::SimulatedRunnerTransport>(settings.runner, settings.time_scale);
  }, /*params_configure_driver=*/true);
  // Thirty seconds of quiet standing: the conformance suite needs data, not running.
  registry.add_example_device("simulated-runner", {"sim:runner?standing_s=30", /*streams_unasked=*/true});
}
