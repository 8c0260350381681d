#pragma once
// Stream descriptors: what a driver declares about each data stream it
// produces, so that clock sync, merge and fusion never need to know the device.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stridefuse {

/// What a stream measures. Decides which channel layout it must have.
enum class StreamKind : std::uint8_t {
  insole_pressure,  ///< channels p0..pN in kPa, optionally followed by ax..gz of an insole IMU
  imu,              ///< channels ax,ay,az (m/s^2), gx,gy,gz (rad/s), optionally mx,my,mz (uT)
  speed,            ///< one channel speed_mps (m/s)
};

/// Which foot an insole belongs to.
enum class Side : std::uint8_t { left, right };

/// Where a body-worn stream sits. The fusion engine uses it to pick the pelvis IMU.
enum class BodyLocation : std::uint8_t { pelvis, left_foot, right_foot, other };

/// One pressure sensor of an insole, in the foot frame of fusion/FRAMES.md:
/// origin at the heel end of the long axis, x toward the toe, y to the foot's left.
struct PressureSensorSite {
  double x_mm = 0.0;
  double y_mm = 0.0;
  double area_mm2 = 0.0;
};

/// Geometry of an insole: one site per pressure channel, in channel order.
/// An insole that reports its own total force and centre of pressure instead
/// (a commercial export without its cell positions) has no sites; its length
/// may then be 0: not known.
struct InsoleLayout {
  Side side = Side::left;
  double length_mm = 0.0;
  std::vector<PressureSensorSite> sensors;

  /// True for an insole that reports force and centre of pressure (no sites).
  bool reports_force() const { return sensors.empty(); }
};

/// One channel of a stream: its name (as in the CSV header), its unit, and
/// the full scale the device declares for it.
struct ChannelDescriptor {
  ChannelDescriptor() = default;
  // A constructor rather than an aggregate, so that {name, unit} stays the way to
  // write a channel without a full scale (no warning for the missing member).
  ChannelDescriptor(std::string name_, std::string unit_, std::optional<double> full_scale_ = std::nullopt)
      : name(std::move(name_)), unit(std::move(unit_)), full_scale(full_scale_) {}

  std::string name;
  std::string unit;
  /// The largest magnitude the device can report on this channel, in `unit`
  /// (e.g. 32767 x 1/2048 g for an i16 accelerometer of +-16 g; 6553.5 kPa
  /// for a u16 pressure in 0.1 kPa). A reading whose magnitude reaches it is
  /// saturated: the device's ceiling, not the body's. Declare the smaller of
  /// the two extremes of an asymmetric range, so both ends are caught.
  /// Absent when the device does not say (a CSV file, an export): the
  /// channel is then never taken as saturated, as nothing tells its ceiling
  /// from a peak.
  std::optional<double> full_scale;
};

/// Everything downstream stages need to know about a stream.
struct StreamDescriptor {
  std::string id;                      ///< unique within a session, e.g. "left_insole"
  StreamKind kind = StreamKind::imu;
  BodyLocation location = BodyLocation::other;
  double nominal_rate_hz = 0.0;
  std::vector<ChannelDescriptor> channels;
  std::optional<InsoleLayout> insole;  ///< present exactly when kind == insole_pressure
  double tick_rate_hz = 0.0;           ///< device counter rate
  unsigned tick_bits = 32;             ///< counter width: it wraps at 2^tick_bits
  /// The stream's ticks are its bridge's reception ticks (a sensor behind a
  /// bridge without a clock of its own, e.g. an RSC footpod): its two clock
  /// levels then count one counter, whose wraps are reported once.
  bool bridge_ticks = false;
};

/// Channel layout of a pelvis/insole IMU, in the order the CSV and drivers use.
std::vector<ChannelDescriptor> imu_channels(bool with_magnetometer);

/// Channel layout of an insole: p0..p{n-1} in kPa, then ax..gz when it has an IMU.
std::vector<ChannelDescriptor> insole_channels(std::size_t pressure_count, bool with_imu);

/// Channel layout of an insole with this layout: its pressures as above, or
/// for an insole that reports force (InsoleLayout::reports_force): force_n (N),
/// cop_x_pct (centre of pressure along the insole, % of its length from the
/// heel) and cop_y_pct (across it, % of its width from the long axis, as the
/// device gives the sign); then ax..gz when it has an IMU.
std::vector<ChannelDescriptor> insole_channels(const InsoleLayout& layout, bool with_imu);

/// Number of channels insole_channels(layout, with_imu) gives.
std::size_t insole_channel_count(const InsoleLayout& layout, bool with_imu);

/// Sets the full scale of channels [first, first + 3) to `accel` and of the
/// next three to `gyro` (an IMU's ax..gz; ChannelDescriptor::full_scale).
/// Throws std::invalid_argument when there are not six channels from `first`.
void declare_imu_full_scale(std::vector<ChannelDescriptor>& channels, std::size_t first, double accel, double gyro);

/// Checks a descriptor for internal consistency (channel count within
/// Sample::max_channels, insole layout matching the pressure channels, positive
/// rates, positive full scales). Throws std::invalid_argument naming the problem.
void validate(const StreamDescriptor& stream);

const char* to_string(StreamKind kind);
const char* to_string(Side side);

}  // namespace stridefuse
