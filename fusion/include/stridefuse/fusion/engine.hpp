#pragma once
// The fusion engine: one code path for live sessions and offline analysis.
// It sees streams and time-ordered samples, never devices.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "stridefuse/core/drill.hpp"
#include "stridefuse/core/events.hpp"
#include "stridefuse/fusion/form_findings.hpp"
#include "stridefuse/core/sample.hpp"
#include "stridefuse/core/stream.hpp"

namespace stridefuse::fusion {

/// Thresholds for form-drift alerts: allowed increase of a metric's rolling
/// median over the athlete's baseline window.
struct AlertThresholds {
  double pelvic_drop_deg = 2.0;
  double foot_strike_distance_m = 0.03;
  double tilt_deg = 3.0;
};

struct EngineConfig {
  std::optional<double> treadmill_speed_mps;  ///< constant speed source, if any
  std::optional<double> body_mass_kg;
  AlertThresholds alerts;
  double attitude_event_rate_hz = 50.0;       ///< attitude events are decimated to this rate (0: every sample)
  std::size_t alert_baseline_steps = 200;     ///< steps (with the metric present) forming the athlete's baseline
  std::size_t alert_window_steps = 100;       ///< steps in the rolling median compared with the baseline
  /// Form findings live (fusion/FINDINGS.md, "Live"): a FindingEvent when a
  /// finding starts and when it ends, after the step that decided it.
  bool findings = true;
  FindingRules finding_rules;  ///< validated by the constructor
  RunnerProfile runner;        ///< the leg length for the landing angle
  /// Drill mode (fusion/DRILLS.md): reps of this exercise instead of steps.
  /// The engine then emits RepEvent, PelvisMovedEvent and, at finish(), the
  /// DrillSetEvent, and its stream status; no steps, attitude, alerts or
  /// findings. The constructor throws DrillSetupError (drill_tracker.hpp)
  /// when the streams cannot run it.
  std::optional<DrillConfig> drill;
};

class Engine {
 public:
  using EventCallback = std::function<void(const Event&)>;

  /// Streams are indexed as given: Sample::stream refers to this vector.
  /// Throws std::invalid_argument when a descriptor is inconsistent.
  Engine(std::vector<StreamDescriptor> streams, EngineConfig config, EventCallback on_event);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Feeds one sample. Samples must come in non-decreasing session time; an
  /// older sample is counted and dropped (see late_samples()).
  void push(const Sample& sample);

  /// Flushes pending steps at the end of a session.
  void finish();

  std::uint64_t late_samples() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stridefuse::fusion
