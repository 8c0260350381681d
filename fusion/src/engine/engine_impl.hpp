#pragma once
// Engine::Impl, the engine's state and its stages. Its member functions are
// defined across this folder, one file per stage:
//   engine.cpp             stream setup (the constructor) and the public Engine
//   stream_health.cpp      degraded and silent streams reported as status events
//   sample_dispatch.cpp    push: checks a sample and hands it to its stream's stage
//   insole_contacts.cpp    insole samples to contacts; pending steps released by ICs
//   speed_sources.cpp      a step's mean speed and the speed sources' precedence
//   pelvis_tracking.cpp    pelvis attitude, its history, and what it teaches the calibrations
//   step_assembly.cpp      a completed contact to a StepEvent and the form-drift alerts
//   step_pelvis_metrics.cpp  the step's pelvis and foot-strike metrics
//   contact_timing.cpp     which sensor times each foot; contacts from the pelvis, and the order of
//                          contact events when some foot is timed by the pelvis

#include <Eigen/Core>
#include <Eigen/Geometry>
#include <array>
#include <boost/circular_buffer.hpp>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine_state.hpp"
#include "heading_tracker.hpp"
#include "stridefuse/fusion/attitude_estimator.hpp"
#include "stridefuse/fusion/drill_tracker.hpp"
#include "stridefuse/fusion/engine.hpp"
#include "stridefuse/fusion/finding_tracker.hpp"
#include "stridefuse/fusion/form_drift.hpp"
#include "stridefuse/fusion/lever_arm_estimator.hpp"
#include "stridefuse/fusion/metric_support.hpp"
#include "stridefuse/fusion/mounting_calibration.hpp"
#include "stridefuse/fusion/pelvis_angles.hpp"
#include "stridefuse/fusion/pelvis_step_detector.hpp"

namespace stridefuse::fusion {

struct Engine::Impl {
  using ContactInProgress = engine::ContactInProgress;
  using CompletedStep = engine::CompletedStep;
  using CopAt = engine::CopAt;
  using InsoleState = engine::InsoleState;
  using FootStrideOf = engine::FootStrideOf;
  using PelvisRecord = engine::PelvisRecord;
  using SpeedRecord = engine::SpeedRecord;
  using StreamHealth = engine::StreamHealth;
  using HeadingTracker = engine::HeadingTracker;
  using QueuedContact = engine::QueuedContact;

  EngineConfig config;
  EventCallback on_event;
  std::vector<StreamDescriptor> streams;
  std::vector<StreamHealth> health;
  std::uint64_t late = 0;
  double last_t_s = -std::numeric_limits<double>::infinity();

  std::vector<InsoleState> insoles;
  std::optional<std::size_t> insole_of_side[2];

  std::optional<std::size_t> pelvis_stream;
  AttitudeEstimator attitude;
  MountingCalibration calibration;
  LeverArmEstimator lever_arm;
  boost::circular_buffer<PelvisRecord> pelvis_history;
  bool have_pelvis_previous = false;
  double pelvis_previous_t_s = 0.0;
  std::array<std::optional<double>, 6> pelvis_full_scale{};  // ax..gz as the stream declares them; none: never saturated
  double pelvis_period_s = 0.01;
  HeadingTracker heading;
  double last_attitude_event_s = -std::numeric_limits<double>::infinity();

  std::optional<std::size_t> speed_stream;
  boost::circular_buffer<SpeedRecord> speed_history;
  bool have_foot_imu = false;
  boost::circular_buffer<FootStrideOf> foot_strides{16};

  std::deque<CompletedStep> pending;
  struct LastIc {
    double t_s;
    Side side;
  };
  std::optional<LastIc> last_ic;
  std::uint32_t step_count = 0;

  // Steps from the pelvis alone, for a foot without a usable insole.
  std::optional<PelvisStepDetector> pelvis_steps;
  std::array<bool, 2> pelvis_timed{};  // which feet the pelvis times (left, right)
  bool contacts_queued = false;  // some foot is timed by the pelvis: contact events wait in contact_queue
  std::deque<QueuedContact> contact_queue;
  std::optional<double> last_ic_of[2];  // latest initial contact of each foot, any source
  // Per foot, queued contacts: its latest initial contact and the other foot's just before it.
  std::pair<double, std::optional<double>> opposite_before[2];
  std::vector<MetricSupport> support;   // what the live streams give (reported when it changes)
  std::optional<double> previous_ic_of[2];  // initial contact of each foot's last finalized step

  FormDriftMonitor drop_drift, strike_distance_drift, tilt_drift;
  std::optional<FindingTracker> findings;  // EngineConfig::findings
  // EngineConfig::drill: every sample goes to the drill tracker instead of the running stages.
  std::unique_ptr<DrillTracker> drill;
  double last_step_ic_s = std::numeric_limits<double>::quiet_NaN();

  double first_sample_s = std::numeric_limits<double>::quiet_NaN();
  double last_silence_check_s = -std::numeric_limits<double>::infinity();

  /// Throws std::invalid_argument on a bad configuration or stream set (see Engine's constructor).
  Impl(std::vector<StreamDescriptor> s, EngineConfig c, EventCallback cb);
  static bool has_insoles_in(const std::vector<StreamDescriptor>& s);

  // stream_health.cpp
  void report_degraded(std::size_t stream, double t_s, const std::string& what);
  void report_state(std::size_t stream, double t_s, DeviceState state, const std::string& message,
                    std::vector<MetricSupport> metrics = {});
  void report_change(std::size_t stream, double t_s, DeviceState state, const std::string& message);
  void check_silent_streams(double now_s);

  // sample_dispatch.cpp
  void push(const Sample& s);

  // insole_contacts.cpp
  void on_insole(InsoleState& ins, const Sample& s);
  void on_foot_imu(InsoleState& ins, const Sample& s);
  void on_initial_contact(Side side, double t_ic_s);
  void on_contact_ended(CompletedStep step);
  void flush_overdue(double now_s);

  // contact_timing.cpp
  bool insole_live(Side side) const;
  bool pelvis_live() const;
  bool pelvis_times(Side side) const { return !insole_live(side) && pelvis_live(); }
  bool has_step_source(Side side) const { return insole_live(side) || pelvis_live(); }
  /// Why a step has no next contact of the other foot: missed, or nothing
  /// times that foot now (its insole lost or absent and no pelvis).
  AbsentReason no_step_end_reason(Side other) const {
    return has_step_source(other) ? AbsentReason::not_detected : no_contacts_of(other);
  }
  void contact_ic(Side side, double t_ic_s);
  void contact_ended(CompletedStep step);
  void feed_pelvis_steps(double t_s, const Eigen::Vector3d& linear, const Eigen::Vector3d& rate, bool ok);
  void queue_pelvis_contacts(const std::vector<PelvisContact>& contacts);
  void advance_contacts(double now_s, bool final = false);
  void update_timing(double t_s);
  std::vector<MetricSupport> live_support() const;

  // speed_sources.cpp
  std::variant<double, AbsentReason> mean_speed(double from_s, double to_s) const;
  std::variant<double, AbsentReason> source_speed(double from_s, double to_s) const;
  double speed_relative_sd() const;
  std::variant<double, AbsentReason> foot_stride_speed(double to_s) const;

  // pelvis_tracking.cpp
  void on_pelvis(const Sample& s);
  PelvisAngles angles_of(const Eigen::Quaterniond& sensor_to_earth) const;
  std::variant<std::pair<std::size_t, std::size_t>, AbsentReason> pelvis_span(double from_s, double to_s) const;
  void feed_braking_window(const CompletedStep& step);
  Eigen::Vector3d angular_acceleration_at(std::size_t i) const;
  Eigen::Vector3d com_linear_acceleration_at(std::size_t i, const std::optional<Eigen::Vector3d>& arm) const;
  void feed_flight(double t_to_s, double next_ic_s);

  // step_assembly.cpp
  void finalize(CompletedStep& step, std::optional<LastIc> next_ic);
  GaitMode gait_mode_of(const CompletedStep& step, std::optional<double> step_end) const;
  void finish();
  // step_assembly.cpp: the findings a step started or ended (or all that go on, at the end).
  void emit_findings(std::vector<FindingChange> changes, double t_s);

  // step_pelvis_metrics.cpp
  void pelvis_metrics(const CompletedStep& step, std::optional<double> step_end, StepEvent& e);
  static double cop_x_at_ic_mm(const CompletedStep& step);
};

}  // namespace stridefuse::fusion
