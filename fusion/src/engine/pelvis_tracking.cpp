// The pelvis IMU: attitude, a short history of it for the step metrics, and
// what its braking windows and flights teach the mounting and lever-arm estimates.

#include <algorithm>
#include <cmath>

#include "engine_impl.hpp"
#include "stridefuse/core/units.hpp"

namespace stridefuse::fusion {

using engine::wrap_deg;

namespace {

constexpr double braking_window_fraction = 0.4;  // early (braking) and late (propulsion) stance for the forward calibration
// Flight samples this close to a toe-off or initial contact are left out of
// the lever-arm fit: the edges' timing is uncertain by a few ms, and a contact
// that has begun is no longer free fall.
constexpr double flight_margin_s = 0.015;

}  // namespace

void Engine::Impl::on_pelvis(const Sample& s) {
  auto& h = health[s.stream];
  Eigen::Matrix<double, 6, 1> v;
  for (int i = 0; i < 6; ++i) v[i] = s.values[static_cast<std::size_t>(i)];
  if (!v.allFinite()) {
    ++h.invalid;
    report_degraded(s.stream, s.t_s, "non-finite IMU value");
    return;
  }
  // Saturated where the device says its range ends: the largest reading seen
  // so far is as often a hard landing (a quantising sensor repeats it).
  bool saturated = false;
  for (std::size_t i = 0; i < 6; ++i)
    if (pelvis_full_scale[i] && std::abs(v[static_cast<int>(i)]) >= *pelvis_full_scale[i]) saturated = true;
  if (saturated) {
    ++h.saturated;
    report_degraded(s.stream, s.t_s, "IMU saturated");
  }
  const double dt = have_pelvis_previous ? s.t_s - pelvis_previous_t_s : pelvis_period_s;
  pelvis_previous_t_s = s.t_s;
  have_pelvis_previous = true;
  if (!(dt > 0.0)) return;  // a repeated time stamp adds nothing

  const Eigen::Vector3d accel = v.head<3>();
  const Eigen::Vector3d gyro = v.tail<3>();
  attitude.update(gyro, accel, dt);
  const Eigen::Quaterniond q = attitude.orientation();
  calibration.add_sample(accel, gyro, q, dt);
  const Eigen::Vector3d linear = q * accel - standard_gravity_mps2 * Eigen::Vector3d::UnitZ();
  pelvis_history.push_back(PelvisRecord{s.t_s, q, linear, accel, gyro - attitude.gyro_bias_radps(), !saturated});
  // The centre of mass's acceleration once the sensor's lever arm is known
  // (learnt in flight): at the sacrum the pelvis's rotation adds up to
  // several m/s^2, enough to mislead the running direction.
  feed_pelvis_steps(s.t_s, com_linear_acceleration_at(pelvis_history.size() - 1, lever_arm.lever_arm_m()),
                    q * pelvis_history.back().omega_radps, !saturated);

  AttitudeEvent e;
  e.t_s = s.t_s;
  e.orientation = Quaternion{q.w(), q.x(), q.y(), q.z()};
  e.calibration = calibration.source();
  if (calibration.calibrated()) {
    const PelvisAngles absolute = angles_of(q);
    const double running_heading = heading.update(absolute.rotation_deg, dt);
    e.angles = absolute;
    e.angles.rotation_deg = wrap_deg(absolute.rotation_deg - running_heading);
  }
  const bool due = config.attitude_event_rate_hz == 0.0 ||
                   s.t_s - last_attitude_event_s >= 1.0 / config.attitude_event_rate_hz - 0.25 * pelvis_period_s;
  if (due) {
    last_attitude_event_s = s.t_s;
    on_event(e);
  }
}

/// Pelvic angles with the rotation measured from earth X (heading arbitrary).
PelvisAngles Engine::Impl::angles_of(const Eigen::Quaterniond& sensor_to_earth) const {
  const Eigen::Matrix3d pelvis_to_earth = sensor_to_earth.toRotationMatrix() * calibration.pelvis_to_sensor();
  return pelvis_angles_from(Eigen::Quaterniond(pelvis_to_earth));
}

/// Pelvis records covering [from, to] without gaps or saturation, or the reason not.
std::variant<std::pair<std::size_t, std::size_t>, AbsentReason> Engine::Impl::pelvis_span(double from_s, double to_s) const {
  if (pelvis_history.empty()) return AbsentReason::degraded_input;
  const double max_gap = std::max(3.0 * pelvis_period_s, 0.03);
  // The history is in time order: binary search for the span.
  const auto by_time = [](const PelvisRecord& r, double t) { return r.t_s < t; };
  const auto first = std::lower_bound(pelvis_history.begin(), pelvis_history.end(), from_s - max_gap, by_time);
  const auto last = std::lower_bound(first, pelvis_history.end(), std::nextafter(to_s + max_gap, INFINITY), by_time);
  const auto begin = static_cast<std::size_t>(first - pelvis_history.begin());
  const auto end = static_cast<std::size_t>(last - pelvis_history.begin());
  if (begin >= end) return AbsentReason::degraded_input;
  if (pelvis_history[begin].t_s > from_s + max_gap || pelvis_history[end - 1].t_s < to_s - max_gap)
    return AbsentReason::degraded_input;
  for (std::size_t i = begin; i < end; ++i) {
    if (!pelvis_history[i].ok) return AbsentReason::degraded_input;
    if (i > begin && pelvis_history[i].t_s - pelvis_history[i - 1].t_s > max_gap) return AbsentReason::degraded_input;
  }
  return std::pair{begin, end};
}

/// Braking minus propulsion: the mean horizontal linear acceleration
/// (sensor frame) of the early stance minus that of the late stance points
/// backward; what both halves share (gravity leaking through a small
/// inclination error at impact, sensor offsets) cancels. The centre of
/// mass's acceleration once the lever arm is known: the sensor's adds the
/// pelvis's roll through the arm, which left and right cancel only where
/// both sides drop alike (fusion/README.md, "Pelvis: attitude and mounting calibration").
void Engine::Impl::feed_braking_window(const CompletedStep& step) {
  if (!calibration.wants_braking_windows() || !pelvis_stream) return;
  const double ic = step.contact.t_ic_s, contact = step.contact.t_to_s - step.contact.t_ic_s;
  if (std::holds_alternative<AbsentReason>(pelvis_span(ic, step.contact.t_to_s))) return;
  const auto arm = lever_arm.lever_arm_m();
  auto mean_horizontal = [&](double from, double to) {
    Eigen::Vector3d sum = Eigen::Vector3d::Zero();
    std::size_t n = 0;
    for (std::size_t i = 0; i < pelvis_history.size(); ++i) {
      const auto& r = pelvis_history[i];
      if (r.t_s < from || r.t_s > to) continue;
      const Eigen::Vector3d linear = com_linear_acceleration_at(i, arm);
      const Eigen::Vector3d horizontal_earth(linear.x(), linear.y(), 0.0);
      sum += r.sensor_to_earth.conjugate() * horizontal_earth;
      ++n;
    }
    return std::pair{sum, n};
  };
  const auto [braking_sum, n_early] = mean_horizontal(ic, ic + braking_window_fraction * contact);
  const auto [propulsion_sum, n_late] = mean_horizontal(ic + (1.0 - braking_window_fraction) * contact, step.contact.t_to_s);
  if (n_early == 0 || n_late == 0) return;
  calibration.add_braking_window(braking_sum / static_cast<double>(n_early) - propulsion_sum / static_cast<double>(n_late));
}

/// Angular acceleration at history record i (sensor frame), central difference.
Eigen::Vector3d Engine::Impl::angular_acceleration_at(std::size_t i) const {
  const std::size_t lo = i > 0 ? i - 1 : i;
  const std::size_t hi = i + 1 < pelvis_history.size() ? i + 1 : i;
  const double dt = pelvis_history[hi].t_s - pelvis_history[lo].t_s;
  if (!(dt > 0.0)) return Eigen::Vector3d::Zero();
  return (pelvis_history[hi].omega_radps - pelvis_history[lo].omega_radps) / dt;
}

/// Linear acceleration of the centre of mass (earth frame, gravity removed)
/// at history record i: the sensor's minus what its lever arm adds.
Eigen::Vector3d Engine::Impl::com_linear_acceleration_at(std::size_t i, const std::optional<Eigen::Vector3d>& arm) const {
  const auto& r = pelvis_history[i];
  if (!arm) return r.linear_earth_mps2;
  return r.linear_earth_mps2 -
         r.sensor_to_earth * LeverArmEstimator::rotational_acceleration(*arm, r.omega_radps, angular_acceleration_at(i));
}

/// The flight after a stance (TO to the other foot's IC) teaches the lever arm.
void Engine::Impl::feed_flight(double t_to_s, double next_ic_s) {
  const double from = t_to_s + flight_margin_s, to = next_ic_s - flight_margin_s;
  if (!(to > from)) return;
  const auto span = pelvis_span(from, to);
  if (std::holds_alternative<AbsentReason>(span)) return;
  const auto [begin, end] = std::get<0>(span);
  for (std::size_t i = begin; i < end; ++i) {
    const auto& r = pelvis_history[i];
    if (r.t_s < from || r.t_s > to) continue;
    lever_arm.add_flight_sample(r.accel_mps2, r.omega_radps, angular_acceleration_at(i));
  }
}

}  // namespace stridefuse::fusion
