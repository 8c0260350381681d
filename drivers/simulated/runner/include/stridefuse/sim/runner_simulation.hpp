#pragma once
// The simulated runner: a spring-mass runner with a moving pelvis, wearing a
// pelvis IMU and two pressure insoles (and optionally a speed source), each
// device with its own drifting, wrapping clock and a bunching, lossy link.
// Deterministic from the seed. Generated incrementally: call advance_to()
// with growing times, in pieces of any size; the result does not depend on
// the pieces. Ground truth (steps, angles, clocks) comes with it.
//
//   stridefuse::sim::RunnerSimulation sim(config);
//   auto streams = sim.streams();
//   sim.advance_to(60.0, [&](const stridefuse::sim::SimulatedSample& s) { ... });
//   for (const auto& step : sim.completed_steps()) { ... }

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include <Eigen/Geometry>

#include "stridefuse/sim/ground_truth.hpp"
#include "stridefuse/sim/runner_config.hpp"
#include "stridefuse/core/sample.hpp"
#include "stridefuse/core/stream.hpp"

namespace stridefuse::sim {

class GaitTimeline;
class SimulatedDeviceClock;

/// One sample as a simulated device took it, with when the host got it and the truth behind it.
struct SimulatedSample {
  std::uint16_t stream = 0;           ///< index into RunnerSimulation::streams()
  std::uint64_t sequence = 0;         ///< sample number within its stream (lost ones count too)
  double true_time_s = 0.0;           ///< session time at which the device sampled
  double device_time_s = 0.0;         ///< the device clock at that instant (= unwrapped_tick / tick rate)
  std::uint64_t unwrapped_tick = 0;   ///< device counter, never wrapping
  std::uint64_t raw_tick = 0;         ///< device counter as sent: wraps at 2^tick_bits
  double host_arrival_s = 0.0;        ///< session time at which the host receives it (>= true_time_s)
  std::uint8_t channel_count = 0;
  std::array<double, Sample::max_channels> values{};
  SampleTruth truth;

  std::span<const double> channels() const { return {values.data(), channel_count}; }
};

class RunnerSimulation {
 public:
  // Stream indices when every sensor delivers (RunnerConfig::sensors, the
  // default). With a subset, streams() lists the delivered ones in this order
  // and samples are numbered by that list.
  static constexpr std::uint16_t pelvis_stream = 0;
  static constexpr std::uint16_t left_insole_stream = 1;
  static constexpr std::uint16_t right_insole_stream = 2;
  static constexpr std::uint16_t speed_stream = 3;  ///< present only with SpeedSource::stream

  /// Throws std::invalid_argument naming the parameter when the configuration
  /// is out of range or admits no running stride.
  explicit RunnerSimulation(const RunnerConfig& config);
  ~RunnerSimulation();
  RunnerSimulation(RunnerSimulation&&) noexcept;
  RunnerSimulation& operator=(RunnerSimulation&&) noexcept;

  const RunnerConfig& config() const { return config_; }

  /// Pelvis IMU, left insole, right insole (those RunnerConfig::sensors
  /// names), then the speed stream when there is one.
  std::vector<StreamDescriptor> streams() const;

  /// Generates every sample taken up to session time `true_time_s` that has
  /// not been generated yet, in order of true time (ties: stream order), and
  /// calls `emit` for each one that reaches the host. Lost samples are not
  /// emitted; they are counted in clock_truth(). Earlier times than already
  /// reached do nothing. Throws std::invalid_argument for a non-finite time.
  void advance_to(double true_time_s, const std::function<void(const SimulatedSample&)>& emit);

  /// Session time generated up to.
  double time_s() const { return time_s_; }

  /// Steps whose next initial contact is at or before time_s(): complete, with every metric.
  std::vector<StepTruth> completed_steps() const;

  /// True clock parameters and link counters of each stream, in stream order.
  std::vector<ClockTruth> clock_truth() const;

  /// The clock of a stream (device time of a session time and back). Throws std::out_of_range.
  const SimulatedDeviceClock& device_clock(std::uint16_t stream) const;

  /// Sensor-to-pelvis mounting rotation of the pelvis IMU.
  Eigen::Quaterniond pelvis_mounting() const { return mounting_; }
  /// The constant gyro bias drawn for the pelvis IMU, sensor axes, rad/s.
  Eigen::Vector3d pelvis_gyro_bias_radps() const { return gyro_bias_; }
  /// Session time of the first initial contact (end of quiet standing).
  double running_start_s() const;

 private:
  struct StreamState;

  double next_time_s(const StreamState& s) const;
  void generate(StreamState& s, SimulatedSample& out);
  void pelvis_sample(double t, SimulatedSample& out, StreamState& s);
  void insole_sample(int side, double t, SimulatedSample& out, StreamState& s);
  void insole_imu(int side, double t, double impact_scale, SimulatedSample& out, StreamState& s);
  void speed_sample(double t, SimulatedSample& out, StreamState& s);

  RunnerConfig config_;
  std::unique_ptr<GaitTimeline> timeline_;
  std::vector<StreamState> states_;  // every sensor the runner wears; the delivered ones in delivered_
  std::vector<std::size_t> delivered_;
  std::vector<PressureSensorSite> sites_;
  Eigen::Quaterniond mounting_;
  Eigen::Vector3d lever_arm_m_;
  Eigen::Vector3d gyro_bias_;
  std::array<Eigen::Vector3d, 2> insole_gyro_bias_;
  double time_s_ = 0.0;
};

}  // namespace stridefuse::sim
