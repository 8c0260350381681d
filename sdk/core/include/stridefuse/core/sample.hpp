#pragma once
// A sample: one time instant of one stream, as it flows from clock sync
// through merge into fusion. A fixed-size value type so queues never allocate.

#include <array>
#include <cstdint>
#include <span>

namespace stridefuse {

struct Sample {
  /// Largest channel count of any stream: 24 pressure sensors plus a 6-axis IMU, rounded up.
  static constexpr std::size_t max_channels = 32;

  std::uint16_t stream = 0;       ///< index into the session's stream table
  std::uint64_t device_tick = 0;  ///< device counter, unwrapped (monotonic within an epoch)
  double t_s = 0.0;               ///< session time, seconds
  double t_error_s = 0.0;         ///< bound on the error of t_s, seconds (0 when exact)
  std::uint8_t channel_count = 0;
  std::array<double, max_channels> values{};

  std::span<const double> channels() const { return {values.data(), channel_count}; }
};

}  // namespace stridefuse
