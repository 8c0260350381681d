#pragma once
// Bluetooth SIG Running Speed and Cadence service (0x1814), RSC Measurement
// characteristic (0x2A53), as published in the RSC Service specification 1.0:
//
//   flags u8: bit 0 instantaneous stride length present, bit 1 total distance
//             present, bit 2 walking (0) / running (1); bits 3-7 reserved (ignored)
//   instantaneous speed   u16, 1/256 m/s
//   instantaneous cadence u8,  1/min
//   [instantaneous stride length u16, 1/100 m]   when bit 0
//   [total distance              u32, 1/10 m]    when bit 1
//   all little-endian.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace stridefuse::rsc {

inline constexpr std::uint16_t service_uuid = 0x1814;
inline constexpr std::uint16_t measurement_characteristic = 0x2A53;

struct RscMeasurement {
  double speed_mps = 0.0;
  unsigned cadence_per_min = 0;
  std::optional<double> stride_length_m;
  std::optional<double> total_distance_m;
  bool running = false;
};

/// Nothing when the length does not match the flags.
std::optional<RscMeasurement> decode(std::span<const std::uint8_t> value);

/// Encodes (for emulated sensors and tests); values are rounded to the wire
/// resolution. Throws std::invalid_argument for values outside the field ranges.
std::vector<std::uint8_t> encode(const RscMeasurement& m);

}  // namespace stridefuse::rsc
