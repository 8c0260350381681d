#pragma once
// Runs the fusion engine on the simulated runner (true session time, so the
// engine is judged alone, without clock sync) and compares its steps with the
// simulator's ground truth. Shared by the end-to-end test and the accuracy benchmark.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "stridefuse/sim/runner_simulation.hpp"
#include "stridefuse/fusion/engine.hpp"

namespace stridefuse::fusion::testing {

/// Error statistics of one metric over matched steps: estimate - truth.
struct ErrorStats {
  std::size_t count = 0;      ///< matched steps where the engine gave a value
  std::size_t absent = 0;     ///< matched steps where it did not
  double mean = 0.0, rms = 0.0, max_abs = 0.0;
  std::vector<double> errors;  ///< every error, for quantiles and pooling

  void add(double error) {
    ++count;
    errors.push_back(error);
  }
  /// Adds another session's errors (call finish() afterwards).
  void merge(const ErrorStats& other) {
    count += other.count;
    absent += other.absent;
    errors.insert(errors.end(), other.errors.begin(), other.errors.end());
  }
  void finish() {
    mean = rms = max_abs = 0.0;
    if (count == 0) return;
    for (const double e : errors) {
      mean += e;
      rms += e * e;
      max_abs = std::max(max_abs, std::abs(e));
    }
    mean /= static_cast<double>(count);
    rms = std::sqrt(rms / static_cast<double>(count));
  }
  /// Quantile q in [0, 1] of |error| (nearest rank); NaN without errors.
  double abs_quantile(double q) const {
    if (errors.empty()) return std::nan("");
    std::vector<double> a(errors.size());
    std::transform(errors.begin(), errors.end(), a.begin(), [](double e) { return std::abs(e); });
    const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(a.size()))) ;
    const auto index = k == 0 ? 0 : k - 1;
    std::nth_element(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(index), a.end());
    return a[index];
  }
};

struct SessionAccuracy {
  std::size_t truth_steps = 0, detected_steps = 0, matched = 0;
  double recall = 0.0, precision = 0.0;
  ErrorStats ic_s, to_s, contact_s, flight_s, cadence_spm, strike_index_pct, step_length_m;
  ErrorStats tilt_deg, obliquity_deg, rotation_deg, drop_deg, vertical_oscillation_m, braking_s, foot_strike_m;
  std::vector<double> foot_strike_sd_m;  ///< each foot_strike_m error's own uncertainty, in order
  double strike_pattern_agreement = 0.0;
  std::size_t pattern_agree = 0;
  std::size_t mode_agree = 0;   ///< matched steps whose gait mode is the true one
  std::size_t from_pelvis = 0;  ///< matched steps timed by the pelvis
  std::size_t attitude_events = 0;
  std::vector<FormAlertEvent> alerts;
  CalibrationSource calibration = CalibrationSource::none;
  double engine_seconds = 0.0;  ///< CPU time spent inside Engine::push/finish
  std::vector<StepEvent> steps;  ///< every step the engine emitted
};

inline void print(const SessionAccuracy& a, std::FILE* out = stdout) {
  std::fprintf(out, "steps: truth %zu, detected %zu, matched %zu, recall %.4f, precision %.4f, calibration %s\n",
               a.truth_steps, a.detected_steps, a.matched, a.recall, a.precision, to_string(a.calibration));
  auto line = [&](const char* name, const ErrorStats& s, double scale, const char* unit) {
    std::fprintf(out, "  %-26s n=%4zu absent=%4zu  mean %+9.4f  rms %8.4f  max %8.4f %s\n", name, s.count, s.absent,
                 s.mean * scale, s.rms * scale, s.max_abs * scale, unit);
  };
  line("initial contact time", a.ic_s, 1e3, "ms");
  std::fprintf(out, "  initial contact |error|    median %.2f ms, 95th percentile %.2f ms\n", a.ic_s.abs_quantile(0.5) * 1e3,
               a.ic_s.abs_quantile(0.95) * 1e3);
  line("toe-off time", a.to_s, 1e3, "ms");
  line("contact time", a.contact_s, 1e3, "ms");
  line("flight time", a.flight_s, 1e3, "ms");
  line("cadence", a.cadence_spm, 1.0, "spm");
  line("strike index", a.strike_index_pct, 1.0, "%");
  line("step length", a.step_length_m, 1e2, "cm");
  line("tilt at IC", a.tilt_deg, 1.0, "deg");
  line("obliquity at IC", a.obliquity_deg, 1.0, "deg");
  line("rotation at IC", a.rotation_deg, 1.0, "deg");
  line("pelvic drop", a.drop_deg, 1.0, "deg");
  line("vertical oscillation", a.vertical_oscillation_m, 1e2, "cm");
  line("braking time", a.braking_s, 1e3, "ms");
  line("foot-strike distance", a.foot_strike_m, 1e2, "cm");
  std::fprintf(out, "  strike pattern agreement %.4f\n  engine CPU time %.3f s\n", a.strike_pattern_agreement,
               a.engine_seconds);
  for (const auto& alert : a.alerts)
    std::fprintf(out, "  form alert at %7.1f s: %s baseline %.4f now %.4f (threshold %.4f)\n", alert.t_s,
                 alert.metric.c_str(), alert.baseline, alert.current, alert.threshold);
}

/// Simulates `duration_s` of the configured runner, runs the engine on it and scores it.
/// `edit_streams` may change the descriptors the engine is given (e.g. hide a stream).
inline SessionAccuracy run_simulated_session(
    const sim::RunnerConfig& config, double duration_s, EngineConfig engine_config = {},
    const std::function<void(std::vector<StreamDescriptor>&)>& edit_streams = {}) {
  sim::RunnerSimulation simulation(config);
  auto streams = simulation.streams();
  if (edit_streams) edit_streams(streams);
  if (config.speed_source == sim::SpeedSource::treadmill) engine_config.treadmill_speed_mps = config.speed_mps;
  SessionAccuracy a;
  auto& steps = a.steps;
  Engine engine(streams, engine_config, [&](const Event& e) {
    if (const auto* s = std::get_if<StepEvent>(&e)) steps.push_back(*s);
    if (const auto* alert = std::get_if<FormAlertEvent>(&e)) a.alerts.push_back(*alert);
    if (const auto* at = std::get_if<AttitudeEvent>(&e)) {
      ++a.attitude_events;
      a.calibration = at->calibration;
    }
  });
  std::vector<Sample> batch;
  auto clock_now = [] { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; };
  for (double t = 0.0; t < duration_s;) {
    t = std::min(duration_s, t + 10.0);
    batch.clear();
    simulation.advance_to(t, [&](const sim::SimulatedSample& s) {
      Sample out;
      out.stream = s.stream;
      out.device_tick = s.unwrapped_tick;
      out.t_s = s.true_time_s;
      out.channel_count = s.channel_count;
      out.values = s.values;
      batch.push_back(out);
    });
    const double start = clock_now();
    for (const auto& s : batch) engine.push(s);
    a.engine_seconds += clock_now() - start;
  }
  const double start = clock_now();
  engine.finish();
  a.engine_seconds += clock_now() - start;

  const auto truth = simulation.completed_steps();
  a.truth_steps = truth.size();
  a.detected_steps = steps.size();
  std::vector<bool> used(steps.size(), false);
  std::size_t& pattern_agree = a.pattern_agree;
  for (const auto& t : truth) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (used[i] || steps[i].side != t.side || std::abs(steps[i].t_ic_s - t.t_ic_s) > 0.05) continue;
      if (!best || std::abs(steps[i].t_ic_s - t.t_ic_s) < std::abs(steps[*best].t_ic_s - t.t_ic_s)) best = i;
    }
    if (!best) continue;
    used[*best] = true;
    ++a.matched;
    const auto& e = steps[*best];
    a.ic_s.add(e.t_ic_s - t.t_ic_s);
    a.to_s.add(e.t_to_s - t.t_to_s);
    auto compare = [](ErrorStats& s, const Metric& m, double truth_value) {
      if (m.present()) s.add(m.value - truth_value);
      else ++s.absent;
    };
    compare(a.contact_s, e.contact_time_s, t.contact_time_s);
    compare(a.flight_s, e.flight_time_s, t.flight_time_s);
    compare(a.cadence_spm, e.cadence_spm, t.cadence_spm);
    compare(a.strike_index_pct, e.strike_index_pct, t.strike_index_pct);
    compare(a.step_length_m, e.step_length_m, t.step_length_m);
    compare(a.tilt_deg, e.tilt_ic_deg, t.tilt_ic_deg);
    compare(a.obliquity_deg, e.obliquity_ic_deg, t.obliquity_ic_deg);
    compare(a.rotation_deg, e.rotation_ic_deg, t.rotation_ic_deg);
    compare(a.drop_deg, e.pelvic_drop_deg, t.pelvic_drop_deg);
    compare(a.vertical_oscillation_m, e.vertical_oscillation_m, t.vertical_oscillation_m);
    compare(a.braking_s, e.braking_time_s, t.braking_time_s);
    compare(a.foot_strike_m, e.foot_strike_distance_m, t.foot_strike_distance_m);
    if (e.foot_strike_distance_m.present()) a.foot_strike_sd_m.push_back(e.foot_strike_distance_uncertainty_m.value);
    pattern_agree += e.strike_pattern == t.strike_pattern;
    a.mode_agree += e.gait_mode == t.gait_mode;
    a.from_pelvis += e.detected_by == StepSource::pelvis;
  }
  for (auto* s : {&a.ic_s, &a.to_s, &a.contact_s, &a.flight_s, &a.cadence_spm, &a.strike_index_pct, &a.step_length_m,
                  &a.tilt_deg, &a.obliquity_deg, &a.rotation_deg, &a.drop_deg, &a.vertical_oscillation_m, &a.braking_s,
                  &a.foot_strike_m})
    s->finish();
  a.recall = a.truth_steps ? static_cast<double>(a.matched) / static_cast<double>(a.truth_steps) : 0.0;
  a.precision = a.detected_steps ? static_cast<double>(a.matched) / static_cast<double>(a.detected_steps) : 0.0;
  a.strike_pattern_agreement = a.matched ? static_cast<double>(pattern_agree) / static_cast<double>(a.matched) : 0.0;
  return a;
}

}  // namespace stridefuse::fusion::testing
