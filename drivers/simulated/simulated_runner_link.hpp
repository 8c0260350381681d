#pragma once
// The simulated runner's devices as the SDK sees real ones: a transport that
// delivers their samples as sensor-packet bytes at the moments the host would
// receive them (bunched per BLE connection event, delayed, with lost packets),
// and the driver that decodes those bytes. Nothing bypasses the driver.

#include <chrono>
#include <memory>
#include <queue>
#include <vector>

#include "runner_uri.hpp"
#include "sensor_packet.hpp"
#include "sensor_packet_driver.hpp"
#include "stridefuse/sim/runner_simulation.hpp"
#include "stridefuse/core/driver.hpp"
#include "stridefuse/core/transport.hpp"

namespace stridefuse::simulated {

class SimulatedRunnerTransport final : public Transport {
 public:
  /// Simulated time starts at construction and runs `time_scale` times as fast
  /// as the host's monotonic clock. Throws std::invalid_argument for a
  /// time_scale outside (0, 1000] or an invalid runner configuration.
  SimulatedRunnerTransport(const sim::RunnerConfig& config, double time_scale = 1.0);

  /// The simulation's streams as the host sees them: under a time scale k a
  /// device's ticks and samples come k times as fast per host second, so the
  /// declared tick and sample rates are scaled by k.
  std::vector<StreamDescriptor> streams() const;
  const sim::RunnerSimulation& simulation() const { return simulation_; }

  std::string describe() const override { return "simulated-runner"; }
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  /// The simulated devices take no commands; writes are accepted and ignored.
  void write(std::span<const std::uint8_t>) override {}
  /// The smallest link latency of the simulated devices, in host seconds.
  double min_delay_s() const override;

 private:
  struct Pending {
    double arrival_s;
    SensorPacket packet;
  };
  struct LaterArrival {
    bool operator()(const Pending& a, const Pending& b) const { return a.arrival_s > b.arrival_s; }
  };
  struct OpenPacket {
    bool open = false;
    double arrival_s = 0.0;
    std::uint64_t next_sample = 0;   ///< sample sequence expected next, to notice lost ones
    std::uint16_t next_packet = 0;   ///< packet sequence number on the wire
    SensorPacket packet;
  };

  double simulated_now_s() const;
  void take(const sim::SimulatedSample& sample);
  void close(std::uint16_t stream);
  void pump(double now_s);

  sim::RunnerSimulation simulation_;
  double time_scale_;
  std::chrono::steady_clock::time_point start_;
  std::vector<OpenPacket> open_;
  std::priority_queue<Pending, std::vector<Pending>, LaterArrival> due_;
  std::vector<std::uint8_t> out_;
  std::size_t out_read_ = 0;
};

/// The runner's streams as its transport delivers them under a time scale
/// (rates scaled, see SimulatedRunnerTransport::streams()).
std::vector<StreamDescriptor> simulated_streams(const sim::RunnerConfig& config, double time_scale);

/// The driver registered as "simulated-runner" (scheme "sim"): decodes the
/// sensor packets of the runner that Driver::configure describes with the
/// parameters of runner_uri.hpp (defaults until then). Its streams follow the
/// configuration, so a replay rebuilds it from the recorded parameters alone.
class SimulatedRunnerDriver final : public Driver {
 public:
  SimulatedRunnerDriver();

  std::string name() const override { return "simulated-runner"; }
  std::vector<StreamDescriptor> streams() const override { return packets_.streams(); }
  void decode(std::span<const std::uint8_t> bytes, SampleBatch& out) override { packets_.decode(bytes, out); }
  DecodeCounters counters() const override { return packets_.counters(); }
  /// Takes the parameters of runner_uri.hpp. Throws std::invalid_argument as runner_link_settings().
  void configure(const DriverOptions& options) override;
  /// The runner's speed when it runs on a treadmill (speed_source=treadmill).
  std::optional<double> treadmill_speed_mps() const override;

  const RunnerLinkSettings& settings() const { return settings_; }

 private:
  explicit SimulatedRunnerDriver(RunnerLinkSettings settings);
  RunnerLinkSettings settings_;
  SensorPacketDriver packets_;
  friend struct SimulatedRunnerDevice open_simulated_runner(const sim::RunnerConfig&, double);
};

/// A transport and its driver, ready for Session::add_device.
struct SimulatedRunnerDevice {
  std::unique_ptr<Transport> transport;
  std::unique_ptr<SimulatedRunnerDriver> driver;
};

/// Opens the simulated runner (what `sim:runner?...` opens). Throws
/// std::invalid_argument for an invalid configuration or time scale.
SimulatedRunnerDevice open_simulated_runner(const sim::RunnerConfig& config, double time_scale = 1.0);

}  // namespace stridefuse::simulated
