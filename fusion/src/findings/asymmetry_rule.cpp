// Left against right (fusion/FINDINGS.md, "asymmetry"; fusion/METRICS.md,
// "Comparing sides"): a symmetry index for metrics positive on both sides,
// the same on magnitudes for angles whose sign mirrors with the side
// (obliquity, rotation: left and right are mirror images, so their signed
// mean is near zero and a ratio of it means nothing), and the difference in
// the metric's own unit for metrics that can be near zero.

#include <cmath>

#include "rules.hpp"
#include "window_stats.hpp"

namespace stridefuse::fusion::findings {

namespace {

enum class IndexKind {
  ratio,            ///< (L - R) / mean(L, R) x 100 %
  magnitude_ratio,  ///< the same on |L|, |R|
  difference,       ///< L - R in the metric's unit
};

struct AsymmetryMetric {
  const char* name;
  const char* words;  ///< for messages
  Metric StepEvent::*member;
  IndexKind kind;
  /// A ratio needs a mean magnitude of at least this (unit of the metric);
  /// below it the difference is judged instead (near zero a ratio explodes).
  double ratio_floor;
  const char* unit;
  double display_scale;  ///< unit to the message's unit (m to cm)
  const char* display_unit;
};

constexpr AsymmetryMetric metrics[] = {
    {"contact_time_s", "Contact time", &StepEvent::contact_time_s, IndexKind::ratio, 0.0, "s", 1000.0, "ms"},
    {"pelvic_drop_deg", "Pelvic drop", &StepEvent::pelvic_drop_deg, IndexKind::ratio, 2.0, "deg", 1.0, "deg"},
    {"obliquity_ic_deg", "Pelvic obliquity at contact (as magnitudes: the sides mirror each other)",
     &StepEvent::obliquity_ic_deg, IndexKind::magnitude_ratio, 2.0, "deg", 1.0, "deg"},
    {"rotation_ic_deg", "Pelvic rotation at contact (as magnitudes: the sides mirror each other)",
     &StepEvent::rotation_ic_deg, IndexKind::magnitude_ratio, 2.0, "deg", 1.0, "deg"},
    {"tilt_ic_deg", "Pelvic tilt at contact", &StepEvent::tilt_ic_deg, IndexKind::difference, 0.0, "deg", 1.0, "deg"},
    {"foot_strike_distance_m", "Foot-strike distance", &StepEvent::foot_strike_distance_m, IndexKind::difference, 0.0,
     "m", 100.0, "cm"},
};

struct SideValues {
  std::vector<double> left, right;
};

SideValues split(const StepList& steps, std::size_t first, std::size_t count, const AsymmetryMetric& m) {
  SideValues v;
  for (std::size_t i = first; i < first + count && i < steps.size(); ++i) {
    const Metric& x = steps[i]->*m.member;
    if (!x.present()) continue;
    const double value = m.kind == IndexKind::magnitude_ratio ? std::abs(x.value) : x.value;
    (steps[i]->side == Side::left ? v.left : v.right).push_back(value);
  }
  return v;
}

struct Judgement {
  bool ratio = false;   ///< judged as a ratio (%), else as a difference
  double index = 0.0;   ///< signed: positive when left is larger
  double bound = 0.0;   ///< lower 95 % bound of |index|
  double threshold = 0.0;
};

Judgement judge(const Summary& l, const Summary& r, const AsymmetryMetric& m, const FindingRules& rules) {
  Judgement j;
  const double mean_level = (std::abs(l.mean) + std::abs(r.mean)) / 2.0;
  j.ratio = m.kind != IndexKind::difference && mean_level >= m.ratio_floor && mean_level > 0.0;
  const double scale = j.ratio ? 100.0 / mean_level : 1.0;
  j.index = (l.mean - r.mean) * scale;
  j.bound = difference_lower_bound(l, r) * scale;
  const bool distance = std::string_view(m.unit) == "m";
  j.threshold = j.ratio ? rules.asymmetry_pct : distance ? rules.asymmetry_distance_m : rules.asymmetry_angle_deg;
  return j;
}

}  // namespace

void asymmetry_findings(const StepList& all_steps, const FindingRules& rules, std::vector<FormFinding>& out) {
  const std::size_t window = 2 * rules.window_steps;
  for (const AsymmetryMetric& m : metrics) {
    const auto fires = [&](std::size_t first) {
      const SideValues v = split(all_steps, first, window, m);
      if (v.left.size() < rules.min_steps || v.right.size() < rules.min_steps) return false;
      const Judgement j = judge(summarize(v.left), summarize(v.right), m, rules);
      return j.bound > j.threshold;
    };
    for (const StepSpan span : firing_spans(all_steps.size(), window, rules.sustain_windows, fires)) {
      const SideValues v = split(all_steps, span.first, span.last - span.first + 1, m);
      const Summary l = summarize(v.left), r = summarize(v.right);
      const Judgement j = judge(l, r, m, rules);
      FormFinding f;
      f.code = FindingCode::asymmetry;
      f.side = j.index >= 0.0 ? FindingSide::left : FindingSide::right;
      f.metric = m.name;
      f.t_start_s = all_steps[span.first]->t_ic_s;
      f.t_end_s = all_steps[span.last]->t_ic_s;
      f.value = j.index;
      f.threshold = j.threshold;
      f.unit = j.ratio ? "%" : m.unit;
      f.steps = l.n + r.n;
      f.strength = (std::abs(j.index) - j.threshold) / j.threshold;
      const int decimals = m.display_scale > 1.0 ? 0 : 1;
      const std::string index_text =
          j.ratio ? "asymmetry index " + number(j.index, 0) + " %, beyond " + number(j.threshold, 0) + " %"
                  : "difference " + number(j.index * m.display_scale, decimals) + " " + m.display_unit + ", beyond " +
                        number(j.threshold * m.display_scale, decimals) + " " + m.display_unit;
      f.message = std::string(m.words) + ": left " + number(l.mean * m.display_scale, decimals) + " " +
                  m.display_unit + ", right " + number(r.mean * m.display_scale, decimals) + " " + m.display_unit +
                  " (" + index_text + "; larger on the " + side_word(f.side, false) + ", " + clock_text(f.t_start_s) +
                  " to " + clock_text(f.t_end_s) + ", " + std::to_string(f.steps) + " steps).";
      out.push_back(std::move(f));
    }
  }
}

}  // namespace stridefuse::fusion::findings
