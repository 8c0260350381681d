// Running speed over a step, from whichever source the session has.

#include "engine_impl.hpp"

namespace stridefuse::fusion {

using engine::max_step_interval_s;

namespace {

constexpr int foot_strides_per_side = 2;  // insole IMU strides per foot averaged for a step's speed
constexpr double slowest_step_speed_mps = 0.5;  // a slow shuffle; walking is 0.8-1.5 m/s

}  // namespace

/// Mean speed over [from, to], or the reason there is none. Sources in
/// order of precedence: the treadmill setting, a speed stream, the insoles' IMUs.
std::variant<double, AbsentReason> Engine::Impl::mean_speed(double from_s, double to_s) const {
  if (config.treadmill_speed_mps) return *config.treadmill_speed_mps;
  const auto speed = source_speed(from_s, to_s);
  // A step is being taken: a speed below the slowest walk is a reading from
  // before the athlete set off (a footpod's last reading while standing,
  // held over the first steps of a slow stream), not this step's speed.
  if (const double* v = std::get_if<double>(&speed); v && *v < slowest_step_speed_mps)
    return AbsentReason::not_detected;
  return speed;
}

/// The speed stream's or the insole IMUs' mean speed over [from, to].
std::variant<double, AbsentReason> Engine::Impl::source_speed(double from_s, double to_s) const {
  if (!speed_stream) return have_foot_imu ? foot_stride_speed(to_s) : AbsentReason::no_speed_source;
  double sum = 0.0;
  std::size_t n = 0;
  const SpeedRecord* before = nullptr;
  for (const auto& r : speed_history) {
    if (r.t_s < from_s) before = &r;
    else if (r.t_s <= to_s) {
      sum += r.speed_mps;
      ++n;
    }
  }
  if (n > 0) return sum / static_cast<double>(n);
  // A slow speed stream (footpod at 1 Hz) may have no sample inside a step:
  // its latest value still holds if it is recent.
  if (before && from_s - before->t_s < 2.0) return before->speed_mps;
  return AbsentReason::degraded_input;
}

/// Relative standard uncertainty of mean_speed()'s source (fusion/METRICS.md,
/// "Its uncertainty"): a treadmill's belt slows a little at each landing; a
/// speed stream (footpod) and the insoles' stride integration are good to a
/// few per cent.
double Engine::Impl::speed_relative_sd() const {
  if (config.treadmill_speed_mps) return 0.01;
  return speed_stream ? 0.03 : 0.02;
}

/// Speed from the insole IMUs for a step ending at `to_s`: the mean of each
/// foot's last `foot_strides_per_side` strides completed by then (a stride
/// ends some 30 ms after a contact of its foot, so this step's own strides
/// are not complete when it is emitted; averaging strides evens out the
/// impact's sampling phase). Strides older than max_step_interval_s are stale.
std::variant<double, AbsentReason> Engine::Impl::foot_stride_speed(double to_s) const {
  double sum = 0.0;
  int n = 0, used[2] = {0, 0};
  bool degraded = false;
  for (auto it = foot_strides.rbegin(); it != foot_strides.rend(); ++it) {
    const auto& f = it->stride;
    int& count = used[it->side == Side::left ? 0 : 1];
    if (f.t_end_s > to_s || to_s - f.t_end_s >= max_step_interval_s || count >= foot_strides_per_side) continue;
    ++count;
    if (f.speed_mps.present()) {
      sum += f.speed_mps.value;
      ++n;
    } else {
      degraded = true;
    }
  }
  if (n > 0) return sum / n;
  return degraded ? AbsentReason::degraded_input : AbsentReason::not_detected;
}

}  // namespace stridefuse::fusion
