#pragma once
// A sample: one time instant of one stream. The one value type a measurement
// travels in from the driver that decodes it to the engine that uses it: a
// driver writes its values into a Sample of a SampleBatch once
// (sample_batch.hpp); clock sync then sets its session time in place; the
// merge releases it, in time order, to the engine by reference. Fixed-size, so
// that the batches a device reader reuses never allocate.

#include <array>
#include <cstdint>
#include <span>
#ifdef STRIDEFUSE_COUNT_SAMPLE_COPIES
#include <atomic>
#include <cstring>
#endif

namespace stridefuse {

struct Sample {
  /// Largest channel count of any stream: 24 pressure sensors plus a 6-axis IMU, rounded up.
  static constexpr std::size_t max_channels = 32;

  /// The stream: the driver's own index (Driver::streams()) as decoded, the
  /// session's stream table index once the device reader has taken it.
  std::uint16_t stream = 0;
  std::uint8_t channel_count = 0;
  /// Set by a bridge driver: bridge_tick holds the bridge's counter when the
  /// packet that carried this sample reached the bridge (raw, wrapping as
  /// Driver::bridge_clock() says). Clock sync then maps sensor -> bridge ->
  /// host (BridgedClock), so the bridge's own delivery delays do not add to
  /// the sensor link's. False for a device connected directly.
  bool has_bridge_tick = false;
  /// The device's counter: as sent (wrapping at 2^tick_bits) until clock sync,
  /// unwrapped (monotonic within a clock epoch) after it.
  std::uint64_t device_tick = 0;
  std::uint64_t bridge_tick = 0;  ///< see has_bridge_tick
  double t_s = 0.0;               ///< session time, seconds (set by clock sync)
  double t_error_s = 0.0;         ///< bound on the error of t_s, seconds (0 when exact)
  /// Session time at which the bytes carrying this sample reached the host
  /// (the transport read returned them), seconds; set with t_s by the live
  /// session's clock sync, 0 where no read brought it (offline analysis).
  double arrival_s = 0.0;
  std::array<double, max_channels> values{};  ///< the first channel_count are the stream's channels

  std::span<const double> channels() const { return {values.data(), channel_count}; }
  std::span<double> channels() { return {values.data(), channel_count}; }

#ifdef STRIDEFUSE_COUNT_SAMPLE_COPIES
  // A measuring build only (CMake option STRIDEFUSE_COUNT_SAMPLE_COPIES, for
  // tests/benchmarks/live_path_bench): every copy of a sample is counted.
  Sample() = default;
  Sample(const Sample& other) noexcept { copy_from(other); }
  Sample& operator=(const Sample& other) noexcept {
    copy_from(other);
    return *this;
  }
  static std::atomic<std::uint64_t>& copies() {
    static std::atomic<std::uint64_t> count{0};
    return count;
  }

 private:
  void copy_from(const Sample& other) noexcept {
    std::memcpy(static_cast<void*>(this), &other, sizeof(Sample));
    copies().fetch_add(1, std::memory_order_relaxed);
  }
#endif
};

}  // namespace stridefuse
