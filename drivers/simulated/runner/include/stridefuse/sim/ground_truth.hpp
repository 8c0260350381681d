#pragma once
// What the simulated runner really did: the reference an accuracy test or
// benchmark compares the fusion engine's output with. Times are session
// (true) time in seconds; the recording writer converts them to a device clock.

#include <cstdint>
#include <string>

#include "stridefuse/core/events.hpp"
#include "stridefuse/core/stream.hpp"

namespace stridefuse::sim {

/// One step, with every metric of fusion/METRICS.md / steps.csv, computed from
/// the model itself (centre of mass, not the pelvis sensor). Per-step metrics
/// that need the next initial contact (flight time, cadence, step length,
/// vertical oscillation) use the interval from this IC to the next (opposite) IC.
struct StepTruth {
  Side side = Side::left;
  std::uint32_t index = 0;  ///< step number in the session, both feet counted
  double t_ic_s = 0.0;
  double t_to_s = 0.0;
  double t_next_ic_s = 0.0;
  double contact_time_s = 0.0;
  double flight_time_s = 0.0;
  double cadence_spm = 0.0;
  double strike_index_pct = 0.0;  ///< CoP at IC, % of foot length from the heel
  StrikePattern strike_pattern = StrikePattern::unknown;
  double foot_strike_distance_m = 0.0;  ///< CoP minus CoM along X at IC
  double braking_time_s = 0.0;          ///< IC to the CoM passing over the CoP (horizontal force turns positive)
  double step_length_m = 0.0;           ///< CoM forward travel from this IC to the next
  double tilt_ic_deg = 0.0;
  double obliquity_ic_deg = 0.0;
  double rotation_ic_deg = 0.0;
  double pelvic_drop_deg = 0.0;         ///< fusion/FRAMES.md definition, from the true pelvis angles
  double vertical_oscillation_m = 0.0;  ///< CoM peak-to-peak height from this IC to the next
  double peak_vertical_force_bw = 0.0;  ///< largest vertical ground force in stance, body weights
  double speed_mps = 0.0;               ///< step length / step time
  GaitMode gait_mode = GaitMode::running;  ///< walking: flight_time_s is negative (double support)
};

/// The true parameters of one device clock, and what its link did.
struct ClockTruth {
  std::string stream_id;
  double offset_s = 0.0;   ///< device clock reading at session time 0
  double drift_ppm = 0.0;  ///< device time = offset + (1 + drift * 1e-6) * session time
  double tick_rate_hz = 0.0;
  unsigned tick_bits = 0;
  double connection_interval_s = 0.0;
  double connection_phase_s = 0.0;
  double latency_s = 0.0;
  double packet_loss = 0.0;
  std::uint64_t samples_generated = 0;  ///< samples the device took so far
  std::uint64_t samples_lost = 0;       ///< of which never reached the host
  std::uint64_t wraps = 0;              ///< times the counter wrapped so far
};

/// Per-sample truth, filled according to the sample's stream.
struct SampleTruth {
  PelvisAngles pelvis_angles;        ///< pelvis stream: true pelvic angles (relative to neutral)
  Quaternion sensor_orientation;     ///< pelvis IMU and insole IMU: sensor frame to session frame
  double vertical_force_n = 0.0;     ///< insole streams: true normal force under this foot
  double cop_x_mm = 0.0;             ///< insole streams: true CoP, foot frame (valid when loaded)
  double cop_y_mm = 0.0;
  double speed_mps = 0.0;            ///< speed stream: true current stride speed
};

}  // namespace stridefuse::sim
