#include "stridefuse/sim/runner_simulation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "stridefuse/sim/foot_motion.hpp"
#include "stridefuse/sim/gait_timeline.hpp"
#include "stridefuse/sim/insole_model.hpp"
#include "stridefuse/sim/simulated_device_clock.hpp"
#include "stridefuse/sim/simulated_stream.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::sim {
namespace {

constexpr double derivative_step_s = 2e-3;  // central second difference of the sensor's lever arm
constexpr double rate_step_s = 1e-4;        // central difference of the orientation: the gyro

Quaternion to_quaternion(const Eigen::Quaterniond& q) { return Quaternion{q.w(), q.x(), q.y(), q.z()}; }

double clip(double v, double range) { return std::clamp(v, -range, range); }

}  // namespace

// A stream's clock, numbering and noise (SimulatedStream), and what only the runner's insoles need.
struct RunnerSimulation::StreamState : SimulatedStream {
  using SimulatedStream::SimulatedStream;
  std::vector<double> baseline_kpa;  // insoles: each sensor's unloaded offset
};

RunnerSimulation::RunnerSimulation(const RunnerConfig& config) : config_(config) {
  validate(config_);
  timeline_ = std::make_unique<GaitTimeline>(config_);
  sites_ = config_.insoles.sensors.empty()
               ? default_insole_sites(config_.insoles.sensor_count, config_.insoles.foot_length_mm)
               : config_.insoles.sensors;
  mounting_ = mounting_from(config_.pelvis.mount_roll_pitch_yaw_deg);
  lever_arm_m_ = {config_.pelvis.lever_arm_m[0], config_.pelvis.lever_arm_m[1], config_.pelvis.lever_arm_m[2]};

  const std::uint64_t seed = config_.seed;
  add_worn_streams(states_, config_.pelvis, config_.insoles, sites_, seed);
  if (config_.speed_source == SpeedSource::stream)
    states_.emplace_back(device_stream("speed", StreamKind::speed, BodyLocation::other, config_.speed_stream.rate_hz,
                                       {{"speed_mps", "m/s"}}, config_.speed_stream.clock),
                         config_.speed_stream.clock, mix64(seed) ^ 0x400);
  for (const auto& s : states_) validate(s.descriptor);
  const bool wanted[] = {config_.sensors.pelvis, config_.sensors.left_insole, config_.sensors.right_insole, true};
  for (std::size_t i = 0; i < states_.size(); ++i)
    if (wanted[i]) delivered_.push_back(i);

  // Per-device constants drawn once from the seed.
  std::mt19937_64 setup(mix64(seed ^ 0xC0FFEE));
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  gyro_bias_ = config_.pelvis.noise.gyro_bias_radps * Eigen::Vector3d(unit(setup), unit(setup), unit(setup));
  for (int side = 0; side < 2; ++side) {
    auto& b = states_[left_insole_stream + side].baseline_kpa;
    for (std::size_t i = 0; i < sites_.size(); ++i) b.push_back(config_.insoles.baseline_kpa * (1.0 + unit(setup)));
  }
  for (auto& bias : insole_gyro_bias_)
    bias = config_.insoles.imu_noise.gyro_bias_radps * Eigen::Vector3d(unit(setup), unit(setup), unit(setup));
}

RunnerSimulation::~RunnerSimulation() = default;
RunnerSimulation::RunnerSimulation(RunnerSimulation&&) noexcept = default;
RunnerSimulation& RunnerSimulation::operator=(RunnerSimulation&&) noexcept = default;

std::vector<StreamDescriptor> RunnerSimulation::streams() const {
  std::vector<StreamDescriptor> out;
  for (const std::size_t i : delivered_) out.push_back(states_[i].descriptor);
  return out;
}

double RunnerSimulation::running_start_s() const { return timeline_->running_start_s(); }

const SimulatedDeviceClock& RunnerSimulation::device_clock(std::uint16_t stream) const {
  if (stream >= delivered_.size())
    throw std::out_of_range("simulated runner has no stream " + std::to_string(stream));
  return states_[delivered_[stream]].clock;
}

double RunnerSimulation::next_time_s(const StreamState& s) const { return s.next_time_s(); }

void RunnerSimulation::advance_to(double true_time_s, const std::function<void(const SimulatedSample&)>& emit) {
  if (!std::isfinite(true_time_s)) throw std::invalid_argument("advance_to: time must be finite");
  SimulatedSample sample;
  for (;;) {
    StreamState* next = nullptr;
    double next_t = 0.0;
    for (const std::size_t i : delivered_) {
      auto& s = states_[i];
      const double t = next_time_s(s);
      if (!next || t < next_t) {
        next = &s;
        next_t = t;
      }
    }
    if (next_t > true_time_s) break;
    generate(*next, sample);
    if (sample.channel_count > 0) emit(sample);
    // Keep only the stride trajectories the next samples can still need.
    if (next->next_index % 256 == 0) timeline_->forget_before(next_t - 1.0);
  }
  time_s_ = std::max(time_s_, true_time_s);
}

void RunnerSimulation::generate(StreamState& s, SimulatedSample& out) {
  s.take(out);
  const auto internal = static_cast<std::size_t>(&s - states_.data());
  out.stream = static_cast<std::uint16_t>(std::find(delivered_.begin(), delivered_.end(), internal) - delivered_.begin());
  const double t = out.true_time_s;
  // The insole IMU's swing runs to the foot's next contact, up to two steps ahead.
  timeline_->extend_to(t + (config_.insoles.with_imu ? 1.0 : 2.0 * derivative_step_s));
  switch (s.descriptor.kind) {
    case StreamKind::imu: pelvis_sample(t, out, s); break;
    case StreamKind::insole_pressure: insole_sample(s.descriptor.insole->side == Side::left ? 0 : 1, t, out, s); break;
    case StreamKind::speed: speed_sample(t, out, s); break;
  }
  s.deliver(out);
}

void RunnerSimulation::pelvis_sample(double t, SimulatedSample& out, StreamState& s) {
  const auto& cfg = config_.pelvis;
  const BodyState body = timeline_->body_at(t);
  const double h = derivative_step_s;
  const PelvisAngles angles = timeline_->pelvis_angles_at(t);
  const Eigen::Quaterniond q_pelvis = pelvis_orientation(angles);
  const Eigen::Quaterniond q_before = pelvis_orientation(timeline_->pelvis_angles_at(t - h));
  const Eigen::Quaterniond q_after = pelvis_orientation(timeline_->pelvis_angles_at(t + h));

  // Specific force of the sensor point: the ground force per unit mass (what
  // an accelerometer at the CoM reads, gravity included), plus the point's
  // motion about the CoM, plus the skin wobbling after each impact.
  Eigen::Vector3d f = body.ground_force_n / config_.body_mass_kg;
  f += (q_after * lever_arm_m_ - 2.0 * (q_pelvis * lever_arm_m_) + q_before * lever_arm_m_) / (h * h);
  if (body.time_since_ic_s >= 0.0) {
    const double tau = body.time_since_ic_s;
    const double a = cfg.wobble_amplitude_mps2 * body.impact_scale * std::exp(-tau / cfg.wobble_decay_s) *
                     std::sin(2.0 * pi * cfg.wobble_frequency_hz * tau);
    f += a * Eigen::Vector3d(0.35, 0.0, 0.94).normalized();
  }
  const Eigen::Quaterniond q_sensor = q_pelvis * mounting_;
  const Eigen::Vector3d f_sensor = q_sensor.conjugate() * f;
  // Body-frame angular rate from the rotation over a short interval about t.
  const Eigen::Quaterniond q_early = pelvis_orientation(timeline_->pelvis_angles_at(t - rate_step_s)) * mounting_;
  const Eigen::Quaterniond q_late = pelvis_orientation(timeline_->pelvis_angles_at(t + rate_step_s)) * mounting_;
  const Eigen::AngleAxisd turn(q_early.conjugate() * q_late);
  const Eigen::Vector3d w_sensor = turn.axis() * (turn.angle() / (2.0 * rate_step_s));

  const auto& n = cfg.noise;
  out.channel_count = 6;
  for (int i = 0; i < 3; ++i) {
    out.values[i] = clip(f_sensor[i] + n.accel_noise_mps2 * s.normal(s.rng), n.accel_range_mps2);
    out.values[3 + i] = clip(w_sensor[i] + gyro_bias_[i] + n.gyro_noise_radps * s.normal(s.rng), n.gyro_range_radps);
  }
  out.truth.pelvis_angles = angles;
  out.truth.sensor_orientation = to_quaternion(q_sensor);
}

void RunnerSimulation::insole_sample(int side, double t, SimulatedSample& out, StreamState& s) {
  const BodyState body = timeline_->body_at(t);
  const FootLoad& foot = body.feet[side];
  const std::size_t n = sites_.size();
  std::array<double, Sample::max_channels> p{};
  pressure_at_sites(sites_, foot.normal_force_n, foot.cop_x_mm, foot.cop_y_mm, std::span<double>(p.data(), n));
  const auto& cfg = config_.insoles;
  out.channel_count = static_cast<std::uint8_t>(n);
  for (std::size_t i = 0; i < n; ++i)
    out.values[i] = std::clamp(p[i] + s.baseline_kpa[i] + cfg.noise_kpa * s.normal(s.rng), 0.0, cfg.saturation_kpa);
  out.truth.vertical_force_n = foot.normal_force_n;
  out.truth.cop_x_mm = foot.cop_x_mm;
  out.truth.cop_y_mm = foot.cop_y_mm;
  if (cfg.with_imu) insole_imu(side, t, body.impact_scale, out, s);
}

void RunnerSimulation::insole_imu(int side, double t, double impact_scale, SimulatedSample& out, StreamState& s) {
  // Shock of the foot at each contact: a damped oscillation along the sole's normal.
  constexpr double shock_mps2 = 25.0, shock_hz = 30.0, shock_decay_s = 0.015;
  const double h = derivative_step_s;
  const FootPose before = timeline_->foot_pose_at(side, t - h);
  const FootPose now = timeline_->foot_pose_at(side, t);
  const FootPose after = timeline_->foot_pose_at(side, t + h);
  const Eigen::Vector3d accel =
      (after.imu_position_m - 2.0 * now.imu_position_m + before.imu_position_m) / (h * h) +
      Eigen::Vector3d(0.0, 0.0, standard_gravity_mps2);
  const Eigen::Quaterniond foot(Eigen::AngleAxisd(now.pitch_rad, Eigen::Vector3d::UnitY()));
  Eigen::Vector3d f = foot.conjugate() * accel;
  const double since_contact = timeline_->time_since_foot_contact_s(side, t);
  if (since_contact >= 0.0)
    f.z() += shock_mps2 * impact_scale * std::exp(-since_contact / shock_decay_s) *
             std::sin(2.0 * pi * shock_hz * since_contact);
  const Eigen::Vector3d w(0.0, (after.pitch_rad - before.pitch_rad) / (2.0 * h), 0.0);
  const auto& n = config_.insoles.imu_noise;
  const std::size_t first = sites_.size();
  for (int i = 0; i < 3; ++i) {
    out.values[first + i] = clip(f[i] + n.accel_noise_mps2 * s.normal(s.rng), n.accel_range_mps2);
    out.values[first + 3 + i] =
        clip(w[i] + insole_gyro_bias_[side][i] + n.gyro_noise_radps * s.normal(s.rng), n.gyro_range_radps);
  }
  out.channel_count = static_cast<std::uint8_t>(first + 6);
  out.truth.sensor_orientation = to_quaternion(foot);
}

void RunnerSimulation::speed_sample(double t, SimulatedSample& out, StreamState& s) {
  const BodyState body = timeline_->body_at(t);
  out.channel_count = 1;
  out.values[0] = std::max(0.0, body.stride_speed_mps + config_.speed_stream.noise_mps * s.normal(s.rng));
  out.truth.speed_mps = body.stride_speed_mps;
}

std::vector<StepTruth> RunnerSimulation::completed_steps() const {
  std::vector<StepTruth> out;
  for (const auto& step : timeline_->steps())
    if (step.t_next_ic_s <= time_s_) out.push_back(step);
  return out;
}

std::vector<ClockTruth> RunnerSimulation::clock_truth() const {
  std::vector<ClockTruth> out;
  for (const std::size_t i : delivered_) out.push_back(states_[i].clock_truth());
  return out;
}

}  // namespace stridefuse::sim
