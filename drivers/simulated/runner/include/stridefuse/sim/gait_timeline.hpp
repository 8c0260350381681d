#pragma once
// The runner's whole-body motion over session time: quiet standing, then a
// sequence of spring-mass strides built on demand (so a session of any length
// is generated incrementally), with the pelvis moving on top of it. Answers
// "where is the body and what does the ground push at time t" for the sensors.

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include <Eigen/Core>

#include "stridefuse/sim/foot_motion.hpp"
#include "stridefuse/sim/ground_truth.hpp"
#include "stridefuse/sim/pelvis_motion.hpp"
#include "stridefuse/sim/runner_config.hpp"
#include "stridefuse/sim/spring_mass_stride.hpp"
#include "stridefuse/sim/walking_stride.hpp"

namespace stridefuse::sim {

/// Load under one foot.
struct FootLoad {
  double normal_force_n = 0.0;
  double cop_x_mm = 0.0;  ///< foot frame of fusion/FRAMES.md
  double cop_y_mm = 0.0;
};

/// The body at one instant, session frame (X forward, Y left, Z up).
struct BodyState {
  Eigen::Vector3d com_position_m = Eigen::Vector3d::Zero();
  Eigen::Vector3d com_velocity_mps = Eigen::Vector3d::Zero();
  Eigen::Vector3d ground_force_n = Eigen::Vector3d::Zero();  ///< total ground reaction force on the body
  std::array<FootLoad, 2> feet;                              ///< [0] left, [1] right
  double stride_speed_mps = 0.0;                             ///< mean speed of the current step (0 standing)
  double time_since_ic_s = -1.0;                             ///< since the last initial contact; < 0 standing
  double impact_scale = 0.0;                                 ///< 1 rearfoot, less for midfoot/forefoot
};

class GaitTimeline {
 public:
  /// Throws std::invalid_argument when the configuration admits no running stride.
  explicit GaitTimeline(const RunnerConfig& config);

  /// Builds strides until the motion is known up to `t_s` (and a little beyond).
  void extend_to(double t_s);

  /// Motion at `t_s`; the motion must have been extended that far. Before the
  /// first step (and at negative times) the runner stands still.
  BodyState body_at(double t_s) const;
  PelvisAngles pelvis_angles_at(double t_s) const;

  /// Pose of a foot (0 left, 1 right) at `t_s`. Needs the motion built up to
  /// that foot's next contact: extend_to(t_s + 1) is enough.
  FootPose foot_pose_at(int side, double t_s) const;

  /// Time since that foot's last initial contact (< 0 when it has not landed yet).
  double time_since_foot_contact_s(int side, double t_s) const;

  /// Before running the left foot leaves the ground this long before its first contact.
  static constexpr double first_lift_s = 0.25;

  /// Drops the stored trajectories of steps that ended before `t_s` (their truth stays).
  void forget_before(double t_s);

  /// Truth of every step built so far, in order.
  const std::vector<StepTruth>& steps() const { return truth_; }

  double running_start_s() const { return running_start_s_; }

 private:
  struct StepRecord {
    PelvisStep pelvis;
    std::shared_ptr<const StanceTrajectory> stance;  ///< running steps
    std::shared_ptr<const WalkingStep> walk;         ///< walking steps (then stance is null)
    double x_ic_m = 0.0;
    double strike_x_mm = 0.0;
    double cop_travel_m = 0.0;
    double lateral_sign = 1.0;  ///< +1: the foot's lateral side is +y (left foot)
    double impact_scale = 0.0;
    double speed_mps = 0.0;
    double heel_x_m = 0.0;  ///< heel of the landing foot, session X, once flat
  };

  const StepRecord* step_at(double t_s) const;
  FootGeometry foot_geometry(int side) const;
  double heel_x_m(const StepRecord& r) const;
  FootPose stance_pose(const StepRecord& r, double t_s) const;
  void add_stride();
  void add_walking_stride();
  StepTruth timing_truth_of(const StepRecord& step, std::uint32_t index) const;
  StepTruth truth_of(const StepRecord& step, std::uint32_t index) const;
  StepTruth walking_truth_of(const StepRecord& step, std::uint32_t index) const;
  BodyState walking_body_at(const StepRecord& r, double t_s) const;
  bool walking_at(double t_s) const { return t_s < running_start_s_ + config_.walking_s; }

  RunnerConfig config_;
  SpringMassStrideSolver solver_;
  std::shared_ptr<const WalkingStep> walking_step_;
  std::deque<StepRecord> records_;
  std::vector<StepTruth> truth_;
  double running_start_s_ = 0.0;
  double next_ic_s_ = 0.0;
  double next_x_m_ = 0.0;
  double standing_height_m_ = 0.0;
};

/// Time from IC to the instant the horizontal ground force turns from braking
/// to propulsion (the CoM passing over the CoP); 0 when it never does.
double braking_time_s(const StanceTrajectory& stance);

}  // namespace stridefuse::sim
