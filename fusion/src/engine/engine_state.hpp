#pragma once
// The engine's per-stream and per-step state: what an insole contact, a pelvis
// sample, a speed reading and a stream's health carry between samples.

#include <Eigen/Core>
#include <Eigen/Geometry>
#include <boost/circular_buffer.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "stridefuse/fusion/engine.hpp"
#include "stridefuse/fusion/foot_stride_integrator.hpp"
#include "stridefuse/fusion/gait_event_detector.hpp"
#include "stridefuse/fusion/insole_loading.hpp"

namespace stridefuse::fusion::engine {

constexpr double max_step_interval_s = 2.0;  // consecutive ICs further apart are not one step

struct ContactInProgress {
  double t_ic_s = 0.0;
  std::optional<double> previous_ic_s;  // IC of the opposite foot just before this one
  CentreOfPressure cop_ic;
  std::vector<double> cop_t_s, cop_x_mm, cop_load_n;
};

struct CompletedStep {
  Side side = Side::left;
  GroundContact contact;  ///< t_to_s NaN: a pelvis-timed walking step whose final contact was not found
  ContactInProgress info;
  StepSource source = StepSource::insole;
  GaitMode mode = GaitMode::unknown;  ///< the pelvis's finding; insole steps are classified when finalized
};

/// A contact event waiting for the pelvis's decisions when some foot is timed
/// by the pelvis (its contacts come up to decision_delay_s late): the initial
/// contact of `side` at t_s, or a completed contact (ended) at its end.
struct QueuedContact {
  double t_s = 0.0;
  Side side = Side::left;
  std::optional<CompletedStep> ended;
};

struct CopAt {
  double t_s = 0.0;
  CentreOfPressure cop;
  bool past_timing_level = false;  // loaded enough for the centre to be the foot's, not noise
};

struct InsoleState {
  std::size_t stream = 0;
  Side side = Side::left;
  std::size_t pressure_count = 0;  ///< channels before the IMU's: pressures, or force_n, cop_x_pct, cop_y_pct
  InsoleLoadingModel model;
  GaitEventDetector detector;
  std::optional<ContactInProgress> current;
  bool have_previous = false;
  double previous_t_s = 0.0;
  // The last few samples' centres of pressure: a contact is confirmed a few
  // samples after its IC, and the strike index wants the centre at the IC.
  boost::circular_buffer<CopAt> recent_cop{16};
  // The insole's own IMU (channels ax..gz after the pressures), when it has one: a speed source.
  std::optional<FootStrideIntegrator> foot_imu = std::nullopt;
};

struct FootStrideOf {
  Side side = Side::left;
  FootStride stride;
};

struct PelvisRecord {
  double t_s = 0.0;
  Eigen::Quaterniond sensor_to_earth;
  Eigen::Vector3d linear_earth_mps2;
  Eigen::Vector3d accel_mps2;   // sensor frame, as measured
  Eigen::Vector3d omega_radps;  // sensor frame, gyro bias removed
  bool ok = true;
};

struct SpeedRecord {
  double t_s = 0.0;
  double speed_mps = 0.0;
};

struct StreamHealth {
  std::uint64_t samples = 0;
  std::uint64_t invalid = 0;
  std::uint64_t saturated = 0;
  double last_status_s = -std::numeric_limits<double>::infinity();
  double last_sample_s = -std::numeric_limits<double>::infinity();
  bool silent = false;  // reported as not delivering
};

}  // namespace stridefuse::fusion::engine
