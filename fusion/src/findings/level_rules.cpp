// Rules on a level one side holds over a window (fusion/FINDINGS.md):
// overstride, backseat, anterior tilt, hip drop; and cadence over both sides.

#include <cmath>

#include "rules.hpp"
#include "window_stats.hpp"

namespace stridefuse::fusion::findings {

namespace {

// A window fires when the one-sided 95 % bound of its mean is beyond the
// threshold: above it (`above`) or below it.
bool window_beyond(const StepList& steps, std::size_t first, const FindingRules& rules, const ValueOf& value,
                   double threshold, bool above) {
  const auto values = values_in(steps, first, rules.window_steps, value);
  if (values.size() < rules.min_steps) return false;
  const Summary s = summarize(values);
  return above ? mean_bound(s, true) > threshold : mean_bound(s, false) < threshold;
}

std::string span_text(const FormFinding& f) {
  return " (" + clock_text(f.t_start_s) + " to " + clock_text(f.t_end_s) + ", " + std::to_string(f.steps) +
         " steps).";
}

void overstride(const StepList& steps, FindingSide side, const FindingRules& rules, const RunnerProfile& profile,
                std::vector<FormFinding>& out) {
  const bool angle = profile.leg_length_m.has_value();
  const ValueOf value = angle ? ValueOf([&profile](const StepEvent& s) { return step_form(s, profile).landing_angle_deg; })
                              : metric_value(&StepEvent::foot_strike_distance_m);
  const double threshold = angle ? rules.overstride_landing_angle_deg : rules.overstride_distance_m;
  const auto fires = [&](std::size_t first) { return window_beyond(steps, first, rules, value, threshold, true); };
  for (const StepSpan span : firing_spans(steps.size(), rules.window_steps, rules.sustain_windows, fires)) {
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
    out.push_back(std::move(f));
  }
}

void backseat(const StepList& steps, FindingSide side, const FindingRules& rules, std::vector<FormFinding>& out) {
  const ValueOf share = [](const StepEvent& s) { return step_form(s).braking_share; };
  const ValueOf tilt = metric_value(&StepEvent::tilt_ic_deg);
  const auto fires = [&](std::size_t first) {
    return window_beyond(steps, first, rules, share, rules.backseat_braking_share, true) &&
           window_beyond(steps, first, rules, tilt, rules.backseat_tilt_deg, false);
  };
  for (const StepSpan span : firing_spans(steps.size(), rules.window_steps, rules.sustain_windows, fires)) {
    FormFinding f = finding_over(FindingCode::backseat, side, steps, span, share, "braking_share", "share of stance",
                                 rules.backseat_braking_share, true);
    const double tilt_deg = summarize(values_in(steps, span.first, span.last - span.first + 1, tilt)).mean;
    f.message = side_word(side, true) + " stance spent " + number(f.value * 100.0, 0) +
                " % of its time braking (more than " + number(rules.backseat_braking_share * 100.0, 0) +
                " %) with the pelvis tilted " + number(std::abs(tilt_deg), 1) +
                " deg backward: the hips trail behind the foot" + span_text(f);
    out.push_back(std::move(f));
  }
}

void anterior_tilt(const StepList& steps, FindingSide side, const FindingRules& rules, std::vector<FormFinding>& out) {
  const ValueOf tilt = metric_value(&StepEvent::tilt_ic_deg);
  const auto fires = [&](std::size_t first) {
    return window_beyond(steps, first, rules, tilt, rules.anterior_tilt_deg, true);
  };
  for (const StepSpan span : firing_spans(steps.size(), rules.window_steps, rules.sustain_windows, fires)) {
    FormFinding f = finding_over(FindingCode::anterior_tilt, side, steps, span, tilt, "tilt_ic_deg", "deg",
                                 rules.anterior_tilt_deg, true);
    f.message = "At " + side_word(side, false) + " foot contact the pelvis was tilted " + number(f.value, 1) +
                " deg forward of the standing posture, beyond " + number(rules.anterior_tilt_deg, 0) + " deg" +
                span_text(f);
    out.push_back(std::move(f));
  }
}

void hip_drop(const StepList& steps, FindingSide side, const FindingRules& rules, std::vector<FormFinding>& out) {
  const ValueOf drop = metric_value(&StepEvent::pelvic_drop_deg);
  const auto fires = [&](std::size_t first) { return window_beyond(steps, first, rules, drop, rules.hip_drop_deg, true); };
  for (const StepSpan span : firing_spans(steps.size(), rules.window_steps, rules.sustain_windows, fires)) {
    FormFinding f = finding_over(FindingCode::hip_drop, side, steps, span, drop, "pelvic_drop_deg", "deg",
                                 rules.hip_drop_deg, true);
    const std::string swing = side == FindingSide::left ? "right" : side == FindingSide::right ? "left" : "opposite";
    f.message = "During " + side_word(side, false) + " stance the " + swing + " hip dropped " + number(f.value, 1) +
                " deg, beyond the " + number(rules.hip_drop_deg, 1) + " deg hip-drop threshold" +
                span_text(f);
    out.push_back(std::move(f));
  }
}

}  // namespace

void level_findings(const StepList& side_steps, FindingSide side, const FindingRules& rules,
                    const RunnerProfile& profile, std::vector<FormFinding>& out) {
  overstride(side_steps, side, rules, profile, out);
  backseat(side_steps, side, rules, out);
  anterior_tilt(side_steps, side, rules, out);
  hip_drop(side_steps, side, rules, out);
}

void cadence_findings(const StepList& all_steps, const FindingRules& rules, std::vector<FormFinding>& out) {
  const ValueOf cadence = metric_value(&StepEvent::cadence_spm);
  FindingRules both = rules;  // both feet: twice one side's window
  both.window_steps = 2 * rules.window_steps;
  both.min_steps = 2 * rules.min_steps;
  const auto fires = [&](std::size_t first) {
    return window_beyond(all_steps, first, both, cadence, rules.cadence_low_spm, false);
  };
  for (const StepSpan span : firing_spans(all_steps.size(), both.window_steps, rules.sustain_windows, fires)) {
    FormFinding f = finding_over(FindingCode::cadence_low, FindingSide::both, all_steps, span, cadence, "cadence_spm",
                                 "steps/min", rules.cadence_low_spm, false);
    f.message = "Cadence was " + number(f.value, 0) + " steps per minute, below the threshold of " +
                number(rules.cadence_low_spm, 0) + span_text(f);
    out.push_back(std::move(f));
  }
}

}  // namespace stridefuse::fusion::findings
