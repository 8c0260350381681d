#include "stridefuse/insole_latency_calibration.hpp"

#include <algorithm>

namespace stridefuse {

StrikeLagConfig InsoleLatencyCalibration::live_config() {
  StrikeLagConfig c;
  // Short windows, and only the newest of them: the estimate is due after
  // ~20 strides (~15 s) and then follows the last ~30 strides, as the
  // one-way sync of either device settles or drifts by fractions of a ms.
  c.window_s = 2.5;
  c.max_windows = 8;
  // A finer grid than offline: the parabola through the correlation peak is
  // biased by a fraction of a grid step (at 5 ms about -0.6 ms on the
  // simulated runner, at 2 ms about -0.3 ms); live the cost is small.
  c.grid_dt_s = 0.002;
  // Live both streams are in session time: the lag is a latency difference,
  // tens of ms at most; still well under a step, where one insole alone could
  // match the other foot's strikes.
  c.search_radius_s = 0.12;
  c.fit_drift = false;
  return c;
}

InsoleLatencyCalibration::InsoleLatencyCalibration(const std::vector<StreamDescriptor>& streams,
                                                   StrikeLagConfig config) {
  for (std::size_t i = 0; i < streams.size(); ++i) {
    const auto& s = streams[i];
    const auto index = static_cast<std::uint16_t>(i);
    if (s.kind == StreamKind::imu && s.location == BodyLocation::pelvis && !pelvis_) pelvis_ = index;
    if (s.kind == StreamKind::insole_pressure && s.insole) insoles_.push_back({index, *s.insole, 0.0});
  }
  if (pelvis_ && !insoles_.empty()) estimator_.emplace(config, std::vector<double>(insoles_.size(), 0.0));
}

double InsoleLatencyCalibration::correction_s(const Sample& sample) {
  if (!estimator_) return 0.0;
  std::lock_guard lock(mutex_);
  if (sample.stream == *pelvis_) {
    if (sample.channel_count >= 3) estimator_->add_pelvis(sample.t_s, {sample.values[0], sample.values[1], sample.values[2]});
    return 0.0;
  }
  for (std::size_t k = 0; k < insoles_.size(); ++k) {
    InsoleStream& in = insoles_[k];
    if (in.stream != sample.stream) continue;
    if (sample.channel_count >= in.layout.sensors.size())
      estimator_->add_insole(k, sample.t_s, insole_force_n(in.layout, sample.channels()));
    const auto e = estimator_->estimate(k);
    if (e && e->confident) {
      const double target = e->lag_at_s(sample.t_s);
      in.applied_s += std::clamp(target - in.applied_s, -max_step_s, max_step_s);
    }
    return in.applied_s;
  }
  return 0.0;
}

std::optional<InsoleLatencyStatus> InsoleLatencyCalibration::status(std::uint16_t stream) const {
  if (!estimator_) return std::nullopt;
  std::lock_guard lock(mutex_);
  for (std::size_t k = 0; k < insoles_.size(); ++k)
    if (insoles_[k].stream == stream) return InsoleLatencyStatus{estimator_->estimate(k), insoles_[k].applied_s};
  return std::nullopt;
}

}  // namespace stridefuse
