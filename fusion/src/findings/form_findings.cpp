#include "stridefuse/fusion/form_findings.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "rules.hpp"
#include "positive_setting_check.hpp"

namespace stridefuse::fusion {

void validate(const FindingRules& r, const RunnerProfile& profile) {
  const PositiveSettingCheck require_positive("finding rules: ");
  if (r.window_steps < 3) throw std::invalid_argument("finding rules: window_steps must be at least 3");
  if (r.min_steps < 3 || r.min_steps > r.window_steps)
    throw std::invalid_argument("finding rules: min_steps must be at least 3 and at most window_steps");
  if (r.sustain_windows < 1) throw std::invalid_argument("finding rules: sustain_windows must be at least 1");
  require_positive(r.overstride_landing_angle_deg, "overstride_landing_angle_deg");
  require_positive(r.overstride_distance_m, "overstride_distance_m");
  require_positive(r.backseat_braking_share, "backseat_braking_share");
  if (!std::isfinite(r.backseat_tilt_deg)) throw std::invalid_argument("finding rules: backseat_tilt_deg must be finite");
  require_positive(r.anterior_tilt_deg, "anterior_tilt_deg");
  require_positive(r.hip_drop_deg, "hip_drop_deg");
  require_positive(r.asymmetry_pct, "asymmetry_pct");
  require_positive(r.asymmetry_angle_deg, "asymmetry_angle_deg");
  require_positive(r.asymmetry_distance_m, "asymmetry_distance_m");
  require_positive(r.drift_angle_deg, "drift_angle_deg");
  require_positive(r.drift_distance_m, "drift_distance_m");
  require_positive(r.cadence_low_spm, "cadence_low_spm");
  if (profile.leg_length_m) require_positive(*profile.leg_length_m, "the runner's leg_length_m");
}

StepForm step_form(const StepEvent& step, const RunnerProfile& profile) {
  StepForm f;
  if (step.foot_strike_distance_m.present() && profile.leg_length_m) {
    const double d = step.foot_strike_distance_m.value;
    f.foot_strike_leg_lengths = d / *profile.leg_length_m;
    f.landing_angle_deg = std::atan2(d, *profile.leg_length_m) * 180.0 / std::numbers::pi;
  }
  if (step.braking_time_s.present() && step.contact_time_s.present() && step.contact_time_s.value > 0.0)
    f.braking_share = step.braking_time_s.value / step.contact_time_s.value;
  return f;
}

namespace findings {

namespace {

// Left and right findings of one rule and metric over overlapping spans are
// one finding of both sides: a coach reads "both hips", not two lines.
bool mergeable(const FormFinding& a, const FormFinding& b) {
  return a.code == b.code && a.code != FindingCode::asymmetry && a.code != FindingCode::cadence_low &&
         a.metric == b.metric && a.side != b.side && a.side != FindingSide::both && b.side != FindingSide::both &&
         a.t_start_s <= b.t_end_s && b.t_start_s <= a.t_end_s;
}

FormFinding merged(const FormFinding& a, const FormFinding& b) {
  const FormFinding& left = a.side == FindingSide::left ? a : b;
  const FormFinding& right = a.side == FindingSide::left ? b : a;
  FormFinding f = left;
  f.side = FindingSide::both;
  f.t_start_s = std::min(a.t_start_s, b.t_start_s);
  f.t_end_s = std::max(a.t_end_s, b.t_end_s);
  f.steps = a.steps + b.steps;
  const double wa = static_cast<double>(a.steps), wb = static_cast<double>(b.steps);
  f.value = (a.value * wa + b.value * wb) / (wa + wb);
  f.strength = (a.strength * wa + b.strength * wb) / (wa + wb);
  f.message = "Both sides. " + left.message + " " + right.message;
  return f;
}

}  // namespace

std::vector<FormFinding> merge_sides(std::vector<FormFinding> in) {
  std::vector<FormFinding> out;
  std::vector<bool> used(in.size(), false);
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (used[i]) continue;
    bool done = false;
    for (std::size_t j = i + 1; j < in.size() && !done; ++j)
      if (!used[j] && mergeable(in[i], in[j])) {
        out.push_back(merged(in[i], in[j]));
        used[j] = done = true;
      }
    if (!done) out.push_back(in[i]);
  }
  return out;
}

std::vector<RuleCheck> rule_checks(const FindingRules& rules, const RunnerProfile& profile) {
  std::vector<RuleCheck> checks;
  for (const FindingSide side : {FindingSide::left, FindingSide::right}) {
    add_level_checks(checks, side, rules, profile);
    add_drift_checks(checks, side, rules);
  }
  add_asymmetry_checks(checks, rules);
  add_cadence_check(checks, rules);
  return checks;
}

}  // namespace findings

std::vector<FormFinding> find_form_findings(std::span<const StepEvent> steps, const FindingRules& rules,
                                            const RunnerProfile& profile) {
  validate(rules, profile);
  findings::StepList all, left, right;
  for (const StepEvent& s : steps)
    if (s.gait_mode != GaitMode::walking) all.push_back(&s);
  std::stable_sort(all.begin(), all.end(), [](const StepEvent* a, const StepEvent* b) { return a->t_ic_s < b->t_ic_s; });
  for (const StepEvent* s : all) (s->side == Side::left ? left : right).push_back(s);

  std::vector<FormFinding> found;
  for (const auto& check : findings::rule_checks(rules, profile)) {
    const auto& list = check.side == FindingSide::left ? left : check.side == FindingSide::right ? right : all;
    if (list.size() < check.first_window) continue;
    const auto fires = [&](std::size_t offset) { return check.fires(list, check.first_window + offset); };
    for (findings::StepSpan span :
         findings::firing_spans(list.size() - check.first_window, check.window, rules.sustain_windows, fires)) {
      span.first += check.first_window;
      span.last += check.first_window;
      found.push_back(check.describe(list, span));
    }
  }
  auto out = findings::merge_sides(std::move(found));
  std::stable_sort(out.begin(), out.end(), [](const FormFinding& a, const FormFinding& b) {
    if (a.t_start_s != b.t_start_s) return a.t_start_s < b.t_start_s;
    return a.code < b.code;
  });
  return out;
}

}  // namespace stridefuse::fusion
