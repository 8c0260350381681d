// The engine's entry point for a sample: checks it against its stream's
// descriptor and the session clock, then hands it to that stream's stage.

#include <cmath>
#include <stdexcept>
#include <string>

#include "engine_impl.hpp"

namespace stridefuse::fusion {

void Engine::Impl::push(const Sample& s) {
  if (s.stream >= streams.size())
    throw std::invalid_argument("Engine::push: sample for stream " + std::to_string(s.stream) + " but only " +
                                std::to_string(streams.size()) + " streams were declared");
  const auto& d = streams[s.stream];
  if (s.channel_count != d.channels.size())
    throw std::invalid_argument("Engine::push: sample of stream '" + d.id + "' has " + std::to_string(s.channel_count) +
                                " channels, its descriptor " + std::to_string(d.channels.size()));
  auto& h = health[s.stream];
  if (!std::isfinite(s.t_s)) {
    ++h.invalid;
    report_degraded(s.stream, last_t_s, "sample with a non-finite time dropped");
    return;
  }
  if (s.t_s < last_t_s) {
    ++late;
    return;
  }
  if (!std::isfinite(first_sample_s)) first_sample_s = s.t_s;
  last_t_s = s.t_s;
  ++h.samples;
  h.last_sample_s = s.t_s;
  if (h.silent) {
    h.silent = false;
    report_change(s.stream, s.t_s, DeviceState::streaming, "samples again");
  }
  if (s.t_s - last_silence_check_s >= 0.5) check_silent_streams(s.t_s);
  if (drill) {
    drill->push(s);
    return;
  }
  switch (d.kind) {
    case StreamKind::insole_pressure: {
      const Side side = d.insole->side;
      on_insole(insoles[*insole_of_side[side == Side::left ? 0 : 1]], s);
      break;
    }
    case StreamKind::imu:
      if (pelvis_stream && *pelvis_stream == s.stream) on_pelvis(s);
      break;
    case StreamKind::speed: {
      const double v = s.values[0];
      if (std::isfinite(v) && v >= 0.0) {
        speed_history.push_back({s.t_s, v});
      } else {
        ++h.invalid;
        report_degraded(s.stream, s.t_s, "invalid speed value dropped");
      }
      break;
    }
  }
  if (contacts_queued)
    advance_contacts(s.t_s);
  else
    flush_overdue(s.t_s);
}

}  // namespace stridefuse::fusion
