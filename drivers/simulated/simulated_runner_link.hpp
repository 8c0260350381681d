#pragma once
// Simulated devices (the simulated runner's, the simulated drills') as the
// SDK sees real ones: a transport that delivers their samples as
// sensor-packet bytes at the moments the host would receive them (bunched
// per BLE connection event, delayed, with lost packets), and the driver that
// decodes those bytes. Nothing bypasses the driver. The transports carry any
// SampleSource (sample_source.hpp).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "drill_uri.hpp"
#include "runner_uri.hpp"
#include "sample_source.hpp"
#include "sensor_packet_driver.hpp"
#include "sensor_packetizer.hpp"
#include "stridefuse/core/driver.hpp"
#include "stridefuse/core/transport.hpp"

namespace stridefuse::simulated {

/// The devices on the host clock: simulated time starts at construction and
/// runs `time_scale` times as fast as the host's monotonic clock; read()
/// waits for the next packet as a device's link would.
class SimulatedLinkTransport final : public Transport {
 public:
  /// `name`: what describe() says. Throws std::invalid_argument for a
  /// time_scale outside (0, 1000].
  SimulatedLinkTransport(std::unique_ptr<SampleSource> source, double time_scale, std::string name);

  /// The source's streams as the host sees them: under a time scale k a
  /// device's ticks and samples come k times as fast per host second, so the
  /// declared tick and sample rates are scaled by k.
  std::vector<StreamDescriptor> streams() const;

  std::string describe() const override { return name_; }
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  /// The simulated devices take no commands; writes are accepted and ignored.
  void write(std::span<const std::uint8_t>) override {}
  /// The smallest link latency of the simulated devices, in host seconds.
  double min_delay_s() const override;

 private:
  double simulated_now_s() const;

  SensorPacketizer packets_;
  double time_scale_;
  std::string name_;
  std::chrono::steady_clock::time_point start_;
  std::vector<std::uint8_t> out_;
  std::size_t out_read_ = 0;
};

/// The devices on a clock of their own (`clock=virtual`): simulated time
/// moves only as the host reads, by `poll_s` until a packet has arrived, and
/// each read is stamped with that time on the session clock (session time 0
/// = simulated time 0). A session driven by such stamps (the runtime's
/// device-time session) runs as fast as the CPU allows and gives the same
/// bytes every time.
class VirtualLinkTransport final : public StampedTransport {
 public:
  /// Throws std::invalid_argument for a poll interval outside (0, 1].
  VirtualLinkTransport(std::unique_ptr<SampleSource> source, std::string name, double poll_s = 0.001);

  std::string describe() const override { return name_ + " (own clock)"; }
  /// Never waits: the next packet's bytes, or part of them. The timeout is not used.
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override;
  void write(std::span<const std::uint8_t>) override {}
  double min_delay_s() const override;
  double last_arrival_s() const override { return now_s_; }
  bool keeps_own_time() const override { return true; }

 private:
  SensorPacketizer packets_;
  std::string name_;
  double poll_s_;
  std::uint64_t polls_ = 0;
  double now_s_ = 0.0;
  std::vector<std::uint8_t> out_;
  std::size_t out_read_ = 0;
};

/// The runner's streams as its transport delivers them under a time scale
/// (rates scaled, see SimulatedLinkTransport::streams()).
std::vector<StreamDescriptor> simulated_streams(const sim::RunnerConfig& config, double time_scale);
/// The same for a simulated drill set.
std::vector<StreamDescriptor> simulated_streams(const sim::DrillSimConfig& config, double time_scale);

/// The transport a `sim:runner?...` or `sim:drill?...` URI opens (path
/// "runner" or "drill"). Throws std::invalid_argument naming a bad
/// parameter, or for another path.
std::unique_ptr<Transport> open_simulated_transport(const DeviceUri& uri);

/// The driver registered as "simulated-runner" (scheme "sim"): decodes the
/// sensor packets of the simulated devices that Driver::configure describes:
/// a drill set when the parameters name an exercise (drill_uri.hpp), the
/// runner otherwise (runner_uri.hpp; its defaults until configured). Its
/// streams follow the configuration, so a replay rebuilds it from the
/// recorded parameters alone.
class SimulatedRunnerDriver final : public Driver {
 public:
  SimulatedRunnerDriver();

  std::string name() const override { return "simulated-runner"; }
  std::vector<StreamDescriptor> streams() const override { return packets_.streams(); }
  void decode(std::span<const std::uint8_t> bytes, SampleBatch& out) override { packets_.decode(bytes, out); }
  DecodeCounters counters() const override { return packets_.counters(); }
  /// Takes the parameters of runner_uri.hpp or drill_uri.hpp. Throws
  /// std::invalid_argument as runner_link_settings() / drill_link_settings().
  void configure(const DriverOptions& options) override;
  /// The runner's speed when it runs on a treadmill (speed_source=treadmill); none for a drill.
  std::optional<double> treadmill_speed_mps() const override;

 private:
  explicit SimulatedRunnerDriver(RunnerLinkSettings settings);
  std::optional<RunnerLinkSettings> runner_;  // empty for a drill
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
