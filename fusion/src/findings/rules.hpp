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

/// Overstride, backseat, anterior tilt and hip drop over one side's steps.
void level_findings(const StepList& side_steps, FindingSide side, const FindingRules& rules,
                    const RunnerProfile& profile, std::vector<FormFinding>& out);

/// Cadence over both sides' steps.
void cadence_findings(const StepList& all_steps, const FindingRules& rules, std::vector<FormFinding>& out);

/// Left against right, per metric, over both sides' steps.
void asymmetry_findings(const StepList& all_steps, const FindingRules& rules, std::vector<FormFinding>& out);

/// Each metric's drift from the side's own start.
void drift_findings(const StepList& side_steps, FindingSide side, const FindingRules& rules,
                    std::vector<FormFinding>& out);

}  // namespace stridefuse::fusion::findings
