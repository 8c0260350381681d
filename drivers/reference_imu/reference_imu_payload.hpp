#pragma once
// The open reference pelvis IMU's BLE payloads (PAYLOAD.md in this folder).

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stridefuse/core/sample.hpp"
#include "stridefuse/core/stream.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::reference_imu {

inline constexpr std::uint16_t service_uuid = 0xFF20;
inline constexpr std::uint16_t measurement_characteristic = 0xFF21;
inline constexpr std::uint16_t control_characteristic = 0xFF22;
inline constexpr std::uint8_t control_start = 0x01;
inline constexpr std::uint8_t control_stop = 0x00;
inline constexpr const char* name_prefix = "SFP-IMU";

inline constexpr double tick_rate_hz = 1.0e6;  // microsecond counter
inline constexpr unsigned tick_bits = 32;
inline constexpr double sample_rate_hz = 200.0;
inline constexpr std::uint8_t format_version = 1;
inline constexpr std::size_t max_payload_bytes = 244;
inline constexpr double accel_lsb_mps2 = standard_gravity_mps2 / 2048.0;  // +-16 g
inline constexpr double gyro_lsb_radps = pi / 180.0 / 16.4;               // +-2000 deg/s
inline constexpr double mag_lsb_ut = 0.1;

struct ImuSample {
  std::uint32_t tick = 0;
  std::array<double, 9> values{};  ///< ax,ay,az (m/s^2), gx,gy,gz (rad/s), mx,my,mz (uT; sent only with has_magnetometer)
};

struct MeasurementPacket {
  bool has_magnetometer = false;
  std::vector<ImuSample> samples;
};

std::size_t max_samples(bool has_magnetometer);

/// Throws std::invalid_argument for 0 or too many samples; values are rounded and clamped.
std::vector<std::uint8_t> encode(const MeasurementPacket& packet);

/// Decodes a value whose magnetometer flag is `with_magnetometer`, writing
/// each sample's channels (ax..gz[, mx..mz]) straight into the Sample that
/// `add_sample(tick)` returns. False, before adding anything, for a malformed
/// value or one with the other flag. Never reads past `payload`.
bool decode_into(std::span<const std::uint8_t> payload, bool with_magnetometer,
                 const std::function<Sample&(std::uint32_t tick)>& add_sample);

/// Nothing for a malformed value. Never reads past `payload`.
std::optional<MeasurementPacket> decode(std::span<const std::uint8_t> payload);

/// The stream the IMU declares: "pelvis_imu", at the pelvis.
StreamDescriptor stream(bool with_magnetometer);

}  // namespace stridefuse::reference_imu
