#include "simulated_runner_link.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

namespace stridefuse::simulated {

SimulatedLinkTransport::SimulatedLinkTransport(std::unique_ptr<SampleSource> source, double time_scale,
                                               std::string name)
    : packets_(std::move(source)), time_scale_(time_scale), name_(std::move(name)),
      start_(std::chrono::steady_clock::now()) {
  if (!(time_scale > 0.0) || time_scale > 1000.0)
    throw std::invalid_argument(name_ + " time scale must be in (0, 1000]");
}

namespace {

// Under a time scale k a device's ticks and samples come k times as fast per host second.
std::vector<StreamDescriptor> scaled(std::vector<StreamDescriptor> streams, double time_scale) {
  for (auto& s : streams) {
    s.tick_rate_hz *= time_scale;
    s.nominal_rate_hz *= time_scale;
  }
  return streams;
}

}  // namespace

std::vector<StreamDescriptor> SimulatedLinkTransport::streams() const {
  return scaled(packets_.source().streams(), time_scale_);
}

std::vector<StreamDescriptor> simulated_streams(const sim::RunnerConfig& config, double time_scale) {
  return scaled(sim::RunnerSimulation(config).streams(), time_scale);
}

std::vector<StreamDescriptor> simulated_streams(const sim::DrillSimConfig& config, double time_scale) {
  return scaled(sim::DrillSimulation(config).streams(), time_scale);
}

namespace {

// Copies what `out` holds beyond `read` into `buffer`; returns how much.
std::size_t hand_out(std::vector<std::uint8_t>& out, std::size_t& read, std::span<std::uint8_t> buffer) {
  const std::size_t n = std::min(buffer.size(), out.size() - read);
  std::copy_n(out.begin() + static_cast<std::ptrdiff_t>(read), n, buffer.begin());
  read += n;
  return n;
}

}  // namespace

double SimulatedLinkTransport::min_delay_s() const { return packets_.source().least_latency_s() / time_scale_; }

double SimulatedLinkTransport::simulated_now_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() * time_scale_;
}

std::size_t SimulatedLinkTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out_read_ == out_.size()) {
    out_.clear();
    out_read_ = 0;
    packets_.pump(simulated_now_s(), out_);
    if (!out_.empty()) break;
    if (std::chrono::steady_clock::now() >= deadline) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return hand_out(out_, out_read_, buffer);
}

VirtualLinkTransport::VirtualLinkTransport(std::unique_ptr<SampleSource> source, std::string name, double poll_s)
    : packets_(std::move(source)), name_(std::move(name)), poll_s_(poll_s) {
  if (!(poll_s > 0.0 && poll_s <= 1.0)) throw std::invalid_argument(name_ + " poll interval must be in (0, 1] s");
}

double VirtualLinkTransport::min_delay_s() const { return packets_.source().least_latency_s(); }

std::size_t VirtualLinkTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds) {
  if (out_read_ == out_.size()) {
    out_.clear();
    out_read_ = 0;
    // A host polling every poll_s: the read returns at the first poll after a packet arrived.
    while (out_.empty()) {
      now_s_ = static_cast<double>(++polls_) * poll_s_;
      packets_.pump(now_s_, out_);
    }
  }
  return hand_out(out_, out_read_, buffer);
}

namespace {

// A simulation's link on the host clock, or on its own (clock=virtual, unscaled).
template <class Source, class Settings>
std::unique_ptr<Transport> open_link(const Settings& settings, const typename Source::Config& config,
                                     const std::string& name, const std::string& device) {
  if (!settings.own_clock)
    return std::make_unique<SimulatedLinkTransport>(std::make_unique<Source>(config), settings.time_scale, name);
  if (settings.time_scale != 1.0) throw std::invalid_argument(device + ": clock=virtual runs unscaled");
  return std::make_unique<VirtualLinkTransport>(std::make_unique<Source>(config), name);
}

}  // namespace

std::unique_ptr<Transport> open_simulated_transport(const DeviceUri& uri) {
  if (uri.path == "runner") {
    const auto settings = runner_link_settings(uri.params);
    return open_link<RunnerSource>(settings, settings.runner, "simulated-runner", "simulated runner");
  }
  if (uri.path == "drill") {
    const auto settings = drill_link_settings(uri.params);
    return open_link<DrillSource>(settings, settings.drill, "simulated-drill", "sim:drill");
  }
  throw std::invalid_argument("sim:" + uri.path + " is not a simulated device (there are sim:runner and sim:drill)");
}

SimulatedRunnerDriver::SimulatedRunnerDriver() : SimulatedRunnerDriver(RunnerLinkSettings{}) {}

SimulatedRunnerDriver::SimulatedRunnerDriver(RunnerLinkSettings settings)
    : runner_(std::move(settings)),
      packets_("simulated-runner", simulated_streams(runner_->runner, runner_->time_scale)) {}

void SimulatedRunnerDriver::configure(const DriverOptions& options) {
  if (names_a_drill(options)) {
    const auto drill = drill_link_settings(options);
    packets_ = SensorPacketDriver("simulated-runner", simulated_streams(drill.drill, drill.time_scale));
    runner_.reset();
    return;
  }
  auto settings = runner_link_settings(options);
  packets_ = SensorPacketDriver("simulated-runner", simulated_streams(settings.runner, settings.time_scale));
  runner_ = std::move(settings);
}

std::optional<double> SimulatedRunnerDriver::treadmill_speed_mps() const {
  if (!runner_ || runner_->runner.speed_source != sim::SpeedSource::treadmill) return std::nullopt;
  return runner_->runner.speed_mps;
}

SimulatedRunnerDevice open_simulated_runner(const sim::RunnerConfig& config, double time_scale) {
  auto transport =
      std::make_unique<SimulatedLinkTransport>(std::make_unique<RunnerSource>(config), time_scale, "simulated-runner");
  std::unique_ptr<SimulatedRunnerDriver> driver(new SimulatedRunnerDriver(RunnerLinkSettings{config, time_scale}));
  return {std::move(transport), std::move(driver)};
}

}  // namespace stridefuse::simulated
