#pragma once
// Form findings (issue 15): documented rules over the step stream, each with
// its threshold and the threshold's published source (fusion/FINDINGS.md).
// Pure functions: the same steps give the same findings, live or offline.
//
// Every rule looks at windows of consecutive running steps of one side (both
// sides for asymmetry and cadence) and fires only on evidence: a window needs
// `min_steps` values, and the one-sided 95 % confidence bound of its mean (of
// the left-right difference, of the change from the start) must be beyond the
// threshold, not just the mean. Windows that fire one after another make one
// finding, from the first step of the first to the last step of the last;
// a finding seen on both sides over overlapping spans is reported once, `both`.

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/core/form_finding.hpp"

namespace stridefuse::fusion {

/// What is known about the runner beyond the sensors.
struct RunnerProfile {
  /// Centre of mass height over the ground standing, about the leg length, m
  /// (greater trochanter to floor). Normalises the foot-strike distance and
  /// gives the landing angle; without it the overstride rule reads the
  /// distance itself (FINDINGS.md).
  std::optional<double> leg_length_m;
};

/// The rules' thresholds and windows; defaults are FINDINGS.md's table.
struct FindingRules {
  std::size_t window_steps = 30;  ///< steps of one side per window (both sides: twice that)
  std::size_t min_steps = 20;     ///< values a window needs for a rule to judge it
  /// Consecutive windows (sliding by one step) a rule must fire in before it
  /// is a finding: each window alone is a 5 % test, and a long session has
  /// thousands of them.
  std::size_t sustain_windows = 10;

  double overstride_landing_angle_deg = 17.0;  ///< with a leg length: atan(foot-strike distance / leg length)
  double overstride_distance_m = 0.29;         ///< without one: the foot-strike distance itself
  double backseat_braking_share = 0.55;        ///< braking time / contact time above this ...
  double backseat_tilt_deg = 0.0;              ///< ... with the tilt at contact below this (posterior of neutral)
  double anterior_tilt_deg = 10.0;             ///< tilt at contact, relative to the standing neutral
  double hip_drop_deg = 6.5;                   ///< contralateral pelvic drop per stance
  double asymmetry_pct = 10.0;                 ///< symmetry index of positive metrics (and of mirrored magnitudes)
  double asymmetry_angle_deg = 2.0;            ///< left-right difference of angles near zero
  double asymmetry_distance_m = 0.03;          ///< left-right difference of the foot-strike distance
  double drift_angle_deg = 3.0;                ///< change of pelvic drop or tilt from the runner's start
  double drift_distance_m = 0.04;              ///< change of the foot-strike distance from the start
  std::size_t drift_skip_steps = 20;           ///< steps of a side before its baseline window (settling)
  double cadence_low_spm = 166.0;              ///< cadence below this
};

/// Throws std::invalid_argument naming the first rule parameter out of range
/// (windows below 3 steps, min_steps above window_steps, a non-positive
/// threshold where one must be positive, a non-positive leg length).
void validate(const FindingRules& rules, const RunnerProfile& profile = {});

/// What one step says beyond its own metrics (FINDINGS.md, "Per step").
struct StepForm {
  std::optional<double> landing_angle_deg;         ///< atan(foot-strike distance / leg length); needs both
  std::optional<double> foot_strike_leg_lengths;   ///< foot-strike distance / leg length
  std::optional<double> braking_share;             ///< braking time / contact time, 0..1
};

StepForm step_form(const StepEvent& step, const RunnerProfile& profile = {});

/// Left against right for one step metric (fusion/METRICS.md, "Comparing
/// sides"; FINDINGS.md, `asymmetry`): a symmetry index (L - R) / mean(L, R) x
/// 100 % for metrics positive on both sides; the same on magnitudes for the
/// angles whose sign mirrors with the side (obliquity, rotation); the
/// difference L - R in the metric's unit for metrics that can be near zero
/// (tilt, foot-strike distance, flight time), and wherever the mean magnitude
/// is too small for a ratio to mean anything.
struct SideComparison {
  double left = 0.0, right = 0.0;  ///< means; of magnitudes when `magnitudes`
  std::size_t left_n = 0, right_n = 0;
  bool ratio = false;       ///< index in %, else a difference in the metric's unit
  bool magnitudes = false;  ///< a mirrored angle: compared as |L|, |R|
  double index = 0.0;       ///< positive: left larger
};

/// The comparison of the values of step metric `metric` (a steps.csv
/// column) on each side, or nullopt for a metric that is not a step metric
/// or a side without values.
std::optional<SideComparison> compare_sides(std::string_view metric, std::span<const double> left,
                                            std::span<const double> right);

/// The findings of a session's steps (any order; walking steps are left
/// out), ordered by start time, then code. Throws as validate().
std::vector<FormFinding> find_form_findings(std::span<const StepEvent> steps, const FindingRules& rules = {},
                                            const RunnerProfile& profile = {});

}  // namespace stridefuse::fusion
