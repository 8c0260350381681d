// Stream health: invalid, saturated and silent streams become device-status
// events, rate-limited so a failing sensor does not flood the subscribers.

#include <algorithm>
#include <string>

#include "engine_impl.hpp"

namespace stridefuse::fusion {

namespace {

constexpr double status_interval_s = 5.0;  // at most one degraded-status event per stream this often
constexpr double silence_s = 2.0;  // a stream without samples this long while others flow is reported

}  // namespace

void Engine::Impl::report_degraded(std::size_t stream, double t_s, const std::string& what) {
  auto& h = health[stream];
  if (t_s - h.last_status_s < status_interval_s) return;
  h.last_status_s = t_s;
  DeviceStatusEvent e;
  e.t_s = t_s;
  e.stream_id = streams[stream].id;
  e.state = DeviceState::degraded;
  e.frames = h.samples;
  e.frames_dropped = h.invalid;
  e.late_samples = late;
  e.message = what + " (" + std::to_string(h.invalid) + " invalid, " + std::to_string(h.saturated) + " saturated samples so far)";
  on_event(e);
}

void Engine::Impl::report_state(std::size_t stream, double t_s, DeviceState state, const std::string& message,
                                std::vector<MetricSupport> metrics) {
  const auto& h = health[stream];
  DeviceStatusEvent e;
  e.t_s = t_s;
  e.stream_id = streams[stream].id;
  e.state = state;
  e.frames = h.samples;
  e.frames_dropped = h.invalid;
  e.late_samples = late;
  e.message = message;
  e.metrics = std::move(metrics);
  on_event(e);
}

/// A stream lost or back: the feet it timed change hands, and when what the
/// streams give changed, the status event says so.
void Engine::Impl::report_change(std::size_t stream, double t_s, DeviceState state, const std::string& message) {
  update_timing(t_s);
  auto now = live_support();
  const bool changed = now != support;
  if (changed) support = now;
  report_state(stream, t_s, state, message, changed ? std::move(now) : std::vector<MetricSupport>{});
}

/// A stream the engine uses that stops delivering while the others go on
/// (a foot's insole out of range, a dead battery) is reported once.
void Engine::Impl::check_silent_streams(double now_s) {
  last_silence_check_s = now_s;
  for (std::size_t i = 0; i < streams.size(); ++i) {
    auto& h = health[i];
    const bool used = streams[i].kind != StreamKind::imu || (pelvis_stream && *pelvis_stream == i);
    const double since = std::max(h.last_sample_s, first_sample_s);
    if (!used || h.silent || now_s - since < silence_s) continue;
    h.silent = true;
    report_change(i, now_s, DeviceState::degraded,
                  "no samples for " + std::to_string(static_cast<int>(now_s - since)) + " s");
  }
}

}  // namespace stridefuse::fusion
