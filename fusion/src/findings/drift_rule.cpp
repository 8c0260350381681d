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

void add_drift_checks(std::vector<RuleCheck>& out, FindingSide side, const FindingRules& rules) {
  for (const DriftMetric& dm : metrics) {
    const DriftMetric* m = &dm;  // a constant table: outlives the check
    const ValueOf value = metric_value(m->member);
    const double threshold = m->distance ? rules.drift_distance_m : rules.drift_angle_deg;
    // The side's own start: its window of steps after the first few.
    const auto baseline_of = [=](const StepList& steps) {
      return values_in(steps, rules.drift_skip_steps, rules.window_steps, value);
    };
    RuleCheck c;
    c.code = FindingCode::fatigue_drift;
    c.side = side;
    c.window = rules.window_steps;
    c.first_window = rules.drift_skip_steps + rules.window_steps;
    c.fires = [=](const StepList& steps, std::size_t first) {
      const auto baseline = baseline_of(steps);
      if (baseline.size() < rules.min_steps) return false;
      const auto values = values_in(steps, first, rules.window_steps, value);
      if (values.size() < rules.min_steps) return false;
      return std::abs(median(values) - median(baseline)) >= threshold &&
             difference_lower_bound(summarize(values), summarize(baseline)) > threshold;
    };
    c.describe = [=](const StepList& steps, StepSpan span) {
      const auto baseline = baseline_of(steps);
      const double baseline_median = median(baseline);
      const std::size_t last_first = span.last + 1 >= rules.window_steps ? span.last + 1 - rules.window_steps : 0;
      const double now = median(values_in(steps, last_first, rules.window_steps, value));
      FormFinding f;
      f.code = FindingCode::fatigue_drift;
      f.side = side;
      f.metric = m->name;
      f.unit = m->distance ? "m" : "deg";
      f.t_start_s = steps[span.first]->t_ic_s;
      f.t_end_s = steps[span.last]->t_ic_s;
      f.value = now - baseline_median;
      f.threshold = threshold;
      f.steps = values_in(steps, span.first, span.last - span.first + 1, value).size();
      f.strength = (std::abs(f.value) - threshold) / threshold;
      const double baseline_t = steps[rules.drift_skip_steps]->t_ic_s;
      f.message = side_word(side, true) + " " + m->words + " moved from " +
                  number(baseline_median * m->display_scale, m->decimals) + " " + m->display_unit + " at the start (" +
                  clock_text(baseline_t) + ") to " + number(now * m->display_scale, m->decimals) + " " +
                  m->display_unit + " (" + (f.value >= 0 ? "+" : "") +
                  number(f.value * m->display_scale, m->decimals) + " " + m->display_unit + ", beyond " +
                  number(threshold * m->display_scale, m->decimals) + " " + m->display_unit + "): a drift from " +
                  clock_text(f.t_start_s) + " to " + clock_text(f.t_end_s) + ", " + std::to_string(f.steps) +
                  " steps.";
      return f;
    };
    out.push_back(std::move(c));
  }
}

}  // namespace stridefuse::fusion::findings
