#include "stridefuse/sim/drill_simulation.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

#include "stridefuse/sim/insole_model.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::sim {
namespace {

constexpr double rate_step_s = 1e-4;  // central difference of the orientation: the gyro

Eigen::Quaterniond about_y(double deg) {
  return Eigen::Quaterniond(Eigen::AngleAxisd(rad_from_deg(deg), Eigen::Vector3d::UnitY()));
}

// The pelvis at rest in each exercise's position, pelvis frame to session frame.
Eigen::Quaterniond posture_of(DrillExercise e) {
  switch (e) {
    case DrillExercise::bridge: return about_y(-90.0);       // supine: anterior up, head backward
    case DrillExercise::donkey_kick: return about_y(90.0);   // hands and knees: anterior down, head forward
    case DrillExercise::pigeon: return about_y(20.0);        // sitting up over the front leg, leaning forward
    default: return Eigen::Quaterniond::Identity();          // standing
  }
}

// A foot on its dorsum (hands and knees, pigeon's rear leg): sole up, toes back.
bool feet_on_dorsum(DrillExercise e) { return e == DrillExercise::donkey_kick || e == DrillExercise::pigeon; }

double smoothstep(double x) {
  x = std::clamp(x, 0.0, 1.0);
  return x * x * (3.0 - 2.0 * x);
}

double clip(double v, double range) { return std::clamp(v, -range, range); }

Eigen::Vector3d body_rate(const Eigen::Quaterniond& early, const Eigen::Quaterniond& late, double dt) {
  const Eigen::AngleAxisd turn(early.conjugate() * late);
  return turn.axis() * (turn.angle() / dt);
}

int side_index(DrillSide s) { return s == DrillSide::right ? 1 : 0; }

}  // namespace

DrillSimulation::DrillSimulation(const DrillSimConfig& config) : config_(config) {
  validate(config_);
  const DrillExercise e = config_.exercise;
  sites_ = config_.insoles.sensors.empty()
               ? default_insole_sites(config_.insoles.sensor_count, config_.insoles.foot_length_mm)
               : config_.insoles.sensors;
  posture_ = posture_of(e);
  const Eigen::Quaterniond foot = feet_on_dorsum(e) ? about_y(180.0) : Eigen::Quaterniond::Identity();
  foot_posture_ = {foot, foot};
  const auto& e_deg = config_.mount_error_deg;
  mounting_ = Eigen::Quaterniond(Eigen::AngleAxisd(rad_from_deg(e_deg[0]), Eigen::Vector3d::UnitX()) *
                                 Eigen::AngleAxisd(rad_from_deg(e_deg[1]), Eigen::Vector3d::UnitY()) *
                                 Eigen::AngleAxisd(rad_from_deg(e_deg[2]), Eigen::Vector3d::UnitZ())) *
              mounting_from(config_.pelvis.mount_roll_pitch_yaw_deg);

  const std::uint64_t seed = config_.seed;
  add_worn_streams(streams_, config_.pelvis, config_.insoles, sites_, seed);
  for (const auto& s : streams_) stridefuse::validate(s.descriptor);
  const bool wanted[] = {config_.sensors.pelvis, config_.sensors.left_insole, config_.sensors.right_insole};
  for (std::size_t i = 0; i < streams_.size(); ++i)
    if (wanted[i]) delivered_.push_back(i);

  // Per-device constants and the set's reps, drawn once from the seed.
  std::mt19937_64 setup(mix64(seed ^ 0xD12111));
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  gyro_bias_ = config_.pelvis.noise.gyro_bias_radps * Eigen::Vector3d(unit(setup), unit(setup), unit(setup));
  for (auto& bias : insole_gyro_bias_)
    bias = config_.insoles.imu_noise.gyro_bias_radps * Eigen::Vector3d(unit(setup), unit(setup), unit(setup));
  for (auto& b : baseline_kpa_)
    for (std::size_t i = 0; i < sites_.size(); ++i) b.push_back(config_.insoles.baseline_kpa * (1.0 + unit(setup)));

  const double tempo = config_.tempo_s.value_or(drill_default_tempo_s(e));
  const double hold = config_.hold_s.value_or(drill_default_hold_s(e));
  const double rom = config_.rom_deg.value_or(drill_default_rom_deg(e));
  const auto faults = config_.faults.value_or(default_drill_faults(e, config_.reps));
  const bool hinge = drill_is_hinge(e);
  const bool has_hold = hinge || feet_on_dorsum(e);  // fusion/DRILLS.md: the exercises with a hold
  // The first rep starts start_still_s after the athlete is in position.
  double t = (config_.start_standing_s > 0.0 ? config_.start_standing_s + config_.transition_s : 0.0) +
             config_.start_still_s;
  if (config_.calibration_hinge) {
    // Drawn apart from the reps, so that a seed gives the same reps with or without it.
    std::mt19937_64 draw(mix64(seed ^ 0xCA11B));
    DrillRepTruth c;
    c.side = DrillSide::both;
    c.rise_s = 0.5 * tempo * (1.0 + 0.1 * unit(draw));
    c.plateau_s = hold * (1.0 + 0.1 * unit(draw));
    c.range_of_motion_deg = rom * (1.0 + 0.1 * unit(draw));
    c.t_start_s = t;
    c.t_end_s = t + 2.0 * c.rise_s + c.plateau_s;
    const double sway = std::min(config_.sway_deg, config_.calibration_sway_deg);
    calibration_angles_ = {e == DrillExercise::bridge ? -c.range_of_motion_deg : c.range_of_motion_deg, 0.0,
                           sway * unit(draw), sway * unit(draw)};
    c.excursion = {calibration_angles_.hinge_deg, calibration_angles_.obliquity_deg, calibration_angles_.rotation_deg};
    calibration_ = c;
    t = c.t_end_s + config_.rest_s * (1.0 + 0.2 * unit(draw));
  }
  for (std::uint32_t i = 1; i <= config_.reps; ++i) {
    DrillRepTruth r;
    r.rep = i;
    if (e == DrillExercise::bridge || config_.side != DrillSide::both) r.side = config_.side;
    else r.side = i % 2 == 1 ? DrillSide::left : DrillSide::right;
    // No two reps alike: +-10 % in tempo, hold, range and rest.
    r.rise_s = 0.5 * tempo * (1.0 + 0.1 * unit(setup));
    r.plateau_s = hold * (1.0 + 0.1 * unit(setup));
    r.range_of_motion_deg = rom * (1.0 + 0.1 * unit(setup));
    r.t_start_s = t;
    r.t_end_s = t + 2.0 * r.rise_s + r.plateau_s;
    if (has_hold)
      r.hold_s = (e == DrillExercise::bridge && r.side != DrillSide::both) ? 0.7 * r.plateau_s - 0.05 : r.plateau_s;
    RepAngles a{};
    a.hinge_deg = e == DrillExercise::bridge ? -r.range_of_motion_deg  // hips up: posterior tilt
                  : hinge                    ? r.range_of_motion_deg   // hinge forward: anterior tilt
                                             : 0.0;
    a.tilt_deg = hinge ? 0.0 : config_.sway_deg * unit(setup);
    a.obliquity_deg = config_.sway_deg * unit(setup);
    a.rotation_deg = config_.sway_deg * unit(setup);
    for (const auto& f : faults) {
      if (f.rep != i) continue;
      r.faulty = true;
      (f.axis == PelvisAxis::tilt ? a.tilt_deg : f.axis == PelvisAxis::obliquity ? a.obliquity_deg : a.rotation_deg) =
          f.deg;
    }
    r.excursion = {a.hinge_deg + a.tilt_deg, a.obliquity_deg, a.rotation_deg};
    reps_.push_back(r);
    angles_.push_back(a);
    t = r.t_end_s + config_.rest_s * (1.0 + 0.2 * unit(setup));
  }
  end_s_ = reps_.back().t_end_s + config_.end_still_s;
}

std::vector<StreamDescriptor> DrillSimulation::streams() const {
  std::vector<StreamDescriptor> out;
  for (const std::size_t i : delivered_) out.push_back(streams_[i].descriptor);
  return out;
}

std::vector<ClockTruth> DrillSimulation::clock_truth() const {
  std::vector<ClockTruth> out;
  for (const std::size_t i : delivered_) out.push_back(streams_[i].clock_truth());
  return out;
}

double DrillSimulation::in_position(double t_s) const {
  if (config_.start_standing_s <= 0.0) return 1.0;
  return smoothstep((t_s - config_.start_standing_s) / config_.transition_s);
}

const DrillRepTruth* DrillSimulation::rep_at(double t_s) const {
  // Reps are in time order; the one whose window holds t, if any.
  auto it = std::upper_bound(reps_.begin(), reps_.end(), t_s,
                             [](double t, const DrillRepTruth& r) { return t < r.t_start_s; });
  if (it == reps_.begin()) return nullptr;
  --it;
  return t_s < it->t_end_s ? &*it : nullptr;
}

std::optional<std::pair<const DrillRepTruth*, const DrillSimulation::RepAngles*>> DrillSimulation::movement_at(
    double t_s) const {
  if (const DrillRepTruth* r = rep_at(t_s)) return std::pair{r, &angles_[r->rep - 1]};
  if (calibration_ && t_s > calibration_->t_start_s && t_s < calibration_->t_end_s)
    return std::pair{&*calibration_, &calibration_angles_};
  return std::nullopt;
}

Eigen::Quaterniond DrillSimulation::pelvis_orientation_at(double t_s) const {
  const auto moving = movement_at(t_s);
  if (!moving) return Eigen::Quaterniond::Identity().slerp(in_position(t_s), posture_);
  const double env = drill_envelope(*moving->first, t_s);
  const RepAngles& a = *moving->second;
  // The rep's turn in the pelvis's own frame, in fusion/DRILLS.md's order.
  return posture_ * about_y(env * (a.hinge_deg + a.tilt_deg)) *
         Eigen::Quaterniond(Eigen::AngleAxisd(rad_from_deg(env * a.obliquity_deg), Eigen::Vector3d::UnitX())) *
         Eigen::Quaterniond(Eigen::AngleAxisd(rad_from_deg(env * a.rotation_deg), Eigen::Vector3d::UnitZ()));
}

Eigen::Quaterniond DrillSimulation::foot_orientation_at(int side, double t_s) const {
  const Eigen::Quaterniond rest = Eigen::Quaterniond::Identity().slerp(in_position(t_s), foot_posture_[side]);
  const DrillRepTruth* r = rep_at(t_s);
  if (!r || config_.exercise == DrillExercise::bridge) return rest;
  const double env = drill_envelope(*r, t_s);
  if (config_.exercise == DrillExercise::single_leg_rdl) {
    // The free leg swings back as the trunk hinges: its foot turns, less than the hinge.
    const bool free = side != side_index(r->side);
    return free ? rest * about_y(0.5 * env * r->range_of_motion_deg) : rest;
  }
  if (side != side_index(r->side)) return rest;
  return rest * about_y(env * r->range_of_motion_deg);
}

double DrillSimulation::foot_load_n(int side, double t_s) const {
  const double weight_n = config_.body_mass_kg * standard_gravity_mps2;
  const DrillExercise e = config_.exercise;
  const double placed = in_position(t_s);
  if (placed < 1.0) {
    // Standing, then getting into position: the feet hand the weight over to the position's supports.
    const double standing_n = 0.5 * weight_n;
    const double in_position_n = feet_on_dorsum(e) ? 0.0 : e == DrillExercise::bridge ? 0.15 * weight_n : 0.5 * weight_n;
    return standing_n + (in_position_n - standing_n) * placed;
  }
  if (feet_on_dorsum(e)) return 0.0;  // knees and hands carry the body; the feet rest on their backs
  const DrillRepTruth* r = rep_at(t_s);
  const auto moving = movement_at(t_s);  // a rep, or the two-footed calibration hinge
  const double env = moving ? drill_envelope(*moving->first, t_s) : 0.0;
  if (e == DrillExercise::bridge) {
    // Lying: each foot carries 15 % of the weight, 25 % with the hips up.
    const double each = weight_n * (0.15 + 0.10 * env);
    if (!r || r->side == DrillSide::both) return each;
    // Single-leg bridge: in the middle 70 % of the top, the leg extends and its foot is off (50 ms ramps).
    const double a = r->t_start_s + r->rise_s + 0.15 * r->plateau_s;
    const double b = r->t_start_s + r->rise_s + 0.85 * r->plateau_s;
    const double off = std::clamp(std::min((t_s - a) / 0.05, (b - t_s) / 0.05), 0.0, 1.0);
    return side == side_index(r->side) ? each * (1.0 - off) : each * (1.0 + off);
  }
  // Standing: the free foot lifts in the first 15 % of the envelope; its load goes to the other foot.
  if (!r) return 0.5 * weight_n;
  const int free_side = e == DrillExercise::single_leg_rdl ? 1 - side_index(r->side) : side_index(r->side);
  const double free_load = 0.5 * weight_n * (1.0 - smoothstep(env / 0.15));
  return side == free_side ? free_load : weight_n - free_load;
}

void DrillSimulation::advance_to(double true_time_s, const std::function<void(const SimulatedSample&)>& emit) {
  if (!std::isfinite(true_time_s)) throw std::invalid_argument("advance_to: time must be finite");
  SimulatedSample sample;
  for (;;) {
    std::size_t next = delivered_.front();
    for (const std::size_t i : delivered_)
      if (streams_[i].next_time_s() < streams_[next].next_time_s()) next = i;
    auto& s = streams_[next];
    if (s.next_time_s() > true_time_s) break;
    s.take(sample);
    sample.stream =
        static_cast<std::uint16_t>(std::find(delivered_.begin(), delivered_.end(), next) - delivered_.begin());
    if (s.descriptor.kind == StreamKind::imu) pelvis_sample(sample.true_time_s, sample, s);
    else insole_sample(s.descriptor.insole->side == Side::left ? 0 : 1, sample.true_time_s, sample, s);
    s.deliver(sample);
    if (sample.channel_count > 0) emit(sample);
  }
  time_s_ = std::max(time_s_, true_time_s);
}

void DrillSimulation::pelvis_sample(double t, SimulatedSample& out, SimulatedStream& s) {
  const Eigen::Quaterniond q_sensor = pelvis_orientation_at(t) * mounting_;
  const Eigen::Vector3d f = q_sensor.conjugate() * Eigen::Vector3d(0.0, 0.0, standard_gravity_mps2);
  const Eigen::Vector3d w = body_rate(pelvis_orientation_at(t - rate_step_s) * mounting_,
                                      pelvis_orientation_at(t + rate_step_s) * mounting_, 2.0 * rate_step_s);
  const auto& n = config_.pelvis.noise;
  out.channel_count = 6;
  for (int i = 0; i < 3; ++i) {
    out.values[i] = clip(f[i] + n.accel_noise_mps2 * s.gaussian(), n.accel_range_mps2);
    out.values[3 + i] = clip(w[i] + gyro_bias_[i] + n.gyro_noise_radps * s.gaussian(), n.gyro_range_radps);
  }
  out.truth.sensor_orientation = Quaternion{q_sensor.w(), q_sensor.x(), q_sensor.y(), q_sensor.z()};
}

void DrillSimulation::insole_sample(int side, double t, SimulatedSample& out, SimulatedStream& s) {
  const std::size_t n = sites_.size();
  const double load_n = foot_load_n(side, t);
  const double cop_x_mm = 0.45 * config_.insoles.foot_length_mm;  // flat foot: the load centred on the midfoot
  std::array<double, Sample::max_channels> p{};
  pressure_at_sites(sites_, load_n, cop_x_mm, 0.0, std::span<double>(p.data(), n));
  const auto& cfg = config_.insoles;
  out.channel_count = static_cast<std::uint8_t>(n);
  for (std::size_t i = 0; i < n; ++i)
    out.values[i] = std::clamp(p[i] + baseline_kpa_[side][i] + cfg.noise_kpa * s.gaussian(), 0.0, cfg.saturation_kpa);
  out.truth.vertical_force_n = load_n;
  out.truth.cop_x_mm = cop_x_mm;
  if (!cfg.with_imu) return;
  const Eigen::Quaterniond q = foot_orientation_at(side, t);
  const Eigen::Vector3d f = q.conjugate() * Eigen::Vector3d(0.0, 0.0, standard_gravity_mps2);
  const Eigen::Vector3d w =
      body_rate(foot_orientation_at(side, t - rate_step_s), foot_orientation_at(side, t + rate_step_s), 2.0 * rate_step_s);
  const auto& in = cfg.imu_noise;
  for (int i = 0; i < 3; ++i) {
    out.values[n + i] = clip(f[i] + in.accel_noise_mps2 * s.gaussian(), in.accel_range_mps2);
    out.values[n + 3 + i] = clip(w[i] + insole_gyro_bias_[side][i] + in.gyro_noise_radps * s.gaussian(), in.gyro_range_radps);
  }
  out.channel_count = static_cast<std::uint8_t>(n + 6);
  out.truth.sensor_orientation = Quaternion{q.w(), q.x(), q.y(), q.z()};
}

}  // namespace stridefuse::sim
