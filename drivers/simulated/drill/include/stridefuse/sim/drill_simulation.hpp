#pragma once
// A simulated drill set (issue 16): an athlete in an exercise's position,
// wearing a pelvis IMU and two insoles (pressure cells and, by default, an
// IMU each), doing reps whose pelvis may turn away on chosen reps. Each
// device has the simulated runner's noise, gyro bias, mounting, clock and
// link (SimulatedStream). Deterministic from the seed; generated
// incrementally like RunnerSimulation, into the same SimulatedSample.
//
//   stridefuse::sim::DrillSimulation sim(config);
//   sim.advance_to(sim.end_s(), [&](const stridefuse::sim::SimulatedSample& s) { ... });
//   for (const auto& rep : sim.reps()) { ... }
//
// The model: the athlete may first stand still and then get into position
// (start_standing_s, transition_s); the pelvis sits in the exercise's posture, turned per rep by
// Ry(hinge + tilt)·Rx(obliquity)·Rz(rotation) in its own frame, each angle the
// rep's amplitude times the segment's envelope; the working foot turns about
// its lateral axis by the range of motion times the envelope and, in the
// standing exercises, lifts off (its load goes to the other foot). A hinge
// exercise may open with a calibration hinge on both feet: the pelvis turns
// as in a rep, the feet stay down and loaded. The IMUs
// read gravity (no linear acceleration: the drills are slow) and the body
// rate, plus noise and bias.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include <Eigen/Geometry>

#include "stridefuse/sim/drill_config.hpp"
#include "stridefuse/sim/drill_truth.hpp"
#include "stridefuse/sim/runner_simulation.hpp"
#include "stridefuse/sim/simulated_stream.hpp"

namespace stridefuse::sim {

class DrillSimulation {
 public:
  // Stream indices when every sensor delivers; with a subset, streams() lists
  // the delivered ones in this order and samples are numbered by that list.
  static constexpr std::uint16_t pelvis_stream = 0;
  static constexpr std::uint16_t left_insole_stream = 1;
  static constexpr std::uint16_t right_insole_stream = 2;

  /// Throws std::invalid_argument naming the parameter out of range.
  explicit DrillSimulation(const DrillSimConfig& config);

  const DrillSimConfig& config() const { return config_; }
  std::vector<StreamDescriptor> streams() const;

  /// As RunnerSimulation::advance_to: every sample taken up to `true_time_s`
  /// not generated yet, in true-time order; lost ones are not emitted.
  void advance_to(double true_time_s, const std::function<void(const SimulatedSample&)>& emit);
  double time_s() const { return time_s_; }
  /// The end of the set: the last rep's end plus end_still_s.
  double end_s() const { return end_s_; }

  /// Every rep of the set, known from the start.
  const std::vector<DrillRepTruth>& reps() const { return reps_; }
  /// The calibration hinge before rep 1 (DrillSimConfig::calibration_hinge), if any.
  const std::optional<DrillRepTruth>& calibration() const { return calibration_; }
  std::vector<ClockTruth> clock_truth() const;
  Eigen::Quaterniond pelvis_mounting() const { return mounting_; }
  Eigen::Vector3d pelvis_gyro_bias_radps() const { return gyro_bias_; }

  /// The pelvis's orientation (pelvis frame to session frame) and each foot's
  /// (foot frame to session frame) at a session time.
  Eigen::Quaterniond pelvis_orientation_at(double t_s) const;
  Eigen::Quaterniond foot_orientation_at(int side, double t_s) const;
  /// Vertical load under a foot, N.
  double foot_load_n(int side, double t_s) const;

 private:
  struct RepAngles {
    double hinge_deg, tilt_deg, obliquity_deg, rotation_deg;
  };
  const DrillRepTruth* rep_at(double t_s) const;
  /// The rep or the calibration hinge moving at t_s, with its amplitudes; empty when at rest.
  std::optional<std::pair<const DrillRepTruth*, const RepAngles*>> movement_at(double t_s) const;
  /// 0 while standing at the start, 1 once in the exercise's position (smoothly between).
  double in_position(double t_s) const;
  void pelvis_sample(double t, SimulatedSample& out, SimulatedStream& s);
  void insole_sample(int side, double t, SimulatedSample& out, SimulatedStream& s);

  DrillSimConfig config_;
  std::vector<DrillRepTruth> reps_;
  std::vector<RepAngles> angles_;  // per rep: the signed amplitudes
  std::optional<DrillRepTruth> calibration_;
  RepAngles calibration_angles_{};
  std::vector<SimulatedStream> streams_;
  std::vector<std::size_t> delivered_;
  std::vector<PressureSensorSite> sites_;
  std::array<std::vector<double>, 2> baseline_kpa_;
  Eigen::Quaterniond posture_;  // the pelvis at rest, pelvis to session frame
  std::array<Eigen::Quaterniond, 2> foot_posture_;
  Eigen::Quaterniond mounting_;
  Eigen::Vector3d gyro_bias_;
  std::array<Eigen::Vector3d, 2> insole_gyro_bias_;
  double end_s_ = 0.0;
  double time_s_ = 0.0;
};

}  // namespace stridefuse::sim
