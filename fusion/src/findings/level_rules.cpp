// Rules on a level one side holds over a window (fusion/FINDINGS.md):
// overstride, backseat, anterior tilt, hip drop; and cadence over both sides.

#include <cmath>

#include "rules.hpp"
#include "window_stats.hpp"

namespace stridefuse::fusion::findings {

namespace {

// A window fires when the one-sided 95 % bound of its mean is beyond the
// threshold: above it (`above`) or below it.
bool window_beyond(const StepList& steps, std::size_t first, std::size_t window, std::size_t min_values,
                   const ValueOf& value, double threshold, bool above) {
  const auto values = values_in(steps, first, window, value);
  if (values.size() < min_values) return false;
  const Summary s = summarize(values);
  return above ? mean_bound(s, true) > threshold : mean_bound(s, false) < threshold;
}

std::string span_text(const FormFinding& f) {
  return " (" + clock_text(f.t_start_s) + " to " + clock_text(f.t_end_s) + ", " + std::to_string(f.steps) +
         " steps).";
}

// A check on one side's windows of the rules' size, firing when `value`'s
// window mean is beyond `threshold`.
RuleCheck level_check(FindingCode code, FindingSide side, const FindingRules& rules, ValueOf value, double threshold,
                      bool above) {
  RuleCheck c;
  c.code = code;
  c.side = side;
  c.window = rules.window_steps;
  c.fires = [=](const StepList& steps, std::size_t first) {
    return window_beyond(steps, first, rules.window_steps, rules.min_steps, value, threshold, above);
  };
  return c;
}

void add_overstride(std::vector<RuleCheck>& out, FindingSide side, const FindingRules& rules,
                    const RunnerProfile& profile) {
  const bool angle = profile.leg_length_m.has_value();
  const ValueOf value = angle ? ValueOf([profile](const StepEvent& s) { return step_form(s, profile).landing_angle_deg; })
                              : metric_value(&StepEvent::foot_strike_distance_m);
  const double threshold = angle ? rules.overstride_landing_angle_deg : rules.overstride_distance_m;
  RuleCheck c = level_check(FindingCode::overstride, side, rules, value, threshold, true);
  c.describe = [=](const StepList& steps, StepSpan span) {
    FormFinding f = finding_over(FindingCode::overstride, side, steps, span, value,
                                 angle ? "landing_angle_deg" : "foot_strike_distance_m", angle ? "deg" : "m",
                                 threshold, true);
    const auto distances = values_in(steps, span.first, span.last - span.first + 1,
                                     metric_value(&StepEvent::foot_strike_distance_m));
    const double distance_m = summarize(distances).mean;
    f.message = side_word(side, true) + " foot landed " +
                (angle ? number(f.value, 1) + " deg ahead of the body (" + number(distance_m * 100.0, 0) +
                             " cm in front of the centre of mass), beyond the " + number(threshold, 0) + " deg"
                       : number(f.value * 100.0, 0) + " cm in front of the centre of mass, beyond the " +
                             number(threshold * 100.0, 0) + " cm") +
                " overstride threshold" + span_text(f);
    return f;
  };
  out.push_back(std::move(c));
}

void add_backseat(std::vector<RuleCheck>& out, FindingSide side, const FindingRules& rules) {
  const ValueOf share = [](const StepEvent& s) { return step_form(s).braking_share; };
  const ValueOf tilt = metric_value(&StepEvent::tilt_ic_deg);
  RuleCheck c;
  c.code = FindingCode::backseat;
  c.side = side;
  c.window = rules.window_steps;
  c.fires = [=](const StepList& steps, std::size_t first) {
    return window_beyond(steps, first, rules.window_steps, rules.min_steps, share, rules.backseat_braking_share,
                         true) &&
           window_beyond(steps, first, rules.window_steps, rules.min_steps, tilt, rules.backseat_tilt_deg, false);
  };
  c.describe = [=](const StepList& steps, StepSpan span) {
    FormFinding f = finding_over(FindingCode::backseat, side, steps, span, share, "braking_share", "share of stance",
                                 rules.backseat_braking_share, true);
    const double tilt_deg = summarize(values_in(steps, span.first, span.last - span.first + 1, tilt)).mean;
    f.message = side_word(side, true) + " stance spent " + number(f.value * 100.0, 0) +
                " % of its time braking (more than " + number(rules.backseat_braking_share * 100.0, 0) +
                " %) with the pelvis tilted " + number(std::abs(tilt_deg), 1) +
                " deg backward: the hips trail behind the foot" + span_text(f);
    return f;
  };
  out.push_back(std::move(c));
}

void add_anterior_tilt(std::vector<RuleCheck>& out, FindingSide side, const FindingRules& rules) {
  const ValueOf tilt = metric_value(&StepEvent::tilt_ic_deg);
  RuleCheck c = level_check(FindingCode::anterior_tilt, side, rules, tilt, rules.anterior_tilt_deg, true);
  c.describe = [=](const StepList& steps, StepSpan span) {
    FormFinding f = finding_over(FindingCode::anterior_tilt, side, steps, span, tilt, "tilt_ic_deg", "deg",
                                 rules.anterior_tilt_deg, true);
    f.message = "At " + side_word(side, false) + " foot contact the pelvis was tilted " + number(f.value, 1) +
                " deg forward of the standing posture, beyond " + number(rules.anterior_tilt_deg, 0) + " deg" +
                span_text(f);
    return f;
  };
  out.push_back(std::move(c));
}

void add_hip_drop(std::vector<RuleCheck>& out, FindingSide side, const FindingRules& rules) {
  const ValueOf drop = metric_value(&StepEvent::pelvic_drop_deg);
  RuleCheck c = level_check(FindingCode::hip_drop, side, rules, drop, rules.hip_drop_deg, true);
  c.describe = [=](const StepList& steps, StepSpan span) {
    FormFinding f = finding_over(FindingCode::hip_drop, side, steps, span, drop, "pelvic_drop_deg", "deg",
                                 rules.hip_drop_deg, true);
    const std::string swing = side == FindingSide::left ? "right" : side == FindingSide::right ? "left" : "opposite";
    f.message = "During " + side_word(side, false) + " stance the " + swing + " hip dropped " + number(f.value, 1) +
                " deg, beyond the " + number(rules.hip_drop_deg, 1) + " deg hip-drop threshold" + span_text(f);
    return f;
  };
  out.push_back(std::move(c));
}

}  // namespace

void add_level_checks(std::vector<RuleCheck>& out, FindingSide side, const FindingRules& rules,
                      const RunnerProfile& profile) {
  add_overstride(out, side, rules, profile);
  add_backseat(out, side, rules);
  add_anterior_tilt(out, side, rules);
  add_hip_drop(out, side, rules);
}

void add_cadence_check(std::vector<RuleCheck>& out, const FindingRules& rules) {
  const ValueOf cadence = metric_value(&StepEvent::cadence_spm);
  RuleCheck c;
  c.code = FindingCode::cadence_low;
  c.side = FindingSide::both;
  c.window = 2 * rules.window_steps;  // both feet: twice one side's window
  c.fires = [=](const StepList& steps, std::size_t first) {
    return window_beyond(steps, first, 2 * rules.window_steps, 2 * rules.min_steps, cadence, rules.cadence_low_spm,
                         false);
  };
  c.describe = [=](const StepList& steps, StepSpan span) {
    FormFinding f = finding_over(FindingCode::cadence_low, FindingSide::both, steps, span, cadence, "cadence_spm",
                                 "steps/min", rules.cadence_low_spm, false);
    f.message = "Cadence was " + number(f.value, 0) + " steps per minute, below the threshold of " +
                number(rules.cadence_low_spm, 0) + span_text(f);
    return f;
  };
  out.push_back(std::move(c));
}

}  // namespace stridefuse::fusion::findings
