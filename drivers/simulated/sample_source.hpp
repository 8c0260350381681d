#pragma once
// What the simulated link carries: a simulation of body-worn devices that
// produces samples with their host arrival times (sim::SimulatedSample). The
// simulated runner and the simulated drills are both one; the packetizer and
// the transports (simulated_runner_link.hpp) work on this interface only.

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "stridefuse/core/stream.hpp"
#include "stridefuse/sim/drill_simulation.hpp"
#include "stridefuse/sim/runner_simulation.hpp"

namespace stridefuse::simulated {

class SampleSource {
 public:
  virtual ~SampleSource() = default;
  virtual std::vector<StreamDescriptor> streams() const = 0;
  /// As RunnerSimulation::advance_to: every sample taken up to t_s, in order.
  virtual void advance_to(double t_s, const std::function<void(const sim::SimulatedSample&)>& emit) = 0;
  /// The least latency of the devices' links, simulated seconds.
  virtual double least_latency_s() const = 0;
};

/// A simulation (RunnerSimulation, DrillSimulation) as a SampleSource.
template <class Simulation, class ConfigT>
class SimulationSource final : public SampleSource {
 public:
  using Config = ConfigT;
  /// Throws std::invalid_argument for an invalid configuration.
  explicit SimulationSource(const ConfigT& config) : simulation_(config) {}

  std::vector<StreamDescriptor> streams() const override { return simulation_.streams(); }
  void advance_to(double t_s, const std::function<void(const sim::SimulatedSample&)>& emit) override {
    simulation_.advance_to(t_s, emit);
  }
  double least_latency_s() const override {
    double least = std::numeric_limits<double>::infinity();
    for (const auto& c : simulation_.clock_truth()) least = std::min(least, c.latency_s);
    return std::isfinite(least) ? least : 0.0;
  }
  const Simulation& simulation() const { return simulation_; }

 private:
  Simulation simulation_;
};

using RunnerSource = SimulationSource<sim::RunnerSimulation, sim::RunnerConfig>;
using DrillSource = SimulationSource<sim::DrillSimulation, sim::DrillSimConfig>;

}  // namespace stridefuse::simulated
