#include "stridefuse/sim/simulated_device_clock.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace stridefuse::sim {

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

SimulatedDeviceClock::SimulatedDeviceClock(const DeviceClockConfig& config, std::uint64_t seed)
    : config_(config), seed_(mix64(seed)), rate_factor_(1.0 + config.drift_ppm * 1e-6) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("device clock: " + what); };
  if (!(config.offset_s >= 0.0) || !std::isfinite(config.offset_s)) fail("offset must be a finite number >= 0 s");
  if (!(std::abs(config.drift_ppm) <= 1000.0)) fail("drift must be within +-1000 ppm");
  if (!(config.tick_rate_hz > 0.0) || !std::isfinite(config.tick_rate_hz)) fail("tick rate must be positive");
  if (config.tick_bits < 8 || config.tick_bits > 64) fail("tick counter width must be 8 to 64 bits");
  if (config.connection_interval_s != 0.0 &&
      !(config.connection_interval_s >= 0.0075 && config.connection_interval_s <= 0.05))
    fail("connection interval must be 0 (wired) or 7.5 to 50 ms");
  if (!(config.latency_s >= 0.0) || !(config.latency_jitter_s >= 0.0)) fail("latency and jitter must be >= 0 s");
  if (!(config.packet_loss >= 0.0 && config.packet_loss < 1.0)) fail("packet loss must be in [0, 1)");
  phase_s_ = config.connection_interval_s * uniform(0, 1);
}

double SimulatedDeviceClock::device_time_s(double true_s) const { return config_.offset_s + rate_factor_ * true_s; }

double SimulatedDeviceClock::true_time_s(double device_s) const { return (device_s - config_.offset_s) / rate_factor_; }

std::uint64_t SimulatedDeviceClock::wrap(std::uint64_t unwrapped) const {
  if (config_.tick_bits >= 64) return unwrapped;
  return unwrapped & ((std::uint64_t{1} << config_.tick_bits) - 1);
}

double SimulatedDeviceClock::uniform(std::uint64_t key, std::uint64_t salt) const {
  return static_cast<double>(mix64(seed_ ^ mix64(key * 4 + salt)) >> 11) * 0x1.0p-53;
}

std::optional<double> SimulatedDeviceClock::host_arrival_s(double true_s, std::uint64_t sample_index) const {
  const double ci = config_.connection_interval_s;
  double sent_s = true_s;
  std::uint64_t packet = sample_index;
  if (ci > 0.0) {
    // The sample waits in the device for the next connection event; all
    // samples of one event travel in one packet and share its fate.
    const double n = std::ceil((true_s - phase_s_) / ci);
    packet = static_cast<std::uint64_t>(std::max(n, 0.0));
    sent_s = phase_s_ + static_cast<double>(packet) * ci;
  }
  if (config_.packet_loss > 0.0 && uniform(packet, 2) < config_.packet_loss) return std::nullopt;
  return sent_s + config_.latency_s + config_.latency_jitter_s * uniform(packet, 3);
}

}  // namespace stridefuse::sim
