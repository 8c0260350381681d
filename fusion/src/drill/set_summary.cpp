#include "set_summary.hpp"

#include <cmath>

namespace stridefuse::fusion::drill {
namespace {

AxisSummary axis_summary(const std::vector<const RepEvent*>& reps, double PelvisExcursion::*axis) {
  if (reps.empty()) return {Metric::absent(AbsentReason::not_detected), Metric::absent(AbsentReason::not_detected)};
  double sum = 0.0, worst = 0.0;
  for (const RepEvent* r : reps) {
    const double v = r->excursion.*axis;
    sum += std::abs(v);
    if (std::abs(v) > std::abs(worst)) worst = v;
  }
  return {Metric::of(sum / static_cast<double>(reps.size())), Metric::of(worst)};
}

DrillSideSummary side_summary(DrillSide side, const std::vector<const RepEvent*>& reps) {
  DrillSideSummary s;
  s.side = side;
  s.reps = static_cast<std::uint32_t>(reps.size());
  s.tilt = axis_summary(reps, &PelvisExcursion::tilt_deg);
  s.obliquity = axis_summary(reps, &PelvisExcursion::obliquity_deg);
  s.rotation = axis_summary(reps, &PelvisExcursion::rotation_deg);
  s.mean_duration_s = Metric::absent(AbsentReason::not_detected);
  s.mean_range_of_motion_deg = Metric::absent(AbsentReason::not_detected);
  if (reps.empty()) return s;
  double duration = 0.0, rom = 0.0, hold = 0.0;
  int roms = 0, holds = 0;
  for (const RepEvent* r : reps) {
    if (r->pelvis_moved) ++s.reps_moved;
    duration += r->t_end_s - r->t_start_s;
    if (r->range_of_motion_deg) {
      rom += r->range_of_motion_deg.value;
      ++roms;
    } else if (roms == 0) {
      s.mean_range_of_motion_deg = r->range_of_motion_deg;  // absent, with the reps' reason
    }
    if (r->hold_s) {
      hold += *r->hold_s;
      ++holds;
    }
  }
  s.mean_duration_s = Metric::of(duration / static_cast<double>(reps.size()));
  if (roms > 0) s.mean_range_of_motion_deg = Metric::of(rom / roms);
  if (holds > 0) s.mean_hold_s = hold / holds;
  return s;
}

}  // namespace

DrillSetEvent summarize_set(const std::vector<RepEvent>& reps, const DrillConfig& config, bool one_sided,
                            const WatchedAxes& watched, double tolerance_deg, double t_s) {
  DrillSetEvent out;
  out.t_s = t_s;
  out.exercise = config.exercise;
  out.tolerance_deg = tolerance_deg;
  out.watched = watched;
  std::vector<DrillSide> sides{config.side};
  if (one_sided && config.side == DrillSide::both) sides = {DrillSide::left, DrillSide::right};
  for (const DrillSide side : sides) {
    std::vector<const RepEvent*> of_side;
    for (const auto& r : reps)
      if (r.side == side) of_side.push_back(&r);
    out.sides.push_back(side_summary(side, of_side));
  }
  return out;
}

}  // namespace stridefuse::fusion::drill
