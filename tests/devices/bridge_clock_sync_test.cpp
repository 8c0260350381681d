// Clock sync of sensors behind a bridge, end to end: the bridge emulator's
// bytes, delivered as a USB-serial adapter delivers them (flushed every 16 ms),
// through the bridge driver and a session's device reader, whose sample times
// are compared with the emulated sensors' true sampling times. The bridge's
// reception stamps separate the BLE delay from the USB one; without them
// (synced as if direct) both add up in one envelope.
//
// Time is virtual (the transport stamps its reads), so the run is exact and
// fast; the emulator's clock is the session clock.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <iostream>
#include <random>
#include <thread>

#include "bridge/emulator/bridge_emulator.hpp"
#include "bridge/emulator/runner_sensors.hpp"
#include "bridge/open_bridge.hpp"
#include "stridefuse/drivers/builtin_drivers.hpp"
#include "session/device_reader.hpp"
#include "session/device_timeline.hpp"
#include "stridefuse/sim/simulated_device_clock.hpp"
#include "stridefuse/runtime/session_recording.hpp"

namespace {

using namespace stridefuse;
using namespace stridefuse::bridge;

// A CDC-ACM bridge behind a USB-serial adapter whose latency timer flushes
// every 16 ms: bytes reach the host in bunches, a little after the flush.
class BunchingUsbBridge final : public StampedTransport {
 public:
  static constexpr double flush_interval_s = 0.016;
  static constexpr double usb_min_delay_s = 0.0005;

  BunchingUsbBridge(BridgeEmulator emulator, std::uint64_t seed) : emulator_(std::move(emulator)), rng_(seed) {}

  std::string describe() const override { return "emulated bridge over a bunching USB-serial link"; }
  double min_delay_s() const override { return usb_min_delay_s; }
  double last_arrival_s() const override { return arrival_s_; }

  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) override {
    if (pending_.empty()) {
      flush_s_ += flush_interval_s;
      emulator_.advance(flush_s_);
      const auto out = emulator_.take_output();
      pending_.assign(out.begin(), out.end());
      // Host scheduling adds a little, now and then a lot.
      arrival_s_ = std::max(arrival_s_, flush_s_ + usb_min_delay_s + jitter_(rng_));
      if (pending_.empty()) {
        // The handshake waits in real time: let it pass without spinning.
        std::this_thread::sleep_for(std::min(timeout, std::chrono::milliseconds(1)));
        return 0;
      }
    }
    const std::size_t n = std::min(buffer.size(), pending_.size());
    std::copy_n(pending_.begin(), n, buffer.begin());
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
    return n;
  }

  void write(std::span<const std::uint8_t> bytes) override { emulator_.receive(bytes); }

  double now_s() const { return flush_s_; }

 private:
  BridgeEmulator emulator_;
  std::mt19937_64 rng_;
  std::exponential_distribution<double> jitter_{1.0 / 0.0005};
  std::deque<std::uint8_t> pending_;
  double flush_s_ = 0.0;
  double arrival_s_ = 0.0;
};

// The bridge driver with its reception stamps hidden: what clock sync did
// before bridges had their own clock (sensor tick against host arrival).
class AsIfDirect final : public Driver {
 public:
  explicit AsIfDirect(std::unique_ptr<Driver> inner) : inner_(std::move(inner)) {}
  std::string name() const override { return inner_->name(); }
  std::vector<StreamDescriptor> streams() const override { return inner_->streams(); }
  void decode(std::span<const std::uint8_t> bytes, SampleBatch& out) override {
    const std::size_t first = out.size();
    inner_->decode(bytes, out);
    for (std::size_t i = first; i < out.size(); ++i) out[i].has_bridge_tick = false;
  }
  DecodeCounters counters() const override { return inner_->counters(); }
  void start(Transport& transport) override { inner_->start(transport); }
  void stop(Transport& transport) noexcept override { inner_->stop(transport); }

 private:
  std::unique_ptr<Driver> inner_;
};

struct SyncErrors {
  std::size_t samples = 0;          // at least 3 s after the stream's first sample
  std::size_t outside_bound = 0;
  double rms_s = 0.0;
  double max_s = 0.0;
  double median_bound_s = 0.0;
};

sim::RunnerConfig runner_config() {
  sim::RunnerConfig c;
  c.seed = 41;
  c.standing_s = 1.0;
  // Connection intervals that are no simple multiple of the sample periods
  // (sdk/core/src/clock/README.md, "Phase locking"), and no fixed BLE latency: the
  // sensor link's floor is configuration no one-way method can measure.
  c.pelvis.clock.connection_interval_s = 0.01875;
  c.insoles.left_clock.connection_interval_s = 0.03125;
  c.insoles.right_clock.connection_interval_s = 0.04875;
  for (auto* clock : {&c.pelvis.clock, &c.insoles.left_clock, &c.insoles.right_clock}) {
    clock->latency_s = 0.0;
    clock->packet_loss = 0.02;
  }
  return c;
}

// Runs `seconds` of a session through the device reader and scores every
// sample's session time against the simulator's truth, per stream.
std::vector<SyncErrors> run_and_score(bool use_bridge_clock, double seconds) {
  auto sensors = std::make_unique<RunnerSensors>(runner_config());
  const RunnerSensors* truth = sensors.get();
  BridgeEmulatorConfig bridge_config;
  bridge_config.tick_drift_ppm = -90.0;
  auto transport = std::make_unique<BunchingUsbBridge>(BridgeEmulator(std::move(sensors), bridge_config), 7);
  BunchingUsbBridge* usb = transport.get();
  DriverRegistry registry;
  register_builtin_drivers(registry);
  std::unique_ptr<Driver> driver =
      open_bridge(*transport, registry, {std::chrono::milliseconds(20), std::chrono::milliseconds(1000), {}});
  if (!use_bridge_clock) driver = std::make_unique<AsIfDirect>(std::move(driver));

  const SessionClock clock;  // unused: the transport stamps every read
  detail::DeviceReader reader(std::move(transport), std::move(driver), 0, clock, 1 << 16);
  std::vector<std::string> ids;
  for (const auto& s : reader.streams()) ids.push_back(s.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"pelvis_imu", "left_insole", "right_insole"}));

  std::vector<SyncErrors> out(ids.size());
  std::vector<std::vector<double>> bounds(ids.size());
  std::vector<double> first_s(ids.size(), -1.0);
  const double end_s = usb->now_s() + seconds;
  EXPECT_TRUE(reader.begin());
  detail::DeviceTimeline timeline(reader, reader.transport().min_delay_s());
  while (usb->now_s() < end_s) {
    reader.step();
    while (const Sample* mapped = timeline.next()) {
      const Sample& s = *mapped;
      const auto& sim_clock = truth->simulation().device_clock(s.stream);
      const auto& d = reader.streams()[s.stream];
      // The reader's unwrapped tick starts at the first raw tick; the
      // simulator's counts from its own origin: they differ by whole periods.
      const double period_ticks = std::ldexp(1.0, static_cast<int>(d.tick_bits));
      const double expected_tick = sim_clock.device_time_s(s.t_s) * d.tick_rate_hz;
      const double wraps = std::round((expected_tick - static_cast<double>(s.device_tick)) / period_ticks);
      const double true_s =
          sim_clock.true_time_s((static_cast<double>(s.device_tick) + wraps * period_ticks) / d.tick_rate_hz);
      if (first_s[s.stream] < 0.0) first_s[s.stream] = s.t_s;
      if (s.t_s - first_s[s.stream] < 3.0) continue;
      auto& e = out[s.stream];
      const double err = std::abs(s.t_s - true_s);
      ++e.samples;
      e.rms_s += err * err;
      e.max_s = std::max(e.max_s, err);
      if (err > s.t_error_s) ++e.outside_bound;
      bounds[s.stream].push_back(s.t_error_s);
    }
  }
  reader.request_stop();
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto& e = out[i];
    if (e.samples == 0) continue;
    e.rms_s = std::sqrt(e.rms_s / static_cast<double>(e.samples));
    auto& b = bounds[i];
    std::nth_element(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(b.size() / 2), b.end());
    e.median_bound_s = b[b.size() / 2];
  }
  const auto stats = reader.stats();
  EXPECT_EQ(stats.decode.malformed, 0u);
  EXPECT_EQ(stats.queue_overflows, 0u);
  return out;
}

TEST(BridgeClockSync, SessionTimesOfBridgedSensorsFollowTheTruthWithinTheirBound) {
  constexpr double seconds = 40.0;
  const auto bridged = run_and_score(true, seconds);
  const auto direct = run_and_score(false, seconds);
  const char* names[] = {"pelvis_imu", "left_insole", "right_insole"};
  for (std::size_t i = 0; i < bridged.size(); ++i) {
    const auto& b = bridged[i];
    const auto& d = direct[i];
    std::cout << names[i] << ": bridged RMS " << b.rms_s * 1e3 << " ms, max " << b.max_s * 1e3 << " ms, median bound "
              << b.median_bound_s * 1e3 << " ms, outside bound " << b.outside_bound << "/" << b.samples
              << " | as if direct RMS " << d.rms_s * 1e3 << " ms, max " << d.max_s * 1e3 << " ms, outside bound "
              << d.outside_bound << "/" << d.samples << "\n";
    SCOPED_TRACE(names[i]);
    ASSERT_GT(b.samples, 3000u);
    if (i == 0) {
      // 200 Hz against an 18.75 ms connection interval: the wait from the last
      // sample to the connection event takes four values 1.25 ms apart and
      // sweeps slowly (README "Phase locking"), so the floor, and with it the
      // bound, is off by up to a phase step for a while. Measured: 229 of 7236.
      EXPECT_LT(b.outside_bound, b.samples / 20);
    } else {
      EXPECT_EQ(b.outside_bound, 0u);
    }
    EXPECT_LT(b.rms_s, 1.5e-3);
    EXPECT_LT(b.max_s, 3e-3);
    EXPECT_LT(b.rms_s, d.rms_s / 1.5) << "the bridge's stamps take its USB bunching out of the envelope";
    EXPECT_LT(b.max_s, d.max_s);
  }
}

}  // namespace
