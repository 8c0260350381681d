#pragma once
// Ground-truth harness for clock sync: a device sampling on its own drifting
// crystal, a tick counter that wraps, BLE-like delivery in bunches at
// connection events, random delays above a minimum, lost frames and a device
// reset. Shared by the clock unit tests and tests/benchmarks/clock_sync_bench.cpp.

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace stridefuse::testing {

struct HarnessConfig {
  std::string name = "default";
  double duration_s = 120.0;
  double sample_rate_hz = 100.0;   ///< device sampling rate, on the device crystal
  double tick_rate_hz = 1000.0;    ///< device counter rate, on the device crystal
  unsigned tick_bits = 32;
  std::uint64_t first_tick = 0;    ///< counter value at connect (set near the top to force wraps)
  double drift_ppm = 150.0;        ///< device rate error at session start (positive: device fast)
  double drift_change_ppm = 0.0;   ///< linear change of the rate error over the session
  double connect_s = 0.5;          ///< host time of the first sample
  double conn_interval_s = 0.030;  ///< BLE connection interval (host clock)
  double min_delay_s = 0.003;      ///< radio + stack latency floor
  double jitter_mean_s = 0.0007;   ///< exponential extra latency per connection event
  double loss = 0.05;              ///< probability that a frame is lost
  double reset_at_s = -1.0;        ///< host time of a device reset (< 0: none)
  double reconnect_gap_s = 0.8;    ///< silence after the reset
  std::uint32_t seed = 1;
};

struct HarnessFrame {
  std::uint64_t raw_tick = 0;
  double arrival_s = 0.0;   ///< host arrival (frames of a bunch share it)
  double true_s = 0.0;      ///< host time at which the device took the sample
  std::uint32_t true_epoch = 0;
  double since_connect_s = 0.0;  ///< true_s minus the (re)connect time of its epoch
};

namespace detail {
// Host time at which the device crystal has counted device_s seconds since
// start, for dtau/dt = 1 + e0 + k (t - start): solve the quadratic by Newton.
inline double host_time_of(double device_s, double start_s, double e0, double k) {
  double t = device_s;  // seconds since start
  for (int i = 0; i < 4; ++i) {
    const double f = t + e0 * t + 0.5 * k * t * t - device_s;
    const double df = 1.0 + e0 + k * t;
    t -= f / df;
  }
  return start_s + t;
}
}  // namespace detail

/// Frames in arrival order.
inline std::vector<HarnessFrame> generate_frames(const HarnessConfig& c) {
  std::mt19937_64 rng(c.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::exponential_distribution<double> jitter(1.0 / c.jitter_mean_s);
  const double e0 = c.drift_ppm * 1e-6;
  const double k = c.drift_change_ppm * 1e-6 / c.duration_s;
  const std::uint64_t mask = c.tick_bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << c.tick_bits) - 1;

  struct Epoch {
    double start_s;
    double end_s;
    std::uint64_t first_tick;
  };
  std::vector<Epoch> epochs;
  if (c.reset_at_s > c.connect_s && c.reset_at_s < c.duration_s) {
    epochs.push_back({c.connect_s, c.reset_at_s, c.first_tick});
    epochs.push_back({c.reset_at_s + c.reconnect_gap_s, c.duration_s, 0});  // counter restarts at 0
  } else {
    epochs.push_back({c.connect_s, c.duration_s, c.first_tick});
  }

  // Connection events on the host clock, with a phase of their own.
  const double event0_s = unit(rng) * c.conn_interval_s;
  auto next_event = [&](double t) {
    return event0_s + std::ceil((t - event0_s) / c.conn_interval_s) * c.conn_interval_s;
  };

  std::vector<HarnessFrame> frames;
  double last_event = -1.0, last_arrival = -1.0;
  for (std::uint32_t e = 0; e < epochs.size(); ++e) {
    const Epoch& ep = epochs[e];
    // The rate error keeps its host-time trend across the reset (same crystal).
    const double e_start = e0 + k * (ep.start_s - c.connect_s);
    const double ticks_per_sample = c.tick_rate_hz / c.sample_rate_hz;
    for (std::uint64_t n = 0;; ++n) {
      const double device_s = static_cast<double>(n) / c.sample_rate_hz;
      const double t = detail::host_time_of(device_s, ep.start_s, e_start, k);
      if (t >= ep.end_s) break;
      if (unit(rng) < c.loss) continue;
      const double ticks = std::floor(static_cast<double>(n) * ticks_per_sample + 1e-6);
      HarnessFrame f;
      f.raw_tick = (ep.first_tick + static_cast<std::uint64_t>(ticks)) & mask;
      f.true_s = t;
      f.true_epoch = e;
      f.since_connect_s = t - ep.start_s;
      const double event = next_event(t);
      if (event != last_event) {
        last_event = event;
        last_arrival = std::max(last_arrival, event + c.min_delay_s + jitter(rng));
      }
      f.arrival_s = last_arrival;
      frames.push_back(f);
    }
  }
  return frames;
}

}  // namespace stridefuse::testing
