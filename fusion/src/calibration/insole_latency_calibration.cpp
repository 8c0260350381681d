#include "stridefuse/fusion/insole_latency_calibration.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "stridefuse/fusion/insole_loading.hpp"

namespace stridefuse::fusion {
namespace {

// A stream's (session time, tick) is remembered at most this often: the
// mappings move by fractions of a ms over seconds, so a window's instant needs
// no finer a place on the counter.
constexpr double tick_spacing_s = 0.05;
// How far back ticks are remembered when the estimator keeps every window.
constexpr double all_windows_horizon_s = 600.0;

}  // namespace

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
    if (s.kind == StreamKind::insole_pressure && s.insole) insoles_.push_back({index, *s.insole, 0.0, std::nullopt});
  }
  if (pelvis_ && !insoles_.empty()) estimator_.emplace(config, std::vector<double>(insoles_.size(), 0.0));
  ticks_.resize(streams.size());
}

void InsoleLatencyCalibration::set_current_time(CurrentTime current_time) {
  std::lock_guard lock(mutex_);
  current_time_ = std::move(current_time);
}

void InsoleLatencyCalibration::remember_tick(std::uint16_t stream, const Sample& sample) {
  if (!current_time_ || stream >= ticks_.size() || !std::isfinite(sample.t_s)) return;
  auto& points = ticks_[stream].points;
  if (!points.empty() && sample.t_s < points.back().first + tick_spacing_s) return;
  // Ticks only go back in a new clock epoch (reordered frames map earlier, so
  // do not get here): the old ticks mean nothing to the new mapping.
  if (!points.empty() && sample.device_tick < points.back().second) points.clear();
  points.emplace_back(sample.t_s, sample.device_tick);
  const auto& c = estimator_->config();
  const double horizon_s = c.max_windows > 0
                               ? (static_cast<double>(c.max_windows) + 2.0) * c.window_s + c.search_radius_s
                               : all_windows_horizon_s;
  while (points.front().first < sample.t_s - horizon_s) points.pop_front();
}

double InsoleLatencyCalibration::mapping_moved_s(std::uint16_t stream, double t_s) const {
  const auto& points = ticks_[stream].points;
  if (points.empty() || t_s < points.front().first - tick_spacing_s || t_s > points.back().first + tick_spacing_s)
    return 0.0;  // not remembered (before the epoch, or older than the windows kept)
  auto it = std::lower_bound(points.begin(), points.end(), t_s,
                             [](const std::pair<double, std::uint64_t>& p, double t) { return p.first < t; });
  if (it == points.end() || (it != points.begin() && t_s - std::prev(it)->first < it->first - t_s)) --it;
  const auto now = current_time_(stream, it->second);
  return now && std::isfinite(*now) ? *now - it->first : 0.0;
}

std::optional<StrikeLagEstimate> InsoleLatencyCalibration::current_estimate(std::size_t insole) const {
  if (!current_time_) return estimator_->estimate(insole);
  const std::uint16_t stream = insoles_[insole].stream;
  // t_pelvis = t_insole + lag: remapped, each side moves by its mapping's change.
  return estimator_->estimate(insole, [&](double t_insole_s, double t_pelvis_s) {
    return mapping_moved_s(*pelvis_, t_pelvis_s) - mapping_moved_s(stream, t_insole_s);
  });
}

double InsoleLatencyCalibration::correction_s(const Sample& sample) {
  if (!estimator_) return 0.0;
  std::lock_guard lock(mutex_);
  remember_tick(sample.stream, sample);
  if (sample.stream == *pelvis_) {
    if (sample.channel_count >= 3) estimator_->add_pelvis(sample.t_s, {sample.values[0], sample.values[1], sample.values[2]});
    return 0.0;
  }
  for (std::size_t k = 0; k < insoles_.size(); ++k) {
    InsoleStream& in = insoles_[k];
    if (in.stream != sample.stream) continue;
    if (sample.channel_count >= in.layout.sensors.size())
      estimator_->add_insole(k, sample.t_s, insole_force_n(in.layout, sample.channels()));
    in.estimate = current_estimate(k);
    const auto& e = in.estimate;
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
    if (insoles_[k].stream == stream) return InsoleLatencyStatus{insoles_[k].estimate, insoles_[k].applied_s};
  return std::nullopt;
}

}  // namespace stridefuse::fusion
