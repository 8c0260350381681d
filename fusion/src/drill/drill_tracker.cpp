// DrillTracker (fusion/DRILLS.md): routes each stream's samples to the
// orientation, load and rep detectors the exercise uses, follows the pelvis's
// excursion from the start of each rep (or would-be rep), and publishes reps,
// pelvis_moved events and the set summary.
#include "stridefuse/fusion/drill_tracker.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include "drill_streams.hpp"
#include "excursion.hpp"
#include "gyro_orientation.hpp"
#include "pelvis_frame.hpp"
#include "set_summary.hpp"
#include "still_window.hpp"
#include "turn_rep_detector.hpp"
#include "unload_rep_detector.hpp"

namespace stridefuse::fusion {
namespace {

// The smallest turn that counts as a rep, per detector (fusion/DRILLS.md):
// well above sway and sensor drift over a rep (a few degrees), well below
// the smallest range of motion of these exercises (~20 deg for a bridge).
constexpr double min_hinge_rep_deg = 10.0;
constexpr double min_foot_rep_deg = 15.0;
// The hinge axis is read from a rep's rate within this turn of its start
// pose: in the excursion's order (hinge first, then obliquity and rotation
// in the turned frame) a rep's later rate is carried round by the obliquity
// and rotation it has built up, the first 15 deg (a fifth to a half of a
// rep) hardly.
constexpr double hinge_axis_window_deg = 15.0;
// A foot counts as off the floor for the bridge's leg-extended hold below
// this fraction of the load it carried at the rep's start.
constexpr double foot_off_fraction = 0.5;
// In position: still, with gravity within this angle of where it points in
// the pelvis's frame in the exercise's position (fusion/DRILLS.md, "Getting
// into position"). Wide, as the pelvis's own tilt varies between athletes.
constexpr double max_posture_error_cos = 0.82;  // 35 degrees
// In the donkey kick and the pigeon the working foot rests on its back (sole
// up) or on tucked toes (sole facing back): its "up" within 100 degrees of
// the sole-up direction; standing (sole down) is 180 degrees away.
constexpr double min_sole_up_cos = -0.17;  // 100 degrees

// "Up" in the pelvis's frame in each exercise's position.
Eigen::Vector3d position_up(DrillExercise e) {
  switch (e) {
    case DrillExercise::bridge: return Eigen::Vector3d::UnitX();        // lying on the back: anterior up
    case DrillExercise::donkey_kick: return -Eigen::Vector3d::UnitX();  // on hands and knees: anterior down
    default: return Eigen::Vector3d::UnitZ();                           // standing, or sitting up in the pigeon
  }
}

Eigen::Vector3d vec3(const Sample& s, std::size_t first) {
  return {s.values[first], s.values[first + 1], s.values[first + 2]};
}

}  // namespace


struct DrillTracker::Impl {
  // What a rep (or the rep that would start at the latest still sample) has seen so far.
  struct Cycle {
    bool valid = false;
    bool confirmed = false;
    bool calibration = false;  // the set's calibration hinge: no rep, no event
    double t_start_s = 0.0;
    Eigen::Quaterniond pelvis_start = Eigen::Quaterniond::Identity();
    drill::ExcursionTrack track;
    std::array<bool, 3> emitted{false, false, false};
    std::array<std::optional<Eigen::Quaterniond>, 2> foot_start;
    std::array<double, 2> foot_peak_deg{0.0, 0.0};
    std::array<double, 2> load_at_start{0.0, 0.0};
    std::array<double, 2> load_sum{0.0, 0.0};
    std::array<int, 2> load_count{0, 0};
    std::array<double, 2> off_s{0.0, 0.0};
  };

  Impl(std::vector<StreamDescriptor> s, DrillConfig c, Callbacks cb)
      : streams(std::move(s)), config(c), callbacks(std::move(cb)), def(drill_definition(c.exercise)),
        frame(is_hinge()) {
    check_drill_streams(config, streams);
    tolerance_deg = config.tolerance_deg.value_or(def.default_tolerance_deg);
    found = drill::find_drill_streams(streams);
    for (int f = 0; f < 2; ++f) {
      const bool works = config.side == DrillSide::both || static_cast<int>(config.side) == f;
      if (is_foot_turn() && works) foot_detector[f].emplace(min_foot_rep_deg);
      if (is_unload() && works) unload_detector[f].emplace();
    }
    if (is_hinge()) hinge_detector.emplace(min_hinge_rep_deg);
  }

  bool is_hinge() const { return def.hinge; }
  bool is_foot_turn() const {
    return config.exercise == DrillExercise::donkey_kick || config.exercise == DrillExercise::pigeon;
  }
  bool is_unload() const {
    return config.exercise == DrillExercise::banded_hip_extension || config.exercise == DrillExercise::running_man;
  }

  void push(const Sample& s) {
    last_t_s = s.t_s;
    if (found.pelvis && s.stream == *found.pelvis && s.channel_count >= 6) return pelvis_sample(s);
    for (int f = 0; f < 2; ++f)
      if (found.insole[f] && s.stream == *found.insole[f]) return insole_sample(f, s);
  }

  void pelvis_sample(const Sample& s) {
    pelvis.push(s.t_s, vec3(s, 0), vec3(s, 3));
    if (!pelvis.ready()) return;
    if (!frame_started) {
      frame_started = true;
      if (pelvis.start_gravity()) frame.set_start_gravity(*pelvis.start_gravity());
    }
    const Eigen::Quaterniond& q = pelvis.orientation();
    const Eigen::Matrix3d& m = frame.sensor_to_pelvis();
    const bool still = pelvis_still.push(s.t_s, q);
    if (!in_position) {
      // Reps count from the first still moment in the exercise's position: a
      // set may start standing, and getting down into position is no rep.
      const Eigen::Vector3d up = m * vec3(s, 0);
      if (!still || !(up.normalized().dot(position_up(config.exercise)) >= max_posture_error_cos)) return;
      if (is_foot_turn() && !feet_in_position()) return;
      in_position = true;
    }
    // Resting still in position between reps, the pelvis is level side to side.
    if (is_hinge() && still && active < 0) frame.add_rest_gravity(vec3(s, 0));
    if (hinge_detector) handle(0, hinge_detector->push(s.t_s, q), s.t_s);
    // The hinge axis is the rep's rotation axis near its start pose, before
    // the pelvis has turned on the other axes (fusion/DRILLS.md, "Mounting").
    if (is_hinge() && active >= 0 && drill::turn_deg(cycles[active].pelvis_start, q) <= hinge_axis_window_deg)
      frame.add_rep_rate(pelvis.rate_radps());
    for (int slot = 0; slot < 2; ++slot) {
      Cycle& c = cycles[slot];
      if (!c.valid) continue;
      c.track.add(s.t_s, drill::pelvis_excursion(c.pelvis_start, q, m), def.watched, tolerance_deg);
      if (c.confirmed) emit_crossings(c);
    }
  }

  // The working feet's insole IMUs are still with the sole turned up (foot frame: z out of the sole's top).
  bool feet_in_position() const {
    for (int f = 0; f < 2; ++f) {
      if (!foot_detector[f]) continue;
      if (!foot_still_now[f] || !foot_up[f]) return false;
      if (!(foot_up[f]->normalized().dot(-Eigen::Vector3d::UnitZ()) >= min_sole_up_cos)) return false;
    }
    return true;
  }

  double load_of(int f, const Sample& s) const {
    const auto& layout = *streams[*found.insole[f]].insole;
    if (layout.reports_force()) return s.values[0];
    // Total force: pressure x sensor area (kPa x mm^2 = 1e-3 N); sum of pressures without areas.
    double sum = 0.0;
    for (std::size_t i = 0; i < layout.sensors.size() && i < s.channel_count; ++i) {
      const double area = layout.sensors[i].area_mm2;
      sum += s.values[i] * (area > 0.0 ? area * 1e-3 : 1.0);
    }
    return sum;
  }

  void insole_sample(int f, const Sample& s) {
    const double load = load_of(f, s);
    if (found.insole_imu[f] && s.channel_count >= found.first_imu_channel[f] + 6) {
      feet[f].push(s.t_s, vec3(s, found.first_imu_channel[f]), vec3(s, found.first_imu_channel[f] + 3));
      // The foot's range of motion counts from its last still pose, which may
      // come before its load starts to fall.
      foot_up[f] = vec3(s, found.first_imu_channel[f]);
      foot_still_now[f] = feet[f].ready() && foot_still[f].push(s.t_s, feet[f].orientation());
      if (feet[f].ready() && (foot_still_now[f] || !foot_rest[f])) foot_rest[f] = feet[f].orientation();
    }
    const double dt = std::isnan(last_load_t_s[f]) ? 0.0 : s.t_s - last_load_t_s[f];
    last_load_t_s[f] = s.t_s;
    latest_load[f] = load;
    if (!in_position) return;
    if (unload_detector[f]) handle(f, unload_detector[f]->push(s.t_s, load), s.t_s);
    if (foot_detector[f] && feet[f].ready()) handle(f, foot_detector[f]->push(s.t_s, feet[f].orientation()), s.t_s);
    for (Cycle& c : cycles) {
      if (!c.valid || !std::isfinite(load)) continue;
      c.load_sum[f] += load;
      ++c.load_count[f];
      if (load < foot_off_fraction * c.load_at_start[f]) c.off_s[f] += dt;
      if (c.foot_start[f] && feet[f].ready())
        c.foot_peak_deg[f] = std::max(c.foot_peak_deg[f], drill::turn_deg(*c.foot_start[f], feet[f].orientation()));
    }
  }

  // A would-be rep starts at the latest still sample: the pelvis's and the feet's poses now are its start.
  void start_cycle(int slot, double t_s) {
    Cycle& c = cycles[slot];
    c = Cycle{};
    c.valid = true;
    c.t_start_s = t_s;
    c.pelvis_start = pelvis.orientation();
    for (int f = 0; f < 2; ++f) {
      if (foot_rest[f]) c.foot_start[f] = *foot_rest[f];
      c.load_at_start[f] = std::isnan(latest_load[f]) ? 0.0 : latest_load[f];
    }
  }

  template <typename E>
  void handle(int slot, E event, double t_s) {
    switch (event) {
      case E::none: return;
      case E::candidate:
        if (active != slot) start_cycle(slot, t_s);
        return;
      case E::onset:
        if (active >= 0 || !cycles[slot].valid) return;
        active = slot;
        cycles[slot].confirmed = true;
        cycles[slot].calibration = calibration_pending;
        emit_crossings(cycles[slot]);
        return;
      case E::discarded:
        if (active == slot) active = -1;
        cycles[slot].valid = false;
        return;
      case E::complete:
        if (active != slot) return;
        if (cycles[slot].calibration) {
          frame.end_calibration();
          calibration_pending = false;
        } else {
          frame.end_rep(cycles[slot].track.any_crossed());
          finish_rep(slot);
        }
        active = -1;
        cycles[slot].valid = false;
        return;
    }
  }

  std::uint32_t rep_in_progress() const { return static_cast<std::uint32_t>(reps.size() + 1); }

  DrillSide side_of(int slot) const {
    if (config.exercise == DrillExercise::bridge) return config.side;
    if (config.side != DrillSide::both) return config.side;
    if (config.exercise == DrillExercise::single_leg_rdl) {
      // The standing leg is the side: the foot that carried more through the rep.
      const Cycle& c = cycles[slot];
      const double left = c.load_count[0] ? c.load_sum[0] / c.load_count[0] : 0.0;
      const double right = c.load_count[1] ? c.load_sum[1] / c.load_count[1] : 0.0;
      return left >= right ? DrillSide::left : DrillSide::right;
    }
    return slot == 0 ? DrillSide::left : DrillSide::right;
  }

  // The event's time is the sample that passed the tolerance; a crossing seen
  // before the rep's onset is published at the onset (fusion/DRILLS.md, "Latency").
  void emit_crossings(Cycle& c) {
    if (c.calibration) return;
    for (int axis = 0; axis < 3; ++axis) {
      if (!c.track.crossed(axis) || c.emitted[axis]) continue;
      c.emitted[axis] = true;
      if (!callbacks.on_pelvis_moved) continue;
      PelvisMovedEvent e;
      e.t_s = c.track.crossing_t_s(axis);
      e.exercise = config.exercise;
      e.side = side_of(active);
      e.rep = rep_in_progress();
      e.axis = static_cast<PelvisAxis>(axis);
      e.excursion_deg = c.track.crossing_deg(axis);
      e.tolerance_deg = tolerance_deg;
      callbacks.on_pelvis_moved(e);
    }
  }

  void finish_rep(int slot) {
    const Cycle& c = cycles[slot];
    RepEvent r;
    r.exercise = config.exercise;
    r.side = side_of(slot);
    r.rep = rep_in_progress();
    double hold_s = 0.0;
    if (hinge_detector) {
      r.t_start_s = hinge_detector->start_s();
      r.t_end_s = hinge_detector->end_s();
      hold_s = hinge_detector->hold_s();
    } else if (foot_detector[slot]) {
      r.t_start_s = foot_detector[slot]->start_s();
      r.t_end_s = foot_detector[slot]->end_s();
      hold_s = foot_detector[slot]->hold_s();
    } else {
      r.t_start_s = unload_detector[slot]->start_s();
      r.t_end_s = unload_detector[slot]->end_s();
    }
    r.t_s = r.t_end_s;
    r.excursion = c.track.worst();
    if (is_hinge()) {
      r.range_of_motion_deg = Metric::of(std::abs(r.excursion.tilt_deg));  // the hinge
    } else {
      const int foot = slot;
      r.range_of_motion_deg = c.foot_start[foot] ? Metric::of(c.foot_peak_deg[foot])
                                                 : Metric::absent(AbsentReason::no_insole);
    }
    if (def.has_hold) {
      if (config.exercise == DrillExercise::bridge && config.side != DrillSide::both)
        r.hold_s = c.off_s[static_cast<int>(config.side)];  // the leg-extended hold: that foot off the floor
      else
        r.hold_s = hold_s;
    }
    r.watched = def.watched;
    r.tolerance_deg = tolerance_deg;
    r.pelvis_moved = c.track.any_crossed();
    reps.push_back(r);
    if (callbacks.on_rep) callbacks.on_rep(r);
  }

  void finish() {
    if (finished) return;
    finished = true;
    if (hinge_detector) handle(0, hinge_detector->finish(), last_t_s);
    for (int f = 0; f < 2; ++f) {
      if (foot_detector[f]) handle(f, foot_detector[f]->finish(), last_t_s);
      if (unload_detector[f]) handle(f, unload_detector[f]->finish(), last_t_s);
    }
    if (callbacks.on_set)
      callbacks.on_set(drill::summarize_set(reps, config, def.one_sided, def.watched, tolerance_deg, last_t_s));
  }

  std::vector<StreamDescriptor> streams;
  DrillConfig config;
  Callbacks callbacks;
  const DrillDefinition& def;
  double tolerance_deg = 0.0;
  drill::DrillStreams found;
  drill::GyroOrientation pelvis;
  drill::PelvisFrame frame;
  bool frame_started = false;
  bool calibration_pending = config.calibration_hinge;  // the next hinge calibrates (DrillConfig::calibration_hinge)
  drill::StillWindow pelvis_still;
  bool in_position = false;
  std::array<drill::GyroOrientation, 2> feet;
  std::array<drill::StillWindow, 2> foot_still;
  std::array<std::optional<Eigen::Quaterniond>, 2> foot_rest;  // each foot's latest still pose
  std::array<bool, 2> foot_still_now{false, false};
  std::array<std::optional<Eigen::Vector3d>, 2> foot_up;  // the latest specific force, foot axes
  std::array<double, 2> latest_load{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  std::array<double, 2> last_load_t_s{std::numeric_limits<double>::quiet_NaN(),
                                      std::numeric_limits<double>::quiet_NaN()};
  std::optional<drill::TurnRepDetector> hinge_detector;
  std::array<std::optional<drill::TurnRepDetector>, 2> foot_detector;
  std::array<std::optional<drill::UnloadRepDetector>, 2> unload_detector;
  std::array<Cycle, 2> cycles;
  int active = -1;
  std::vector<RepEvent> reps;
  double last_t_s = 0.0;
  bool finished = false;
};

DrillTracker::DrillTracker(std::vector<StreamDescriptor> streams, DrillConfig config, Callbacks callbacks)
    : impl_(std::make_unique<Impl>(std::move(streams), config, std::move(callbacks))) {}

DrillTracker::~DrillTracker() = default;

void DrillTracker::push(const Sample& sample) { impl_->push(sample); }

void DrillTracker::finish() { impl_->finish(); }

}  // namespace stridefuse::fusion
