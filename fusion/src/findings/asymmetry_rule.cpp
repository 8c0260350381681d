// Left against right (fusion/FINDINGS.md, "asymmetry"; fusion/METRICS.md,
// "Comparing sides"): a symmetry index for metrics positive on both sides,
// the same on magnitudes for angles whose sign mirrors with the side
// (obliquity, rotation: left and right are mirror images, so their signed
// mean is near zero and a ratio of it means nothing), and the difference in
// the metric's own unit for metrics that can be near zero.

#include <cmath>

#include "rules.hpp"
#include "window_stats.hpp"

namespace stridefuse::fusion {

namespace {

enum class IndexKind {
  ratio,            ///< (L - R) / mean(L, R) x 100 %
  magnitude_ratio,  ///< the same on |L|, |R|
  difference,       ///< L - R in the metric's unit
};

struct SideMetric {
  const char* name;
  const char* words;  ///< for messages
  Metric StepEvent::*member;
  IndexKind kind;
  /// A ratio needs a mean magnitude of at least this (unit of the metric);
  /// below it the difference is taken instead (near zero a ratio explodes).
  double ratio_floor;
  const char* unit;
  double display_scale;  ///< unit to the message's unit (m to cm, s to ms)
  const char* display_unit;
  /// Judged by the asymmetry rule; the others are compared (the report) but
  /// have no threshold of their own.
  bool judged;
};

// Every step metric of stridefuse/core/step_fields.hpp.
constexpr SideMetric side_metrics[] = {
    {"contact_time_s", "Contact time", &StepEvent::contact_time_s, IndexKind::ratio, 0.0, "s", 1000.0, "ms", true},
    {"flight_time_s", "Flight time", &StepEvent::flight_time_s, IndexKind::difference, 0.0, "s", 1000.0, "ms", false},
    {"cadence_spm", "Cadence", &StepEvent::cadence_spm, IndexKind::ratio, 0.0, "steps/min", 1.0, "steps/min", false},
    {"strike_index_pct", "Strike index", &StepEvent::strike_index_pct, IndexKind::ratio, 5.0, "%", 1.0, "%", false},
    {"foot_strike_distance_m", "Foot-strike distance", &StepEvent::foot_strike_distance_m, IndexKind::difference, 0.0,
     "m", 100.0, "cm", true},
    {"braking_time_s", "Braking time", &StepEvent::braking_time_s, IndexKind::ratio, 0.0, "s", 1000.0, "ms", false},
    {"step_length_m", "Step length", &StepEvent::step_length_m, IndexKind::ratio, 0.0, "m", 100.0, "cm", false},
    {"tilt_ic_deg", "Pelvic tilt at contact", &StepEvent::tilt_ic_deg, IndexKind::difference, 0.0, "deg", 1.0, "deg",
     true},
    {"obliquity_ic_deg", "Pelvic obliquity at contact (as magnitudes: the sides mirror each other)",
     &StepEvent::obliquity_ic_deg, IndexKind::magnitude_ratio, 2.0, "deg", 1.0, "deg", true},
    {"rotation_ic_deg", "Pelvic rotation at contact (as magnitudes: the sides mirror each other)",
     &StepEvent::rotation_ic_deg, IndexKind::magnitude_ratio, 2.0, "deg", 1.0, "deg", true},
    {"pelvic_drop_deg", "Pelvic drop", &StepEvent::pelvic_drop_deg, IndexKind::ratio, 2.0, "deg", 1.0, "deg", true},
    {"vertical_oscillation_m", "Vertical oscillation", &StepEvent::vertical_oscillation_m, IndexKind::ratio, 0.0, "m",
     100.0, "cm", false},
};

const SideMetric* side_metric(std::string_view name) {
  for (const SideMetric& m : side_metrics)
    if (name == m.name) return &m;
  return nullptr;
}

struct SideValues {
  std::vector<double> left, right;
};

SideValues split(const findings::StepList& steps, std::size_t first, std::size_t count, const SideMetric& m) {
  SideValues v;
  for (std::size_t i = first; i < first + count && i < steps.size(); ++i) {
    const Metric& x = steps[i]->*m.member;
    if (!x.present()) continue;
    (steps[i]->side == Side::left ? v.left : v.right).push_back(x.value);
  }
  return v;
}

// The comparison, and the one-sided 95 % lower bound of |index| (the rule's evidence).
SideComparison compare(const SideMetric& m, std::span<const double> left, std::span<const double> right,
                       double* index_bound) {
  SideComparison c;
  c.magnitudes = m.kind == IndexKind::magnitude_ratio;
  std::vector<double> l(left.begin(), left.end()), r(right.begin(), right.end());
  if (c.magnitudes) {
    for (double& x : l) x = std::abs(x);
    for (double& x : r) x = std::abs(x);
  }
  const findings::Summary sl = findings::summarize(l), sr = findings::summarize(r);
  c.left = sl.mean;
  c.right = sr.mean;
  c.left_n = sl.n;
  c.right_n = sr.n;
  const double level = (std::abs(sl.mean) + std::abs(sr.mean)) / 2.0;
  c.ratio = m.kind != IndexKind::difference && level >= m.ratio_floor && level > 0.0;
  const double scale = c.ratio ? 100.0 / level : 1.0;
  c.index = (sl.mean - sr.mean) * scale;
  if (index_bound) *index_bound = findings::difference_lower_bound(sl, sr) * scale;
  return c;
}

double threshold_of(const SideComparison& c, const SideMetric& m, const FindingRules& rules) {
  if (c.ratio) return rules.asymmetry_pct;
  return std::string_view(m.unit) == "m" ? rules.asymmetry_distance_m : rules.asymmetry_angle_deg;
}

}  // namespace

std::optional<SideComparison> compare_sides(std::string_view metric, std::span<const double> left,
                                            std::span<const double> right) {
  const SideMetric* m = side_metric(metric);
  if (!m || left.empty() || right.empty()) return std::nullopt;
  return compare(*m, left, right, nullptr);
}

namespace findings {

void add_asymmetry_checks(std::vector<RuleCheck>& out, const FindingRules& rules) {
  const std::size_t window = 2 * rules.window_steps;
  for (const SideMetric& m : side_metrics) {
    if (!m.judged) continue;
    const SideMetric* metric = &m;  // a constant table: outlives the check
    RuleCheck c;
    c.code = FindingCode::asymmetry;
    c.side = FindingSide::both;
    c.window = window;
    c.fires = [=](const StepList& steps, std::size_t first) {
      const SideValues v = split(steps, first, window, *metric);
      if (v.left.size() < rules.min_steps || v.right.size() < rules.min_steps) return false;
      double bound = 0.0;
      const SideComparison cmp = compare(*metric, v.left, v.right, &bound);
      return bound > threshold_of(cmp, *metric, rules);
    };
    c.describe = [=](const StepList& steps, StepSpan span) {
      const SideMetric& sm = *metric;
      const SideValues v = split(steps, span.first, span.last - span.first + 1, sm);
      const SideComparison cmp = compare(sm, v.left, v.right, nullptr);
      const double threshold = threshold_of(cmp, sm, rules);
      FormFinding f;
      f.code = FindingCode::asymmetry;
      f.side = cmp.index >= 0.0 ? FindingSide::left : FindingSide::right;
      f.metric = sm.name;
      f.t_start_s = steps[span.first]->t_ic_s;
      f.t_end_s = steps[span.last]->t_ic_s;
      f.value = cmp.index;
      f.threshold = threshold;
      f.unit = cmp.ratio ? "%" : sm.unit;
      f.steps = cmp.left_n + cmp.right_n;
      f.strength = (std::abs(cmp.index) - threshold) / threshold;
      const int decimals = sm.display_scale > 1.0 ? 0 : 1;
      const std::string index_text =
          cmp.ratio ? "asymmetry index " + number(cmp.index, 0) + " %, beyond " + number(threshold, 0) + " %"
                    : "difference " + number(cmp.index * sm.display_scale, decimals) + " " + sm.display_unit +
                          ", beyond " + number(threshold * sm.display_scale, decimals) + " " + sm.display_unit;
      f.message = std::string(sm.words) + ": left " + number(cmp.left * sm.display_scale, decimals) + " " +
                  sm.display_unit + ", right " + number(cmp.right * sm.display_scale, decimals) + " " +
                  sm.display_unit + " (" + index_text + "; larger on the " + side_word(f.side, false) + ", " +
                  clock_text(f.t_start_s) + " to " + clock_text(f.t_end_s) + ", " + std::to_string(f.steps) +
                  " steps).";
      return f;
    };
    out.push_back(std::move(c));
  }
}

}  // namespace findings
}  // namespace stridefuse::fusion
