#include "stridefuse/sim/gait_timeline.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "stridefuse/core/units.hpp"
#include "motion_shapes.hpp"

namespace stridefuse::sim {
namespace {

using shapes::g;

constexpr double toe_off_fraction = 0.92;  // the CoP leaves the foot under the hallux
constexpr double blend_s = 1.0;            // pelvis eases from standing into running
constexpr double standing_cop_fraction = 0.42;
constexpr double fatigue_update_s = 10.0;
constexpr double walking_impact_scale = 0.3;  // skin wobble and foot shock of a heel strike in walking, against running's

double impact_of(StrikePattern pattern) {
  // Rearfoot strikes show a distinct impact transient; forefoot strikes hardly any.
  switch (pattern) {
    case StrikePattern::rearfoot: return 1.0;
    case StrikePattern::midfoot: return 0.5;
    default: return 0.2;
  }
}

StrikePattern pattern_of(double strike_fraction) {
  if (strike_fraction < 1.0 / 3.0) return StrikePattern::rearfoot;
  if (strike_fraction <= 2.0 / 3.0) return StrikePattern::midfoot;
  return StrikePattern::forefoot;
}

// The pelvic angles at IC, and the swing side's largest drop over span_s
// from IC (fusion/FRAMES.md, "Pelvic drop"): for a left stance the right side
// drops, which is positive obliquity (left side up); for a right stance, negative.
void fill_pelvis_truth(StepTruth& t, const PelvisAngles& at_ic, double span_s,
                       const std::function<PelvisAngles(double)>& angles_at) {
  t.tilt_ic_deg = at_ic.tilt_deg;
  t.obliquity_ic_deg = at_ic.obliquity_deg;
  t.rotation_ic_deg = at_ic.rotation_deg;
  const double swing_drop_sign = t.side == Side::left ? 1.0 : -1.0;
  double drop = 0.0;
  constexpr int samples = 200;
  for (int k = 1; k <= samples; ++k) {
    const double ts = t.t_ic_s + span_s * k / samples;
    drop = std::max(drop, swing_drop_sign * (angles_at(ts).obliquity_deg - at_ic.obliquity_deg));
  }
  t.pelvic_drop_deg = drop;
}

}  // namespace

double braking_time_s(const StanceTrajectory& stance) {
  const auto& n = stance.nodes;
  for (std::size_t i = 1; i < n.size(); ++i)
    if (n[i - 1].fx_n < 0.0 && n[i].fx_n >= 0.0)
      return n[i - 1].t_s + (n[i].t_s - n[i - 1].t_s) * (-n[i - 1].fx_n) / (n[i].fx_n - n[i - 1].fx_n);
  return 0.0;
}

GaitTimeline::GaitTimeline(const RunnerConfig& config) : config_(config) {
  validate(config_);
  running_start_s_ = config_.standing_s;
  next_ic_s_ = running_start_s_;
  standing_height_m_ = config_.leg_length_m;
  // Fails here, not mid-session, when the parameters admit no running stride
  // (a walk first checks the running orbit it will turn into, if any).
  if (config_.walking_s > 0.0 && std::isfinite(config_.walking_s)) {
    SpringMassStrideSolver check;
    StrideParameters p;
    p.speed_mps = config_.speed_mps;
    p.step_time_s = 60.0 / config_.cadence_spm;
    p.leg_length_m = config_.leg_length_m;
    p.body_mass_kg = config_.body_mass_kg;
    const double strike = strike_point_fraction(config_.strike_pattern);
    const StanceParameters stance{config_.foot_strike_distance_m,
                                  (toe_off_fraction - strike) * config_.insoles.foot_length_mm / 1000.0,
                                  impact_of(config_.strike_pattern)};
    p.stance = {stance, stance};
    check.solve(p);
  }
  add_stride();
}

void GaitTimeline::add_stride() {
  if (walking_at(next_ic_s_)) return add_walking_stride();
  const double hours = (next_ic_s_ - running_start_s_) / 3600.0;
  // What shapes the stride (cadence, foot-strike distance) drifts in 10 s
  // steps, so a drifting runner needs a new periodic orbit only every 10 s;
  // the pelvis amplitudes drift stride by stride.
  const double stride_hours = std::floor((next_ic_s_ - running_start_s_) / fatigue_update_s) * fatigue_update_s / 3600.0;
  const auto& f = config_.fatigue;
  const double cadence = config_.cadence_spm + f.cadence_spm_per_hour * stride_hours;
  if (!(cadence >= 100.0 && cadence <= 260.0))
    throw std::invalid_argument("cadence drifted out of 100-260 steps/min at " + std::to_string(next_ic_s_) + " s");
  const double step_time = 60.0 / cadence;
  const double fsd = config_.foot_strike_distance_m + f.foot_strike_distance_m_per_hour * stride_hours;
  const double fsd_half_asym = config_.foot_strike_distance_asymmetry_pct / 200.0;
  const double drop = config_.pelvic_drop_deg + f.pelvic_drop_deg_per_hour * hours;
  if (!(drop >= 0.0 && drop <= 25.0) || !(fsd >= -0.1 && fsd <= 0.6))
    throw std::invalid_argument("fatigue drift took the pelvic drop (" + std::to_string(drop) +
                                " deg) or the foot-strike distance (" + std::to_string(fsd) + " m) out of range at " +
                                std::to_string(next_ic_s_) + " s");
  const double drop_half_asym = config_.pelvic_drop_asymmetry_pct / 200.0;
  const double strike_fraction = strike_point_fraction(config_.strike_pattern);
  const double cop_travel_m = (toe_off_fraction - strike_fraction) * config_.insoles.foot_length_mm / 1000.0;
  const double impact = impact_of(config_.strike_pattern);

  StrideParameters p;
  p.speed_mps = config_.speed_mps;
  p.step_time_s = step_time;
  p.leg_length_m = config_.leg_length_m;
  p.body_mass_kg = config_.body_mass_kg;
  p.stance[0] = {fsd * (1.0 + fsd_half_asym), cop_travel_m, impact};
  p.stance[1] = {fsd * (1.0 - fsd_half_asym), cop_travel_m, impact};
  const StrideSolution solution = solver_.solve(p);

  for (int side = 0; side < 2; ++side) {
    StepRecord r;
    const auto& stance = *solution.stance[side];
    r.pelvis.side = side == 0 ? Side::left : Side::right;
    r.pelvis.t_ic_s = next_ic_s_;
    r.pelvis.t_to_s = next_ic_s_ + stance.contact_time_s();
    r.pelvis.t_next_ic_s = next_ic_s_ + step_time;
    r.pelvis.tilt_mean_deg = config_.tilt_offset_deg + f.tilt_offset_deg_per_hour * hours;
    r.pelvis.tilt_amplitude_deg = config_.tilt_amplitude_deg;
    r.pelvis.pelvic_drop_deg = drop * (side == 0 ? 1.0 + drop_half_asym : 1.0 - drop_half_asym);
    r.pelvis.rotation_amplitude_deg = config_.rotation_amplitude_deg;
    r.pelvis.obliquity_offset_deg = config_.obliquity_offset_deg;
    r.stance = solution.stance[side];
    r.x_ic_m = next_x_m_;
    r.strike_x_mm = strike_fraction * config_.insoles.foot_length_mm;
    r.cop_travel_m = cop_travel_m;
    r.lateral_sign = side == 0 ? 1.0 : -1.0;
    r.impact_scale = impact;
    r.heel_x_m = r.x_ic_m + stance.nodes.front().cop_x_m - r.strike_x_mm / 1000.0;
    const StanceNode& to = stance.nodes.back();
    const double flight = step_time - stance.contact_time_s();
    const double step_length = to.x_m + to.vx_mps * flight;
    r.speed_mps = step_length / step_time;
    next_x_m_ += step_length;
    next_ic_s_ += step_time;
    records_.push_back(r);
    truth_.push_back(truth_of(records_.back(), static_cast<std::uint32_t>(truth_.size())));
  }
}

void GaitTimeline::add_walking_stride() {
  const auto& w = config_.walking;
  WalkingStepParameters p;
  p.speed_mps = w.speed_mps;
  p.step_time_s = 60.0 / w.cadence_spm;
  p.duty_factor = w.duty_factor;
  p.body_mass_kg = config_.body_mass_kg;
  p.braking_force_bw = w.braking_force_bw;
  p.heel_impact_bw = w.heel_impact_bw;
  if (!walking_step_ || !(walking_step_->parameters().step_time_s == p.step_time_s))
    walking_step_ = std::make_shared<const WalkingStep>(p);
  const double step_length = walking_step_->com(p.step_time_s).x_m;
  const double strike_fraction = strike_point_fraction(StrikePattern::rearfoot);
  for (int side = 0; side < 2; ++side) {
    StepRecord r;
    r.pelvis.side = side == 0 ? Side::left : Side::right;
    r.pelvis.t_ic_s = next_ic_s_;
    r.pelvis.t_to_s = next_ic_s_ + walking_step_->stance_s();
    r.pelvis.t_next_ic_s = next_ic_s_ + p.step_time_s;
    r.pelvis.tilt_mean_deg = w.tilt_offset_deg;
    r.pelvis.tilt_amplitude_deg = w.tilt_amplitude_deg;
    r.pelvis.pelvic_drop_deg = w.pelvic_drop_deg;
    r.pelvis.rotation_amplitude_deg = w.rotation_amplitude_deg;
    r.pelvis.obliquity_offset_deg = config_.obliquity_offset_deg;
    r.walk = walking_step_;
    r.x_ic_m = next_x_m_;
    r.strike_x_mm = strike_fraction * config_.insoles.foot_length_mm;
    r.cop_travel_m = (toe_off_fraction - strike_fraction) * config_.insoles.foot_length_mm / 1000.0;
    r.lateral_sign = side == 0 ? 1.0 : -1.0;
    r.impact_scale = walking_impact_scale;
    r.speed_mps = step_length / p.step_time_s;
    r.heel_x_m = r.x_ic_m + w.foot_strike_fraction * step_length - r.strike_x_mm / 1000.0;
    next_x_m_ += step_length;
    next_ic_s_ += p.step_time_s;
    records_.push_back(r);
    truth_.push_back(walking_truth_of(records_.back(), static_cast<std::uint32_t>(truth_.size())));
  }
}

/// A step's side, times, contact, flight, cadence and strike.
StepTruth GaitTimeline::timing_truth_of(const StepRecord& r, std::uint32_t index) const {
  StepTruth t;
  t.side = r.pelvis.side;
  t.index = index;
  t.t_ic_s = r.pelvis.t_ic_s;
  t.t_to_s = r.pelvis.t_to_s;
  t.t_next_ic_s = r.pelvis.t_next_ic_s;
  t.contact_time_s = t.t_to_s - t.t_ic_s;
  t.flight_time_s = t.t_next_ic_s - t.t_to_s;
  t.cadence_spm = 60.0 / (t.t_next_ic_s - t.t_ic_s);
  t.strike_index_pct = r.strike_x_mm / config_.insoles.foot_length_mm * 100.0;
  t.strike_pattern = pattern_of(t.strike_index_pct / 100.0);
  return t;
}

StepTruth GaitTimeline::walking_truth_of(const StepRecord& r, std::uint32_t index) const {
  const WalkingStep& walk = *r.walk;
  StepTruth t = timing_truth_of(r, index);  // flight time negative: double support
  t.gait_mode = GaitMode::walking;
  t.foot_strike_distance_m = (r.heel_x_m + r.strike_x_mm / 1000.0) - r.x_ic_m;
  t.braking_time_s = walk.braking_time_s();
  t.step_length_m = walk.com(walk.step_time_s()).x_m;
  t.speed_mps = r.speed_mps;
  t.vertical_oscillation_m = walk.vertical_oscillation_m();
  double peak = 0.0;
  for (int k = 0; k <= 400; ++k) peak = std::max(peak, walk.foot_force(walk.stance_s() * k / 400.0).fz_n);
  t.peak_vertical_force_bw = peak / (config_.body_mass_kg * g);
  // The swing side's drop is over by mid-stance, before the other foot lands
  // (walking_pelvis_angles): the rest of the stance lies in the next step.
  fill_pelvis_truth(t, pelvis_angles_at(t.t_ic_s), t.t_next_ic_s - t.t_ic_s, [&](double ts) {
    return walking_pelvis_angles(r.pelvis, config_.walking.rotation_lag_stride, ts);
  });
  return t;
}

StepTruth GaitTimeline::truth_of(const StepRecord& r, std::uint32_t index) const {
  const auto& n = r.stance->nodes;
  const StanceNode& to = n.back();
  StepTruth t = timing_truth_of(r, index);
  t.foot_strike_distance_m = n.front().cop_x_m - n.front().x_m;
  t.braking_time_s = braking_time_s(*r.stance);
  t.step_length_m = to.x_m + to.vx_mps * t.flight_time_s;
  t.speed_mps = r.speed_mps;

  double z_min = n.front().z_m, z_max = n.front().z_m, peak_fz = 0.0;
  for (const auto& node : n) {
    z_min = std::min(z_min, node.z_m);
    z_max = std::max(z_max, node.z_m);
    peak_fz = std::max(peak_fz, node.fz_n);
  }
  // Flight: a parabola from toe-off; its apex when it rises, its end height at the next IC.
  const double f = t.flight_time_s;
  const double z_end = to.z_m + to.vz_mps * f - 0.5 * g * f * f;
  z_min = std::min(z_min, z_end);
  z_max = std::max(z_max, z_end);
  if (to.vz_mps > 0.0 && to.vz_mps / g < f) z_max = std::max(z_max, to.z_m + to.vz_mps * to.vz_mps / (2.0 * g));
  t.vertical_oscillation_m = z_max - z_min;
  t.peak_vertical_force_bw = peak_fz / (config_.body_mass_kg * g);

  fill_pelvis_truth(t, pelvis_angles_at(t.t_ic_s), t.contact_time_s, [&](double ts) { return pelvis_angles_at(ts); });
  return t;
}

void GaitTimeline::extend_to(double t_s) {
  if (!std::isfinite(t_s)) throw std::invalid_argument("gait timeline: time must be finite");
  while (next_ic_s_ <= t_s + 0.05) add_stride();
}

const GaitTimeline::StepRecord* GaitTimeline::step_at(double t_s) const {
  if (t_s < running_start_s_ || records_.empty()) return nullptr;
  auto it = std::upper_bound(records_.begin(), records_.end(), t_s,
                             [](double t, const StepRecord& r) { return t < r.pelvis.t_ic_s; });
  if (it == records_.begin())
    throw std::logic_error("gait timeline: time " + std::to_string(t_s) + " s is before the stored steps");
  const StepRecord* r = &*(it - 1);
  if (t_s > r->pelvis.t_next_ic_s + 1e-9)
    throw std::logic_error("gait timeline: time " + std::to_string(t_s) + " s is beyond the built strides");
  return r;
}

BodyState GaitTimeline::walking_body_at(const StepRecord& r, double t_s) const {
  const WalkingStep& walk = *r.walk;
  const double tau = t_s - r.pelvis.t_ic_s;
  const WalkingComState com = walk.com(tau);
  BodyState b;
  b.com_position_m = {r.x_ic_m + com.x_m, 0.0, standing_height_m_ + com.z_m};
  b.com_velocity_mps = {com.vx_mps, 0.0, com.vz_mps};
  b.ground_force_n = {com.fx_n, 0.0, com.fz_n};
  b.stride_speed_mps = r.speed_mps;
  b.time_since_ic_s = tau;
  b.impact_scale = r.impact_scale;
  // The landing foot, and the other one in the last part of its stance
  // (every walking step is the same, so its contact was one step earlier).
  const int side = r.pelvis.side == Side::left ? 0 : 1;
  auto load = [&](double since_contact_s) {
    const double s = std::clamp(since_contact_s / walk.stance_s(), 0.0, 1.0);
    const double progress = 0.5 * (1.0 - std::cos(pi * s));  // heel rocker, forefoot rocker: slow at the ends
    const double lateral = side == 0 ? 1.0 : -1.0;
    return FootLoad{std::max(walk.foot_force(since_contact_s).fz_n, 0.0),
                    r.strike_x_mm + 1000.0 * r.cop_travel_m * progress, lateral * (7.0 - 15.0 * progress)};
  };
  b.feet[side] = load(tau);
  FootLoad trailing = load(tau + walk.step_time_s());
  trailing.cop_y_mm = -trailing.cop_y_mm;  // the other foot's lateral side is the other way
  b.feet[1 - side] = trailing;
  return b;
}

BodyState GaitTimeline::body_at(double t_s) const {
  BodyState b;
  const double weight_n = config_.body_mass_kg * g;
  const StepRecord* r = step_at(t_s);
  if (r && r->walk) return walking_body_at(*r, t_s);
  if (!r) {
    b.com_position_m = {0.0, 0.0, standing_height_m_};
    b.ground_force_n = {0.0, 0.0, weight_n};
    for (auto& foot : b.feet) foot = {weight_n / 2.0, standing_cop_fraction * config_.insoles.foot_length_mm, 0.0};
    if (t_s >= running_start_s_ - first_lift_s && running_start_s_ > 0.0) {
      // The left foot lifts to make the first step: the right one carries the body.
      b.feet[0].normal_force_n = 0.0;
      b.feet[1].normal_force_n = weight_n;
    }
    return b;
  }
  const auto& n = r->stance->nodes;
  const double tau = t_s - r->pelvis.t_ic_s;
  const double contact = n.back().t_s;
  const double m = config_.body_mass_kg;
  b.stride_speed_mps = r->speed_mps;
  b.time_since_ic_s = tau;
  b.impact_scale = r->impact_scale;
  const int side = r->pelvis.side == Side::left ? 0 : 1;
  if (tau < contact) {
    const std::size_t i = std::min(static_cast<std::size_t>(tau / r->stance->node_spacing_s), n.size() - 2);
    const StanceNode& a = n[i];
    const StanceNode& c = n[i + 1];
    const double h = c.t_s - a.t_s;
    const double s = std::clamp((tau - a.t_s) / h, 0.0, 1.0);
    const double x = shapes::hermite(a.x_m, a.vx_mps, c.x_m, c.vx_mps, h, s);
    const double z = shapes::hermite(a.z_m, a.vz_mps, c.z_m, c.vz_mps, h, s);
    const double vx = shapes::hermite(a.vx_mps, a.fx_n / m, c.vx_mps, c.fx_n / m, h, s);
    const double vz = shapes::hermite(a.vz_mps, a.fz_n / m - g, c.vz_mps, c.fz_n / m - g, h, s);
    const double fx = a.fx_n + s * (c.fx_n - a.fx_n);
    const double fz = a.fz_n + s * (c.fz_n - a.fz_n);
    const double cop = a.cop_x_m + s * (c.cop_x_m - a.cop_x_m);
    b.com_position_m = {r->x_ic_m + x, 0.0, z};
    b.com_velocity_mps = {vx, 0.0, vz};
    b.ground_force_n = {fx, 0.0, fz};
    const double rolled_m = cop - n.front().cop_x_m;
    const double progress = r->cop_travel_m > 0.0 ? rolled_m / r->cop_travel_m : 0.0;
    // The CoP runs from the lateral heel/midfoot toward the medial forefoot.
    b.feet[side] = {std::max(fz, 0.0), r->strike_x_mm + 1000.0 * rolled_m, r->lateral_sign * (7.0 - 15.0 * progress)};
  } else {
    const StanceNode& to = n.back();
    const double f = tau - contact;
    b.com_position_m = {r->x_ic_m + to.x_m + to.vx_mps * f, 0.0, to.z_m + to.vz_mps * f - 0.5 * g * f * f};
    b.com_velocity_mps = {to.vx_mps, 0.0, to.vz_mps - g * f};
  }
  return b;
}

PelvisAngles GaitTimeline::pelvis_angles_at(double t_s) const {
  const PelvisAngles standing = standing_pelvis_angles(t_s);
  const StepRecord* r = step_at(t_s);
  if (!r) return standing;
  const PelvisAngles moving = r->walk ? walking_pelvis_angles(r->pelvis, config_.walking.rotation_lag_stride, t_s)
                                     : running_pelvis_angles(r->pelvis, t_s);
  return blend_pelvis_angles(standing, moving, running_start_s_, blend_s, t_s);
}

void GaitTimeline::forget_before(double t_s) {
  while (records_.size() > 2 && records_.front().pelvis.t_next_ic_s < t_s) records_.pop_front();
}

}  // namespace stridefuse::sim

namespace stridefuse::sim {
namespace {

constexpr double swing_clearance_m = 0.12;
constexpr double boundary_step_s = 1e-3;

// Value and rate of each pose coordinate from one-sided differences (forward
// at a contact, backward at a toe-off: the stance curves are smooth inside
// stance, not across its ends). The swing starts and ends without
// acceleration: matching the stance's sharp foot-slap and heel-rise
// accelerations would make the whole swing overshoot.
std::array<Boundary, 3> boundary_of(const std::function<FootPose(double)>& pose, double t, double direction) {
  const double h = direction * boundary_step_s;
  const FootPose p0 = pose(t), p1 = pose(t + h), p2 = pose(t + 2 * h);
  auto make = [&](double a, double b, double c) { return Boundary{a, (-3 * a + 4 * b - c) / (2 * h), 0.0}; };
  return {make(p0.imu_position_m.x(), p1.imu_position_m.x(), p2.imu_position_m.x()),
          make(p0.imu_position_m.z(), p1.imu_position_m.z(), p2.imu_position_m.z()),
          make(p0.pitch_rad, p1.pitch_rad, p2.pitch_rad)};
}

FootPose swing_pose(const std::array<Boundary, 3>& from, const std::array<Boundary, 3>& to, double lateral_m,
                    double duration_s, double t_s) {
  FootPose p;
  p.imu_position_m = {quintic(from[0], to[0], duration_s, t_s), lateral_m,
                      quintic(from[1], to[1], duration_s, t_s) + swing_clearance_m * clearance_bump(t_s / duration_s)};
  p.pitch_rad = quintic(from[2], to[2], duration_s, t_s);
  return p;
}

}  // namespace

FootGeometry GaitTimeline::foot_geometry(int side) const {
  FootGeometry g;
  g.length_m = config_.insoles.foot_length_mm / 1000.0;
  g.strike_fraction = strike_point_fraction(config_.strike_pattern);
  g.strike_pitch_rad = strike_pitch_rad(config_.strike_pattern);
  g.lateral_position_m = side == 0 ? 0.1 : -0.1;
  return g;
}

double GaitTimeline::heel_x_m(const StepRecord& r) const { return r.heel_x_m; }

FootPose GaitTimeline::stance_pose(const StepRecord& r, double t_s) const {
  const int side = r.pelvis.side == Side::left ? 0 : 1;
  const double s = (t_s - r.pelvis.t_ic_s) / (r.pelvis.t_to_s - r.pelvis.t_ic_s);
  FootGeometry foot = foot_geometry(side);
  if (r.walk) {  // walkers land on the heel
    foot.strike_fraction = strike_point_fraction(StrikePattern::rearfoot);
    foot.strike_pitch_rad = strike_pitch_rad(StrikePattern::rearfoot);
  }
  return stance_foot_pose(foot, heel_x_m(r), s);
}

FootPose GaitTimeline::foot_pose_at(int side, double t_s) const {
  const FootGeometry foot = foot_geometry(side);
  const Side wanted = side == 0 ? Side::left : Side::right;
  const StepRecord* last = nullptr;
  const StepRecord* next = nullptr;
  for (const auto& r : records_) {
    if (r.pelvis.side != wanted) continue;
    if (r.pelvis.t_ic_s <= t_s) {
      last = &r;
    } else {
      next = &r;
      break;
    }
  }
  if (last && t_s <= last->pelvis.t_to_s) return stance_pose(*last, t_s);
  if (!next) throw std::logic_error("gait timeline: foot motion asked beyond the built strides");
  auto next_stance = [&](double t) { return stance_pose(*next, t); };
  const std::array<Boundary, 3> to = boundary_of(next_stance, next->pelvis.t_ic_s, 1.0);
  if (last) {
    auto last_stance = [&](double t) { return stance_pose(*last, t); };
    const std::array<Boundary, 3> from = boundary_of(last_stance, last->pelvis.t_to_s, -1.0);
    return swing_pose(from, to, foot.lateral_position_m, next->pelvis.t_ic_s - last->pelvis.t_to_s,
                      t_s - last->pelvis.t_to_s);
  }
  if (records_.front().pelvis.t_ic_s > running_start_s_ + 1e-9)
    throw std::logic_error("gait timeline: foot motion asked for a forgotten step");
  // First step of this foot: it leaves the standing position at rest.
  const FootPose standing = flat_foot_pose(foot, -standing_cop_fraction * foot.length_m);
  const double lift_s = side == 0 ? running_start_s_ - first_lift_s : running_start_s_;
  if (t_s <= lift_s) return standing;
  const std::array<Boundary, 3> from{Boundary{standing.imu_position_m.x()}, Boundary{standing.imu_position_m.z()},
                                     Boundary{0.0}};
  return swing_pose(from, to, foot.lateral_position_m, next->pelvis.t_ic_s - lift_s, t_s - lift_s);
}

double GaitTimeline::time_since_foot_contact_s(int side, double t_s) const {
  const Side wanted = side == 0 ? Side::left : Side::right;
  for (auto it = records_.rbegin(); it != records_.rend(); ++it)
    if (it->pelvis.side == wanted && it->pelvis.t_ic_s <= t_s) return t_s - it->pelvis.t_ic_s;
  return -1.0;
}

}  // namespace stridefuse::sim
