#pragma once
// The finding rules' shared parts (fusion/FINDINGS.md): step lists, the
// windows that fire and the spans they make, and the rules themselves, one
// file each (level_rules.cpp, asymmetry_rule.cpp, drift_rule.cpp).

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/core/form_finding.hpp"
#include "stridefuse/fusion/form_findings.hpp"

namespace stridefuse::fusion::findings {

/// Running steps in time order: one side's, or both sides'.
using StepList = std::vector<const StepEvent*>;

/// A per-step value a rule reads (nullopt: the step has none).
using ValueOf = std::function<std::optional<double>(const StepEvent&)>;

/// The value of a step metric (a StepEvent member), when present.
ValueOf metric_value(Metric StepEvent::*member);

/// Steps [first, last] of a list, inclusive.
struct StepSpan {
  std::size_t first = 0, last = 0;
};

/// The spans covered by windows of `window` consecutive steps (starting at
/// 0 .. n - window) for which `fires(first)` holds in at least `sustain`
/// consecutive windows; overlapping or touching spans make one.
std::vector<StepSpan> firing_spans(std::size_t n, std::size_t window, std::size_t sustain,
                                   const std::function<bool(std::size_t)>& fires);

/// The values of `value` over steps [first, first + count) that have one.
std::vector<double> values_in(const StepList& steps, std::size_t first, std::size_t count, const ValueOf& value);

/// A finding's common fields over a span (times, steps with a value, the mean value, strength).
FormFinding finding_over(FindingCode code, FindingSide side, const StepList& steps, StepSpan span,
                         const ValueOf& value, std::string metric, std::string unit, double threshold, bool above);

FindingSide side_of(Side side);

/// "left", "Right", ...: for messages.
std::string side_word(FindingSide side, bool capital);

/// "3:05" (minutes:seconds) of a session time, for messages.
std::string clock_text(double t_s);

/// A number with `decimals` decimals.
std::string number(double v, int decimals);

/// One rule on one list of steps, judged window by window: what the batch
/// function (form_findings.cpp) sweeps over a session and the live tracker
/// (finding_tracker.cpp) asks of each newest window.
struct RuleCheck {
  FindingCode code = FindingCode::overstride;
  /// left / right: that side's running steps; both: both sides' together.
  FindingSide side = FindingSide::both;
  std::size_t window = 0;        ///< steps per window
  std::size_t first_window = 0;  ///< the first step a window may start at (drift: after the baseline)
  /// Whether the window of `window` steps starting at `first` fires.
  std::function<bool(const StepList&, std::size_t first)> fires;
  /// The finding over a span of steps that fired.
  std::function<FormFinding(const StepList&, StepSpan)> describe;
};

/// Overstride, backseat, anterior tilt and hip drop of one side.
void add_level_checks(std::vector<RuleCheck>& out, FindingSide side, const FindingRules& rules,
                      const RunnerProfile& profile);

/// Cadence over both sides' steps.
void add_cadence_check(std::vector<RuleCheck>& out, const FindingRules& rules);

/// Left against right, one check per judged metric.
void add_asymmetry_checks(std::vector<RuleCheck>& out, const FindingRules& rules);

/// Each drifting metric of one side against that side's own start.
void add_drift_checks(std::vector<RuleCheck>& out, FindingSide side, const FindingRules& rules);

/// Every check of the rules: left, right, then both sides.
std::vector<RuleCheck> rule_checks(const FindingRules& rules, const RunnerProfile& profile);

/// Left and right findings of one rule and metric over overlapping spans
/// made one finding of both sides (a coach reads "both hips", not two lines).
std::vector<FormFinding> merge_sides(std::vector<FormFinding> findings);

}  // namespace stridefuse::fusion::findings
