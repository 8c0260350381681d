#pragma once
// A form finding (issue 15, fusion/FINDINGS.md): something about how a runner
// runs that a documented rule found in a stretch of steps, with the rule's
// threshold. The fusion layer finds them (stridefuse/fusion/form_findings.hpp);
// the offline analysis writes them to findings.json and the report; the
// bindings hand them on. Kept here, with the other contracts, so that every
// layer reads the same fields.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stridefuse {

/// The rule that made a finding (fusion/FINDINGS.md has each rule, its
/// threshold and the threshold's source). Append only: the ordinal is the
/// C API's and the Python module's code.
enum class FindingCode : std::uint8_t {
  overstride,     ///< the foot lands far ahead of the centre of mass
  backseat,       ///< the pelvis trails the base of support: long braking share with posterior tilt
  anterior_tilt,  ///< pelvis tilted forward beyond normal at contact
  hip_drop,       ///< contralateral pelvic drop beyond normal
  asymmetry,      ///< left and right differ in one metric beyond normal
  fatigue_drift,  ///< a metric moved away from the runner's own start, sustained
  cadence_low,    ///< fewer steps per minute than the injury-risk threshold
};

/// The highest FindingCode: code that lists every code iterates up to it.
inline constexpr FindingCode last_finding_code = FindingCode::cadence_low;

/// Which foot a finding is about; `both` for one seen on both sides at once
/// and for rules that look at both feet together (cadence).
enum class FindingSide : std::uint8_t { left, right, both };

/// One finding over a span of steps.
struct FormFinding {
  FindingCode code = FindingCode::overstride;
  FindingSide side = FindingSide::both;
  std::string metric;      ///< what `value` is: a steps.csv column or a derived metric (FINDINGS.md)
  double t_start_s = 0.0;  ///< initial contact of the first step of the span, session time
  double t_end_s = 0.0;    ///< initial contact of the last step of the span, session time
  double value = 0.0;      ///< the metric over the span (mean; an index for asymmetry, a change for drift)
  double threshold = 0.0;  ///< the rule's threshold, unit of `value`
  std::string unit;        ///< of value and threshold: "deg", "m", "%", "steps/min", "share of stance"
  std::string message;     ///< one sentence for a person (a coach), with the numbers
  std::size_t steps = 0;   ///< steps with a value in the span (the evidence)
  /// How far beyond the threshold: (value - threshold) / |threshold|, positive
  /// (for a rule whose finding is a value below its threshold, the other way).
  double strength = 0.0;

  bool operator==(const FormFinding&) const = default;
};

/// "overstride", "backseat", ... (the findings.json `code`).
const char* to_string(FindingCode code);
/// "left", "right", "both".
const char* to_string(FindingSide side);
/// The code named `name`, or nullopt.
std::optional<FindingCode> finding_code_from(std::string_view name);

}  // namespace stridefuse
