#include "simulated_runner_link.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

namespace stridefuse::simulated {

SimulatedRunnerTransport::SimulatedRunnerTransport(const sim::RunnerConfig& config, double time_scale)
    : simulation_(config), time_scale_(time_scale), start_(std::chrono::steady_clock::now()) {
  if (!(time_scale > 0.0) || time_scale > 1000.0)
    throw std::invalid_argument("simulated runner time scale must be in (0, 1000]");
  open_.resize(simulation_.streams().size());
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
  return scaled(simulation_.streams(), time_scale_);
}

std::vector<StreamDescriptor> simulated_streams(const sim::RunnerConfig& config, double time_scale) {
  return scaled(sim::RunnerSimulation(config).streams(), time_scale);
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

double SimulatedRunnerTransport::min_delay_s() const {
  double least = std::numeric_limits<double>::infinity();
  for (const auto& c : simulation_.clock_truth()) least = std::min(least, c.latency_s);
  return std::isfinite(least) ? least / time_scale_ : 0.0;
}

double SimulatedRunnerTransport::simulated_now_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() * time_scale_;
}

void SimulatedRunnerTransport::take(const sim::SimulatedSample& s) {
  OpenPacket& o = open_[s.stream];
  const std::size_t max_samples = (max_payload_bytes - payload_header_bytes) / (4 + 4 * s.channel_count);
  if (o.open && (s.host_arrival_s != o.arrival_s || o.packet.ticks.size() >= max_samples)) close(s.stream);
  if (!o.open) {
    // Samples missing since the last packet went down with a lost connection
    // event: the wire sequence skips one, as a real device's would.
    if (s.sequence != o.next_sample) ++o.next_packet;
    o.open = true;
    o.arrival_s = s.host_arrival_s;
    o.packet = SensorPacket{};
    o.packet.stream = static_cast<std::uint8_t>(s.stream);
    o.packet.sequence = o.next_packet++;
    o.packet.channel_count = s.channel_count;
  }
  o.next_sample = s.sequence + 1;
  o.packet.ticks.push_back(static_cast<std::uint32_t>(s.raw_tick));
  for (std::size_t c = 0; c < s.channel_count; ++c) o.packet.values.push_back(static_cast<float>(s.values[c]));
}

void SimulatedRunnerTransport::close(std::uint16_t stream) {
  OpenPacket& o = open_[stream];
  if (!o.open) return;
  due_.push(Pending{o.arrival_s, std::move(o.packet)});
  o.open = false;
}

void SimulatedRunnerTransport::pump(double now_s) {
  simulation_.advance_to(now_s, [this](const sim::SimulatedSample& s) { take(s); });
  // Every sample taken at or before now_s exists, and a sample arrives no
  // earlier than it was taken: a packet due by now_s can grow no more.
  for (std::uint16_t i = 0; i < open_.size(); ++i)
    if (open_[i].open && open_[i].arrival_s <= now_s) close(i);
  while (!due_.empty() && due_.top().arrival_s <= now_s) {
    append_frame(due_.top().packet, out_);
    due_.pop();
  }
}

std::size_t SimulatedRunnerTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out_read_ == out_.size()) {
    out_.clear();
    out_read_ = 0;
    pump(simulated_now_s());
    if (!out_.empty()) break;
    if (std::chrono::steady_clock::now() >= deadline) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const std::size_t n = std::min(buffer.size(), out_.size() - out_read_);
  std::copy_n(out_.begin() + static_cast<std::ptrdiff_t>(out_read_), n, buffer.begin());
  out_read_ += n;
  return n;
}

SimulatedRunnerDevice open_simulated_runner(const sim::RunnerConfig& config, double time_scale) {
  auto transport = std::make_unique<SimulatedRunnerTransport>(config, time_scale);
  std::unique_ptr<SimulatedRunnerDriver> driver(new SimulatedRunnerDriver(RunnerLinkSettings{config, time_scale}));
  return {std::move(transport), std::move(driver)};
}

}  // namespace stridefuse::simulated
