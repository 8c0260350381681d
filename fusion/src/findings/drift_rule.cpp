// Fatigue drift (fusion/FINDINGS.md, "fatigue_drift"; fusion/METRICS.md,
// "form drift"): a metric's rolling window against the runner's own start on
// that side. A sustained move, not one step: the window's median must have
// moved by the threshold, and the lower 95 % bound of the change of its mean
// must be beyond it too.

#include <cmath>

#include "rules.hpp"
#include "window_stats.hpp"

namespace stridefuse::fusion::findings {

namespace {

struct DriftMetric {
  const char* name;
  const char* words;
  Metric StepEvent::*member;
  bool distance;  ///< threshold drift_distance_m, else drift_angle_deg
  double display_scale;
  const char* display_unit;
  int decimals;
};

constexpr DriftMetric metrics[] = {
    {"pelvic_drop_deg", "pelvic drop", &StepEvent::pelvic_drop_deg, false, 1.0, "deg", 1},
    {"tilt_ic_deg", "pelvic tilt at contact", &StepEvent::tilt_ic_deg, false, 1.0, "deg", 1},
    {"foot_strike_distance_m", "foot-strike distance", &StepEvent::foot_strike_distance_m, true, 100.0, "cm", 1},
};

}  // namespace

void drift_findings(const StepList& side_steps, FindingSide side, const FindingRules& rules,
                    std::vector<FormFinding>& out) {
  const std::size_t start = rules.drift_skip_steps + rules.window_steps;  // first step after the baseline
  if (side_steps.size() < start + rules.window_steps) return;
  for (const DriftMetric& m : metrics) {
    const ValueOf value = metric_value(m.member);
    const auto baseline_values = values_in(side_steps, rules.drift_skip_steps, rules.window_steps, value);
    if (baseline_values.size() < rules.min_steps) continue;
    const Summary baseline = summarize(baseline_values);
    const double baseline_median = median(baseline_values);
    const double threshold = m.distance ? rules.drift_distance_m : rules.drift_angle_deg;
    const auto fires = [&](std::size_t offset) {
      const auto values = values_in(side_steps, start + offset, rules.window_steps, value);
      if (values.size() < rules.min_steps) return false;
      return std::abs(median(values) - baseline_median) >= threshold &&
             difference_lower_bound(summarize(values), baseline) > threshold;
    };
    for (StepSpan span : firing_spans(side_steps.size() - start, rules.window_steps, rules.sustain_windows, fires)) {
      span.first += start;
      span.last += start;
      const auto last_window = values_in(side_steps, span.last + 1 - rules.window_steps, rules.window_steps, value);
      FormFinding f;
      f.code = FindingCode::fatigue_drift;
      f.side = side;
      f.metric = m.name;
      f.unit = m.distance ? "m" : "deg";
      f.t_start_s = side_steps[span.first]->t_ic_s;
      f.t_end_s = side_steps[span.last]->t_ic_s;
      const double now = median(last_window);
      f.value = now - baseline_median;
      f.threshold = threshold;
      f.steps = values_in(side_steps, span.first, span.last - span.first + 1, value).size();
      f.strength = (std::abs(f.value) - threshold) / threshold;
      const double baseline_t = side_steps[rules.drift_skip_steps]->t_ic_s;
      f.message = side_word(side, true) + " " + m.words + " moved from " +
                  number(baseline_median * m.display_scale, m.decimals) + " " + m.display_unit + " at the start (" +
                  clock_text(baseline_t) + ") to " + number(now * m.display_scale, m.decimals) + " " + m.display_unit +
                  " (" + (f.value >= 0 ? "+" : "") + number(f.value * m.display_scale, m.decimals) + " " +
                  m.display_unit + ", beyond " + number(threshold * m.display_scale, m.decimals) + " " +
                  m.display_unit + "): a drift from " + clock_text(f.t_start_s) + " to " + clock_text(f.t_end_s) +
                  ", " + std::to_string(f.steps) + " steps.";
      out.push_back(std::move(f));
    }
  }
}

}  // namespace stridefuse::fusion::findings
