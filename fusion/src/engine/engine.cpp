// Stream setup (Engine::Impl's constructor) and the public Engine, which
// forwards to Impl; the stages are in the other files of this folder (engine_impl.hpp).

#include "stridefuse/fusion/engine.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "engine_impl.hpp"
#include "stridefuse/core/units.hpp"
#include "stridefuse/fusion/metric_support.hpp"

namespace stridefuse::fusion {

namespace {

// Two strides at the slowest cadence, plus the pelvis's decision delay for
// steps it times (PelvisStepDetectorConfig::decision_delay_s), plus margin.
constexpr double pelvis_history_s = 10.0;
constexpr double speed_history_s = 10.0;

GaitEventDetectorConfig detector_config_for(const InsoleLayout& layout) {
  GaitEventDetectorConfig c;
  if (layout.reports_force()) return c;  // no sensing area known: the default floor
  double area = 0.0;
  for (const auto& s : layout.sensors) area += s.area_mm2;
  c.minimum_level_n = minimum_level_for_area(area);
  return c;
}

}  // namespace

Engine::Impl::Impl(std::vector<StreamDescriptor> s, EngineConfig c, EventCallback cb)
    : config(c),
      on_event(std::move(cb)),
      streams(std::move(s)),
      calibration({}, has_insoles_in(streams)),
      drop_drift("pelvic_drop_deg", c.alerts.pelvic_drop_deg, c.alert_baseline_steps, c.alert_window_steps),
      strike_distance_drift("foot_strike_distance_m", c.alerts.foot_strike_distance_m, c.alert_baseline_steps,
                            c.alert_window_steps),
      tilt_drift("tilt_ic_deg", c.alerts.tilt_deg, c.alert_baseline_steps, c.alert_window_steps) {
  if (!on_event) throw std::invalid_argument("Engine: the event callback is empty");
  if (config.findings) findings.emplace(config.finding_rules, config.runner);  // throws for bad rules
  if (config.treadmill_speed_mps && !(std::isfinite(*config.treadmill_speed_mps) && *config.treadmill_speed_mps > 0.0))
    throw std::invalid_argument("Engine: treadmill_speed_mps must be finite and positive");
  if (config.body_mass_kg && !(std::isfinite(*config.body_mass_kg) && *config.body_mass_kg > 0.0))
    throw std::invalid_argument("Engine: body_mass_kg must be finite and positive");
  if (!(std::isfinite(config.attitude_event_rate_hz) && config.attitude_event_rate_hz >= 0.0))
    throw std::invalid_argument("Engine: attitude_event_rate_hz must be finite and not negative");
  if (streams.size() > std::numeric_limits<std::uint16_t>::max() + 1u)
    throw std::invalid_argument("Engine: more streams than a sample can index");
  health.resize(streams.size());
  for (std::size_t i = 0; i < streams.size(); ++i) {
    const auto& d = streams[i];
    validate(d);
    switch (d.kind) {
      case StreamKind::insole_pressure: {
        const Side side = d.insole->side;
        auto& slot = insole_of_side[side == Side::left ? 0 : 1];
        if (slot) throw std::invalid_argument("Engine: two insole streams for the " + std::string(to_string(side)) + " foot");
        slot = insoles.size();
        const std::size_t pressures = insole_channel_count(*d.insole, false);
        // Saturation is where the device says its range ends (ChannelDescriptor::full_scale).
        std::vector<std::optional<double>> full_scale_kpa;
        if (!d.insole->reports_force())
          for (std::size_t ch = 0; ch < pressures; ++ch) full_scale_kpa.push_back(d.channels[ch].full_scale);
        insoles.push_back(InsoleState{i, side, pressures, InsoleLoadingModel(*d.insole, 1.0, std::move(full_scale_kpa)),
                                      GaitEventDetector(detector_config_for(*d.insole)), std::nullopt, false, 0.0});
        if (d.channels.size() == insole_channel_count(*d.insole, true)) {
          // A lost sample or two of a fast-moving foot already spoils the
          // integration (a landing is over in ~30 ms).
          FootStrideIntegratorConfig foot{.max_gap_s = 2.5 / d.nominal_rate_hz};
          for (std::size_t ch = 0; ch < 6; ++ch) foot.full_scale[ch] = d.channels[pressures + ch].full_scale;
          insoles.back().foot_imu.emplace(foot);
          have_foot_imu = true;
        }
        break;
      }
      case StreamKind::imu:
        if (d.location != BodyLocation::pelvis) break;  // other body-worn IMUs are not used yet
        if (pelvis_stream) throw std::invalid_argument("Engine: more than one pelvis IMU stream ('" + d.id + "')");
        pelvis_stream = i;
        pelvis_period_s = 1.0 / d.nominal_rate_hz;
        for (std::size_t ch = 0; ch < 6; ++ch) pelvis_full_scale[ch] = d.channels[ch].full_scale;
        attitude = AttitudeEstimator(AttitudeEstimatorConfig{.sample_rate_hz = d.nominal_rate_hz});
        pelvis_history.set_capacity(static_cast<std::size_t>(std::ceil(pelvis_history_s * d.nominal_rate_hz * 1.5)) + 16);
        pelvis_steps.emplace();
        break;
      case StreamKind::speed:
        if (speed_stream) throw std::invalid_argument("Engine: more than one speed stream ('" + d.id + "')");
        speed_stream = i;
        speed_history.set_capacity(static_cast<std::size_t>(std::ceil(speed_history_s * d.nominal_rate_hz * 1.5)) + 16);
        break;
    }
  }
  support = metric_support(streams, config);
  update_timing(0.0);
  if (config.drill) {
    // The engine's own callback carries the drill's events, in the order they come.
    DrillTracker::Callbacks callbacks{[this](const RepEvent& e) { on_event(e); },
                                      [this](const PelvisMovedEvent& e) { on_event(e); },
                                      [this](const DrillSetEvent& e) { on_event(e); }};
    drill = std::make_unique<DrillTracker>(streams, *config.drill, std::move(callbacks));  // throws DrillSetupError
  }
}

bool Engine::Impl::has_insoles_in(const std::vector<StreamDescriptor>& s) {
  for (const auto& d : s)
    if (d.kind == StreamKind::insole_pressure) return true;
  return false;
}

Engine::Engine(std::vector<StreamDescriptor> streams, EngineConfig config, EventCallback on_event)
    : impl_(std::make_unique<Impl>(std::move(streams), config, std::move(on_event))) {}

Engine::~Engine() = default;

void Engine::push(const Sample& sample) { impl_->push(sample); }

void Engine::finish() { impl_->finish(); }

std::uint64_t Engine::late_samples() const { return impl_->late; }

}  // namespace stridefuse::fusion
