#pragma once
// A simulated device's clock and radio link: its counter (offset, drift,
// width, rate) and when each of its samples reaches the host (BLE connection
// events, latency, lost packets). Everything is a pure function of the seed,
// so it does not matter in which pieces a session is generated.

#include <cstdint>
#include <optional>

#include "stridefuse/sim/runner_config.hpp"

namespace stridefuse::sim {

class SimulatedDeviceClock {
 public:
  /// Throws std::invalid_argument naming the field that is out of range.
  SimulatedDeviceClock(const DeviceClockConfig& config, std::uint64_t seed);

  const DeviceClockConfig& config() const { return config_; }

  /// Device clock reading (seconds) at session time `true_s`.
  double device_time_s(double true_s) const;
  /// Session time at which the device clock reads `device_s`.
  double true_time_s(double device_s) const;

  /// The counter as the device sends it: `unwrapped` modulo 2^tick_bits.
  std::uint64_t wrap(std::uint64_t unwrapped) const;

  /// When a sample taken at session time `true_s` reaches the host; nothing
  /// when its packet is lost. On a BLE link samples wait for the next
  /// connection event, so they arrive in bunches.
  std::optional<double> host_arrival_s(double true_s, std::uint64_t sample_index) const;

  /// Phase of the connection events: they happen at phase + n * interval.
  double connection_phase_s() const { return phase_s_; }

 private:
  double uniform(std::uint64_t key, std::uint64_t salt) const;

  DeviceClockConfig config_;
  std::uint64_t seed_;
  double rate_factor_;
  double phase_s_ = 0.0;
};

/// A well-mixed 64-bit hash (SplitMix64 finaliser); deterministic per input.
std::uint64_t mix64(std::uint64_t x);

}  // namespace stridefuse::sim
