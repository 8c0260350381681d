#pragma once
// The open reference insole's BLE payloads (PAYLOAD.md in this folder):
// advertised name, sensor layout, and the measurement notification.

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

namespace stridefuse::reference_insole {

inline constexpr std::uint16_t service_uuid = 0xFF10;
inline constexpr std::uint16_t measurement_characteristic = 0xFF11;
inline constexpr std::uint16_t control_characteristic = 0xFF12;
inline constexpr std::uint8_t control_start = 0x01;
inline constexpr std::uint8_t control_stop = 0x00;

inline constexpr std::size_t site_count = 12;
inline constexpr double tick_rate_hz = 1000.0;
inline constexpr unsigned tick_bits = 16;
inline constexpr double sample_rate_hz = 100.0;
inline constexpr std::uint8_t format_version = 1;
inline constexpr std::size_t max_payload_bytes = 244;  // one notification at the largest BLE 4.2+ ATT MTU of 247
inline constexpr double pressure_lsb_kpa = 0.1;
inline constexpr double accel_lsb_mps2 = standard_gravity_mps2 / 2048.0;  // +-16 g full scale
inline constexpr double gyro_lsb_radps = pi / 180.0 / 16.4;  // +-2000 deg/s full scale

struct InsoleSample {
  std::uint16_t tick = 0;
  std::array<double, site_count> pressure_kpa{};
  std::array<double, 6> imu{};  ///< ax,ay,az (m/s^2), gx,gy,gz (rad/s); sent only when the packet has_imu
};

struct MeasurementPacket {
  bool has_imu = false;
  std::vector<InsoleSample> samples;
};

/// Samples that fit one notification.
std::size_t max_samples(bool has_imu);

/// Encodes a notification value. Values are rounded to the wire resolution and
/// clamped to its range. Throws std::invalid_argument for 0 or too many samples.
std::vector<std::uint8_t> encode(const MeasurementPacket& packet);

/// Decodes a value for a stream declared `with_imu` or without, writing each
/// sample's channels (p0..p11 in kPa, then ax..gz with the IMU) straight into
/// the Sample that `add_sample(tick)` returns. A value with the IMU fields
/// decodes for a stream without them too: its pressures are delivered and
/// its IMU fields skipped. False, before adding anything, for a malformed
/// value (wrong version, flags, count or length) or one without the IMU
/// fields for a stream `with_imu`. Never reads past `payload`.
bool decode_into(std::span<const std::uint8_t> payload, bool with_imu,
                 const std::function<Sample&(std::uint16_t tick)>& add_sample);

/// Decodes a notification value; nothing for a malformed one (wrong version,
/// count or length). Never reads past `payload`.
std::optional<MeasurementPacket> decode(std::span<const std::uint8_t> payload);

/// What the advertised name "SFI-<L|R>-<length mm>" says, e.g. "SFI-L-270".
struct InsoleIdentity {
  Side side = Side::left;
  double length_mm = 0.0;
};
/// Nothing when the name is not a reference insole's or the length is outside 180..340 mm.
std::optional<InsoleIdentity> parse_advertised_name(const std::string& name);
std::string advertised_name(const InsoleIdentity& identity);

/// The insole's 12 sites for its side and length (foot frame of fusion/FRAMES.md).
InsoleLayout layout(const InsoleIdentity& identity);

/// The stream the insole declares: "left_insole"/"right_insole", 12 pressures (+ IMU).
StreamDescriptor stream(const InsoleIdentity& identity, bool with_imu);

}  // namespace stridefuse::reference_insole
