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

/// Sensor-to-body mounting R = Rz(yaw) Ry(pitch) Rx(roll), degrees (PelvisImuConfig).
Eigen::Quaterniond mounting_from(const std::array<double, 3>& roll_pitch_yaw_deg);

}  // namespace stridefuse::sim
