// What a set of streams can give, per step metric and foot (metric_support.hpp).

#include "stridefuse/fusion/metric_support.hpp"

#include <stdexcept>

namespace stridefuse::fusion {

std::vector<MetricSupport> metric_support(const std::vector<StreamDescriptor>& streams, const EngineConfig& config,
                                          const std::vector<bool>& live) {
  if (!live.empty() && live.size() != streams.size())
    throw std::invalid_argument("metric_support: " + std::to_string(live.size()) + " live flags for " +
                                std::to_string(streams.size()) + " streams");
  bool pelvis = false, speed = config.treadmill_speed_mps.has_value();
  bool insole[2] = {false, false}, length_known[2] = {false, false};
  for (std::size_t i = 0; i < streams.size(); ++i) {
    if (!live.empty() && !live[i]) continue;
    const auto& d = streams[i];
    switch (d.kind) {
      case StreamKind::imu:
        if (d.location == BodyLocation::pelvis) pelvis = true;
        break;
      case StreamKind::insole_pressure:
        if (!d.insole) break;
        insole[d.insole->side == Side::left ? 0 : 1] = true;
        length_known[d.insole->side == Side::left ? 0 : 1] = d.insole->length_mm > 0.0;
        if (d.channels.size() == insole_channel_count(*d.insole, true)) speed = true;  // its IMU integrates strides
        break;
      case StreamKind::speed: speed = true; break;
    }
  }
  using R = AbsentReason;
  // Per foot: what times its steps, and what closes them (the other foot's next contact).
  auto steps = [&](int s) { return insole[s] || pelvis ? R::none : R::no_insole; };
  auto closed = [&](int s) {
    if (steps(s) != R::none) return steps(s);
    return steps(1 - s) == R::none ? R::none : no_contacts_of(s == 0 ? Side::right : Side::left);
  };
  auto then = [](R first, R second) { return first != R::none ? first : second; };
  auto with_pelvis = [&](R r) { return then(r, pelvis ? R::none : R::no_pelvis_sensor); };
  auto with_speed = [&](R r) { return then(r, speed ? R::none : R::no_speed_source); };
  auto on_insole = [&](int s) { return then(steps(s), insole[s] ? R::none : R::no_insole); };

  std::vector<MetricSupport> out;
  auto row = [&](const char* name, auto reason) { out.push_back(MetricSupport{name, reason(0), reason(1)}); };
  row("contact_time_s", steps);
  row("flight_time_s", closed);
  row("cadence_spm", closed);
  row("strike_index_pct", on_insole);
  row("strike_pattern", on_insole);
  const auto foot_strike_distance = [&](int s) {
    return then(with_speed(with_pelvis(then(on_insole(s), closed(s)))),
                length_known[s] ? R::none : R::no_insole_geometry);
  };
  row("foot_strike_distance_m", foot_strike_distance);
  row("braking_time_s", [&](int s) { return with_pelvis(closed(s)); });
  row("step_length_m", [&](int s) { return with_speed(closed(s)); });
  for (const char* angle : {"tilt_ic_deg", "obliquity_ic_deg", "rotation_ic_deg", "pelvic_drop_deg"})
    row(angle, [&](int s) { return with_pelvis(steps(s)); });
  row("vertical_oscillation_m", [&](int s) { return with_pelvis(closed(s)); });
  row("foot_strike_distance_uncertainty_m", foot_strike_distance);
  row("attitude", [&](int) { return pelvis ? R::none : R::no_pelvis_sensor; });
  return out;
}

}  // namespace stridefuse::fusion
