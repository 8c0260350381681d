#pragma once
// Synthetic insole (and optional pelvis-less) running data with analytic
// ground truth, for engine tests that must not depend on the simulator.

#include <cmath>
#include <vector>

#include "stridefuse/core/sample.hpp"
#include "stridefuse/core/stream.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion::testing {

// Eight sensors in three rows (heel, midfoot, forefoot) of a 260 mm insole.
inline InsoleLayout eight_sensor_layout(Side side) {
  InsoleLayout l;
  l.side = side;
  l.length_mm = 260.0;
  l.sensors = {{40.0, 15.0, 300.0},  {40.0, 0.0, 300.0},   {40.0, -15.0, 300.0}, {130.0, 20.0, 300.0},
               {130.0, -20.0, 300.0}, {215.0, 25.0, 300.0}, {215.0, 0.0, 300.0},  {215.0, -25.0, 300.0}};
  return l;
}

inline StreamDescriptor insole_stream(Side side, double rate_hz = 100.0) {
  StreamDescriptor d;
  d.id = side == Side::left ? "left_insole" : "right_insole";
  d.kind = StreamKind::insole_pressure;
  d.location = side == Side::left ? BodyLocation::left_foot : BodyLocation::right_foot;
  d.nominal_rate_hz = rate_hz;
  d.insole = eight_sensor_layout(side);
  d.channels = insole_channels(d.insole->sensors.size(), false);
  d.tick_rate_hz = rate_hz;
  return d;
}

inline StreamDescriptor imu_stream(BodyLocation where, double rate_hz = 200.0) {
  StreamDescriptor d;
  d.id = "pelvis_imu";
  d.kind = StreamKind::imu;
  d.location = where;
  d.nominal_rate_hz = rate_hz;
  d.channels = imu_channels(false);
  d.tick_rate_hz = rate_hz;
  return d;
}

inline StreamDescriptor speed_stream(double rate_hz = 1.0) {
  StreamDescriptor d;
  d.id = "speed";
  d.kind = StreamKind::speed;
  d.nominal_rate_hz = rate_hz;
  d.channels = {{"speed_mps", "m/s"}};
  d.tick_rate_hz = rate_hz;
  return d;
}

struct TrueContact {
  Side side;
  double t_ic, t_to;
  double strike_x_mm;
};

/// Alternating contacts: left first at `first_ic`, one every `step_s`.
inline std::vector<TrueContact> alternating_contacts(double first_ic, int count, double step_s, double contact_s,
                                                     double left_strike_x_mm, double right_strike_x_mm) {
  std::vector<TrueContact> c;
  for (int i = 0; i < count; ++i) {
    const Side side = i % 2 == 0 ? Side::left : Side::right;
    const double t = first_ic + i * step_s;
    c.push_back({side, t, t + contact_s, side == Side::left ? left_strike_x_mm : right_strike_x_mm});
  }
  return c;
}

/// Pressures of one insole at time t: a half-sine total force of `peak_n`,
/// its centre of pressure moving linearly from the strike point to the
/// forefoot row and spread over the two rows around it (so the sensors'
/// force-weighted centre is exactly that point), plus a per-sensor offset.
inline Sample insole_sample(std::uint16_t stream, Side side, const std::vector<TrueContact>& contacts, double t,
                            double peak_n = 1200.0, double offset_kpa = 3.0) {
  const auto layout = eight_sensor_layout(side);
  Sample s;
  s.stream = stream;
  s.t_s = t;
  s.channel_count = static_cast<std::uint8_t>(layout.sensors.size());
  for (std::size_t i = 0; i < layout.sensors.size(); ++i) s.values[i] = offset_kpa;
  for (const auto& c : contacts) {
    if (c.side != side || t <= c.t_ic || t >= c.t_to) continue;
    const double tau = (t - c.t_ic) / (c.t_to - c.t_ic);
    const double force = peak_n * std::sin(pi * tau);
    const double x = c.strike_x_mm + (215.0 - c.strike_x_mm) * tau;
    const double rows[3] = {40.0, 130.0, 215.0};
    double row_force[3] = {0.0, 0.0, 0.0};
    if (x <= rows[0]) row_force[0] = force;
    else if (x >= rows[2]) row_force[2] = force;
    else {
      const int k = x < rows[1] ? 0 : 1;
      const double w = (x - rows[k]) / (rows[k + 1] - rows[k]);
      row_force[k] = force * (1.0 - w);
      row_force[k + 1] = force * w;
    }
    const std::size_t row_of[8] = {0, 0, 0, 1, 1, 2, 2, 2};
    const double per_row[3] = {3.0, 2.0, 3.0};
    for (std::size_t i = 0; i < 8; ++i)
      s.values[i] += row_force[row_of[i]] / per_row[row_of[i]] / layout.sensors[i].area_mm2 * 1e3;
  }
  return s;
}

}  // namespace stridefuse::fusion::testing
