#include "simulated_runner_link.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

namespace stridefuse::simulated {

SimulatedRunnerTransport::SimulatedRunnerTransport(const sim::RunnerConfig& config, double time_scale)
    : packets_(config), time_scale_(time_scale), start_(std::chrono::steady_clock::now()) {
  if (!(time_scale > 0.0) || time_scale > 1000.0)
    throw std::invalid_argument("simulated runner time scale must be in (0, 1000]");
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

std::vector<StreamDescriptor> SimulatedRunnerTransport::streams() const {
  return scaled(simulation().streams(), time_scale_);
}

std::vector<StreamDescriptor> simulated_streams(const sim::RunnerConfig& config, double time_scale) {
  return scaled(sim::RunnerSimulation(config).streams(), time_scale);
}

namespace {

// The least latency of the simulated links, simulated seconds.
double least_latency_s(const sim::RunnerSimulation& simulation) {
  double least = std::numeric_limits<double>::infinity();
  for (const auto& c : simulation.clock_truth()) least = std::min(least, c.latency_s);
  return std::isfinite(least) ? least : 0.0;
}

// Copies what `out` holds beyond `read` into `buffer`; returns how much.
std::size_t hand_out(std::vector<std::uint8_t>& out, std::size_t& read, std::span<std::uint8_t> buffer) {
  const std::size_t n = std::min(buffer.size(), out.size() - read);
  std::copy_n(out.begin() + static_cast<std::ptrdiff_t>(read), n, buffer.begin());
  read += n;
  return n;
}

}  // namespace

double SimulatedRunnerTransport::min_delay_s() const { return least_latency_s(simulation()) / time_scale_; }

double SimulatedRunnerTransport::simulated_now_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() * time_scale_;
}

std::size_t SimulatedRunnerTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
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

VirtualRunnerTransport::VirtualRunnerTransport(const sim::RunnerConfig& config, double poll_s)
    : packets_(config), poll_s_(poll_s) {
  if (!(poll_s > 0.0 && poll_s <= 1.0)) throw std::invalid_argument("simulated runner poll interval must be in (0, 1] s");
}

double VirtualRunnerTransport::min_delay_s() const { return least_latency_s(simulation()); }

std::size_t VirtualRunnerTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds) {
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

SimulatedRunnerDriver::SimulatedRunnerDriver() : SimulatedRunnerDriver(RunnerLinkSettings{}) {}

SimulatedRunnerDriver::SimulatedRunnerDriver(RunnerLinkSettings settings)
    : settings_(std::move(settings)),
      packets_("simulated-runner", simulated_streams(settings_.runner, settings_.time_scale)) {}

void SimulatedRunnerDriver::configure(const DriverOptions& options) {
  auto settings = runner_link_settings(options);
  packets_ = SensorPacketDriver("simulated-runner", simulated_streams(settings.runner, settings.time_scale));
  settings_ = std::move(settings);
}

std::optional<double> SimulatedRunnerDriver::treadmill_speed_mps() const {
  if (settings_.runner.speed_source != sim::SpeedSource::treadmill) return std::nullopt;
  return settings_.runner.speed_mps;
}







SimulatedRunnerDevice open_simulated_runner(const sim::RunnerConfig& config, double time_scale) {
  auto transport = std::make_unique<SimulatedRunnerTransport>(config, time_scale);
  std::unique_ptr<SimulatedRunnerDriver> driver(new SimulatedRunnerDriver(RunnerLinkSettings{config, time_scale}));
  return {std::move(transport), std::move(driver)};
}

}  // namespace stridefuse::simulated
