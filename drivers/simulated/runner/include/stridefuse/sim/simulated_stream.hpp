#pragma once
// One simulated device stream's bookkeeping, shared by the simulated runner
// and the simulated drills: its descriptor, its clock and link
// (SimulatedDeviceClock), the numbering of its samples and its noise
// generator. Sample values are the model's business; when a sample is taken,
// what its device clock reads and whether and when it reaches the host are
// this class's.

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <Eigen/Geometry>

#include "stridefuse/core/stream.hpp"
#include "stridefuse/sim/ground_truth.hpp"
#include "stridefuse/sim/simulated_device_clock.hpp"

namespace stridefuse::sim {

struct SimulatedSample;

struct SimulatedStream {
  SimulatedStream(StreamDescriptor d, const DeviceClockConfig& c, std::uint64_t seed);

  /// Device counter of sample `index`, never wrapping.
  std::uint64_t unwrapped_tick(std::uint64_t index) const;
  /// Session time of the next sample the device takes.
  double next_time_s() const;
  /// Takes the next sample: numbers it and fills its clock fields (values are left to the model).
  void take(SimulatedSample& out);
  /// After the model filled the values: sets the host arrival, or marks the
  /// sample lost (channel_count 0) when its packet does not arrive.
  void deliver(SimulatedSample& out);
  /// The clock's true parameters and what the link did so far.
  ClockTruth clock_truth() const;
  /// A standard normal draw from this stream's own generator.
  double gaussian() { return normal(rng); }

  StreamDescriptor descriptor;
  SimulatedDeviceClock clock;
  std::uint64_t first_tick = 0;
  std::uint64_t next_index = 0;
  std::uint64_t lost = 0;
  std::uint64_t last_unwrapped = 0;
  std::mt19937_64 rng;
  std::normal_distribution<double> normal{0.0, 1.0};
};

/// The full scale a simulated sensor that clips at `range` declares: its
/// readings travel as f32 (SensorPacket), which may round the range itself
/// down, so the largest f32 not above it.
double full_scale_of(double range);

/// A 6-axis IMU's channels with the full scales of this noise model.
std::vector<ChannelDescriptor> imu_channels_of(const ImuNoiseConfig& noise);

/// An insole's channels (pressures, then ax..gz with_imu) with the full scales of this insole model.
std::vector<ChannelDescriptor> insole_channels_of(const InsoleConfig& config, std::size_t sites);

/// A device stream's descriptor: its rates and counter from its clock.
StreamDescriptor device_stream(std::string id, StreamKind kind, BodyLocation where, double rate_hz,
                               std::vector<ChannelDescriptor> channels, const DeviceClockConfig& clock);

/// The worn sensors every simulation has, in this order: the pelvis IMU
/// ("pelvis_imu"), the left and the right insole, each stream seeded from
/// `seed` as the simulated runner seeds them.
template <class Stream>
void add_worn_streams(std::vector<Stream>& out, const PelvisImuConfig& pelvis, const InsoleConfig& insoles,
                      const std::vector<PressureSensorSite>& sites, std::uint64_t seed) {
  out.emplace_back(device_stream("pelvis_imu", StreamKind::imu, BodyLocation::pelvis, pelvis.rate_hz,
                                 imu_channels_of(pelvis.noise), pelvis.clock),
                   pelvis.clock, mix64(seed) ^ 0x100);
  for (int side = 0; side < 2; ++side) {
    const bool left = side == 0;
    const auto& clock = left ? insoles.left_clock : insoles.right_clock;
    StreamDescriptor d = device_stream(left ? "left_insole" : "right_insole", StreamKind::insole_pressure,
                                       left ? BodyLocation::left_foot : BodyLocation::right_foot, insoles.rate_hz,
                                       insole_channels_of(insoles, sites.size()), clock);
    d.insole = InsoleLayout{left ? Side::left : Side::right, insoles.foot_length_mm, sites};
    out.emplace_back(std::move(d), clock, mix64(seed) ^ (0x200 + static_cast<std::uint64_t>(side)));
  }
}

/// Sensor-to-body mounting R = Rz(yaw) Ry(pitch) Rx(roll), degrees (PelvisImuConfig).
Eigen::Quaterniond mounting_from(const std::array<double, 3>& roll_pitch_yaw_deg);

}  // namespace stridefuse::sim
