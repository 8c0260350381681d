#include "stridefuse/fusion/strike_lag_estimator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace stridefuse::fusion {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// A window the insoles have not caught up with after this many windows of
// pelvis data is skipped: a stalled or absent insole must not hold the
// pelvis history (memory) or the other insoles.
constexpr std::size_t max_backlog_windows = 6;
// Grid points are discarded in slices of this many, to erase rarely.
constexpr std::size_t discard_slice = 4096;
// Force onset: rising through this fraction of the running peak, after
// falling below the lower one (hysteresis against noise on the rise).
constexpr double onset_high = 0.5;
constexpr double onset_low = 0.2;
// Robust refit: a window lag further than max(k * rms, floor) from the line
// slipped (a wrong peak) and is dropped.
constexpr double outlier_rms_factor = 3.0;
constexpr double outlier_floor_s = 0.002;

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("StrikeLagConfig: " + what);
}

struct Line {
  double a = 0.0, b = 0.0, rms = 0.0;
  double scatter = 0.0, mean_x = 0.0, sxx = 0.0;  // for the standard error
  bool sloped = false;
};

// Least squares y = a + b x, or y = a when with_slope is false.
Line fit_line(const std::vector<std::array<double, 2>>& pts, bool with_slope) {
  Line f;
  const double n = static_cast<double>(pts.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& p : pts) sx += p[0], sy += p[1], sxx += p[0] * p[0], sxy += p[0] * p[1];
  const double d = n * sxx - sx * sx;
  f.sloped = with_slope && pts.size() > 1 && d > 1e-9;
  f.b = f.sloped ? (n * sxy - sx * sy) / d : 0.0;
  f.a = (sy - f.b * sx) / n;
  double ss = 0;
  for (const auto& p : pts) ss += (p[1] - f.a - f.b * p[0]) * (p[1] - f.a - f.b * p[0]);
  f.rms = std::sqrt(ss / n);
  const double dof = n - (f.sloped ? 2.0 : 1.0);
  f.scatter = dof > 0 ? std::sqrt(ss / dof) : std::numeric_limits<double>::infinity();
  f.mean_x = sx / n;
  f.sxx = sxx - sx * sx / n;
  return f;
}

}  // namespace

double StrikeLagEstimate::standard_error_at_s(double t_insole_s) const {
  if (windows == 0 || !std::isfinite(scatter_s)) return std::numeric_limits<double>::infinity();
  const double n = static_cast<double>(windows);
  const double d = t_insole_s - mean_t_s;
  return scatter_s * std::sqrt(1.0 / n + (drift_fitted && spread_s2 > 0.0 ? d * d / spread_s2 : 0.0));
}

// --- SignalGrid ---------------------------------------------------------

SignalGrid::SignalGrid(double dt_s, double max_gap_s) : dt_s_(dt_s), max_gap_s_(max_gap_s) {
  if (!(std::isfinite(dt_s) && std::isfinite(max_gap_s) && dt_s > 0.0 && dt_s < max_gap_s))
    throw std::invalid_argument("SignalGrid: need 0 < dt_s < max_gap_s, got dt_s " + std::to_string(dt_s) +
                                ", max_gap_s " + std::to_string(max_gap_s));
}

void SignalGrid::add(double t_s, double value) {
  if (!std::isfinite(t_s)) return;
  if (!started_) {
    started_ = true;
    t0_s_ = t_s;
    values_.push_back(value);
    last_t_s_ = t_s;
    last_value_ = value;
    return;
  }
  if (t_s <= last_t_s_) return;
  const double span = t_s - last_t_s_;
  for (double tn = time(static_cast<double>(size())); tn <= t_s; tn = time(static_cast<double>(size()))) {
    const double f = std::clamp((tn - last_t_s_) / span, 0.0, 1.0);
    values_.push_back(span > max_gap_s_ ? nan : (1.0 - f) * last_value_ + f * value);
  }
  last_t_s_ = t_s;
  last_value_ = value;
}

double SignalGrid::value(long index) const {
  if (index < static_cast<long>(base_) || index >= static_cast<long>(size())) return nan;
  return values_[static_cast<std::size_t>(index) - base_];
}

double SignalGrid::slope(long index) const { return (value(index + 1) - value(index - 1)) / (2.0 * dt_s_); }

void SignalGrid::discard_before(std::size_t index) {
  index = std::min(index, size());
  if (index < base_ + discard_slice) return;
  values_.erase(values_.begin(), values_.begin() + static_cast<std::ptrdiff_t>(index - base_));
  base_ = index;
}

// --- correlation ---------------------------------------------------------

double strike_correlation(const SignalGrid& pelvis, std::span<const SignalGrid* const> insoles,
                          std::span<const long> shifts, std::size_t begin, std::size_t end) {
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, n = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const double x = pelvis.slope(static_cast<long>(i));
    if (!std::isfinite(x)) continue;
    double y = 0.0;
    for (std::size_t k = 0; k < insoles.size(); ++k) y += insoles[k]->slope(static_cast<long>(i) - shifts[k]);
    if (!std::isfinite(y)) continue;
    sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y, n += 1;
  }
  if (n < 100) return -1.0;
  const double cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
  return vx > 0 && vy > 0 ? cov / std::sqrt(vx * vy) : -1.0;
}

namespace {

// Slopes of grid points [first, first + count), each as strike_correlation
// computes it for one insole (0.0 + slope), so that sums over them match it bit for bit.
std::vector<double> slopes_of(const SignalGrid& g, long first, std::size_t count) {
  std::vector<double> s(count);
  for (std::size_t i = 0; i < count; ++i) s[i] = 0.0 + g.slope(first + static_cast<long>(i));
  return s;
}

}  // namespace

std::vector<CorrelationPeak> correlation_peaks(const SignalGrid& pelvis, const SignalGrid& insole, long centre,
                                               long radius, std::size_t begin, std::size_t end) {
  // strike_correlation for each shift, with every slope computed once instead
  // of once per shift: the alignment of an hour correlates ~700 windows at 23
  // shifts each. Same terms, summed in the same order: the same figures.
  const long lo = centre - radius - 1, hi = centre + radius + 1;
  const std::size_t n = end > begin ? end - begin : 0;
  const auto x = slopes_of(pelvis, static_cast<long>(begin), n);
  const auto y_all = slopes_of(insole, static_cast<long>(begin) - hi, n + static_cast<std::size_t>(hi - lo));
  std::vector<double> c;
  c.reserve(static_cast<std::size_t>(hi - lo + 1));
  for (long s = lo; s <= hi; ++s) {
    // y_all[j] is the slope at begin - hi + j; the slope at i - s is at j = i - begin + hi - s.
    const double* y = y_all.data() + (hi - s);
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, count = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double xi = x[i], yi = y[i];
      if (!std::isfinite(xi) || !std::isfinite(yi)) continue;
      sx += xi, sy += yi, sxx += xi * xi, syy += yi * yi, sxy += xi * yi, count += 1;
    }
    if (count < 100) {
      c.push_back(-1.0);
      continue;
    }
    const double cov = sxy - sx * sy / count, vx = sxx - sx * sx / count, vy = syy - sy * sy / count;
    c.push_back(vx > 0 && vy > 0 ? cov / std::sqrt(vx * vy) : -1.0);
  }
  std::vector<CorrelationPeak> out;
  for (std::size_t i = 1; i + 1 < c.size(); ++i) {
    if (!(c[i] >= c[i - 1] && c[i] > c[i + 1])) continue;
    const double denom = c[i - 1] - 2 * c[i] + c[i + 1];
    const double delta = denom < 0 ? 0.5 * (c[i - 1] - c[i + 1]) / denom : 0.0;
    out.push_back({static_cast<double>(centre - radius - 1 + static_cast<long>(i)) + delta, c[i]});
  }
  std::sort(out.begin(), out.end(),
            [](const CorrelationPeak& a, const CorrelationPeak& b) { return a.correlation > b.correlation; });
  return out;
}

long shift_of_lag(double lag_s, const SignalGrid& pelvis, const SignalGrid& insole) {
  return std::lround((insole.t0_s() + lag_s - pelvis.t0_s()) / pelvis.dt_s());
}

double lag_of_shift(double shift, const SignalGrid& pelvis, const SignalGrid& insole) {
  return pelvis.t0_s() + shift * pelvis.dt_s() - insole.t0_s();
}

// --- StrikeLagEstimator -------------------------------------------------

StrikeLagEstimator::StrikeLagEstimator(StrikeLagConfig config, std::vector<double> prior_lags_s)
    : config_(config), pelvis_(config.grid_dt_s, config.max_gap_s) {
  require(std::isfinite(config.grid_dt_s) && config.grid_dt_s > 0.0 && config.grid_dt_s <= 0.05,
          "grid_dt_s must be in (0, 0.05], got " + std::to_string(config.grid_dt_s));
  require(std::isfinite(config.window_s) && config.window_s >= 1.0 && config.window_s <= 120.0,
          "window_s must be in [1, 120], got " + std::to_string(config.window_s));
  require(std::isfinite(config.search_radius_s) && config.search_radius_s > 0.0 && config.search_radius_s <= 1.0,
          "search_radius_s must be in (0, 1], got " + std::to_string(config.search_radius_s));
  require(std::isfinite(config.min_drift_span_s) && config.min_drift_span_s >= 0.0,
          "min_drift_span_s must be finite and >= 0");
  require(config.min_correlation > -1.0 && config.min_correlation < 1.0, "min_correlation must be in (-1, 1)");
  if (prior_lags_s.empty()) throw std::invalid_argument("StrikeLagEstimator: no insole");
  window_steps_ = static_cast<std::size_t>(std::lround(config.window_s / config.grid_dt_s));
  for (double prior : prior_lags_s) {
    if (!std::isfinite(prior)) throw std::invalid_argument("StrikeLagEstimator: prior lag is not finite");
    insoles_.push_back(Insole{SignalGrid(config.grid_dt_s, config.max_gap_s), prior, 0, {}, {}, std::nullopt, 0.0});
  }
}

void StrikeLagEstimator::set_pelvis_up(std::array<double, 3> up) {
  const double norm = std::sqrt(up[0] * up[0] + up[1] * up[1] + up[2] * up[2]);
  if (!(std::isfinite(norm) && norm > 0.0))
    throw std::invalid_argument("StrikeLagEstimator::set_pelvis_up: zero or non-finite vector");
  fixed_up_ = std::array<double, 3>{up[0] / norm, up[1] / norm, up[2] / norm};
}

void StrikeLagEstimator::add_pelvis(double t_s, std::array<double, 3> f) {
  // Along the vertical, the pelvis (about the centre of mass) specific force is
  // the vertical ground force over body mass, which the insoles measure.
  const bool finite = std::isfinite(f[0]) && std::isfinite(f[1]) && std::isfinite(f[2]);
  std::array<double, 3> up{0.0, 0.0, 1.0};
  if (fixed_up_) {
    up = *fixed_up_;
  } else {
    if (finite)
      for (int i = 0; i < 3; ++i) up_sum_[i] += f[i];
    const double norm = std::sqrt(up_sum_[0] * up_sum_[0] + up_sum_[1] * up_sum_[1] + up_sum_[2] * up_sum_[2]);
    if (norm > 0.0) up = {up_sum_[0] / norm, up_sum_[1] / norm, up_sum_[2] / norm};
  }
  pelvis_.add(t_s, finite ? up[0] * f[0] + up[1] * f[1] + up[2] * f[2] : nan);
  process();
}

void StrikeLagEstimator::add_insole(std::size_t insole, double t_s, double force_n) {
  Insole& in = insoles_.at(insole);
  if (!std::isfinite(force_n)) return;  // a reading that was not a number: a gap, not a force
  in.grid.add(t_s, force_n);
  in.force_peak_n = std::max(in.force_peak_n, force_n);
  process();
}

double StrikeLagEstimator::predicted_lag_s(const Insole& insole, double t_pelvis_s) const {
  if (!insole.fit) return insole.prior_lag_s;
  return insole.fit->lag_at_s(t_pelvis_s - insole.fit->lag_at_s(t_pelvis_s));
}

void StrikeLagEstimator::process() {
  if (!pelvis_.started()) return;
  const long radius = std::lround(config_.search_radius_s / config_.grid_dt_s);
  for (Insole& in : insoles_) {
    while (true) {
      const std::size_t begin = in.next_window, end = begin + window_steps_;
      if (pelvis_.size() <= end) break;  // the slope at end - 1 needs the point at end
      // Too far behind the pelvis (stalled or absent insole): skip a window.
      if (pelvis_.size() > end + max_backlog_windows * window_steps_) {
        in.next_window = end;
        continue;
      }
      if (!in.grid.started()) break;
      const double lag = predicted_lag_s(in, pelvis_.time(0.5 * static_cast<double>(begin + end)));
      const long centre = shift_of_lag(lag, pelvis_, in.grid);
      const long newest_needed = static_cast<long>(end) - (centre - radius - 1) + 1;
      if (static_cast<long>(in.grid.size()) <= newest_needed) break;
      measure(in, begin, end);
      in.next_window = end;
    }
  }
  trim();
}

void StrikeLagEstimator::measure(Insole& in, std::size_t begin, std::size_t end) {
  const double t_mid_pelvis = pelvis_.time(0.5 * static_cast<double>(begin + end));
  const long centre = shift_of_lag(predicted_lag_s(in, t_mid_pelvis), pelvis_, in.grid);
  const long radius = std::lround(config_.search_radius_s / config_.grid_dt_s);
  const auto peaks = correlation_peaks(pelvis_, in.grid, centre, radius, begin, end);
  if (peaks.empty() || peaks.front().correlation < config_.min_correlation) return;  // not running here
  const double lag = lag_of_shift(peaks.front().shift, pelvis_, in.grid);
  in.lags.push_back({t_mid_pelvis - lag, lag});
  const long shift = std::lround(peaks.front().shift);
  in.onsets.push_back(count_onsets(in, static_cast<long>(begin) - shift, static_cast<long>(end) - shift));
  if (config_.max_windows > 0 && in.lags.size() > config_.max_windows) {
    in.lags.erase(in.lags.begin());
    in.onsets.erase(in.onsets.begin());
  }
  refit(in);
}

std::size_t StrikeLagEstimator::count_onsets(Insole& in, long first, long last) {
  const double high = onset_high * in.force_peak_n, low = onset_low * in.force_peak_n;
  std::size_t onsets = 0;
  bool loaded = true;  // an onset needs a fall below `low` first within the window
  for (long i = first; i < last; ++i) {
    const double f = in.grid.value(i);
    if (!std::isfinite(f)) continue;
    if (f < low) loaded = false;
    if (!loaded && f > high) {
      loaded = true;
      ++onsets;
    }
  }
  return onsets;
}

void StrikeLagEstimator::refit(Insole& in) const {
  in.fit = fit(in.lags, in.onsets);  // at most max_windows of them (measure() drops older ones)
}

StrikeLagEstimate StrikeLagEstimator::fit(std::vector<std::array<double, 2>> pts,
                                          std::vector<std::size_t> onsets) const {
  auto with_drift = [&](const std::vector<std::array<double, 2>>& p) {
    return config_.fit_drift && p.back()[0] - p.front()[0] >= config_.min_drift_span_s;
  };
  Line f = fit_line(pts, with_drift(pts));
  // One robust pass: a window far off the line found the wrong peak.
  if (pts.size() >= 4) {
    std::vector<std::array<double, 2>> kept;
    std::vector<std::size_t> kept_onsets;
    const double limit = std::max(outlier_rms_factor * f.rms, outlier_floor_s);
    for (std::size_t i = 0; i < pts.size(); ++i)
      if (std::abs(pts[i][1] - f.a - f.b * pts[i][0]) <= limit) {
        kept.push_back(pts[i]);
        kept_onsets.push_back(onsets[i]);
      }
    if (kept.size() >= 2 && kept.size() < pts.size()) {
      pts = std::move(kept);
      onsets = std::move(kept_onsets);
      f = fit_line(pts, with_drift(pts));
    }
  }
  StrikeLagEstimate e;
  e.offset_s = f.a;
  e.drift_ppm = f.b * 1e6;
  e.residual_s = f.rms;
  e.windows = pts.size();
  e.scatter_s = f.scatter;
  e.mean_t_s = f.mean_x;
  e.spread_s2 = f.sxx;
  e.drift_fitted = f.sloped;
  for (std::size_t n : onsets) e.strides += n;
  e.confident = e.windows >= 2 && e.strides >= config_.confident_strides;
  return e;
}

void StrikeLagEstimator::trim() {
  std::size_t keep_from = pelvis_.size();
  const long radius = std::lround(config_.search_radius_s / config_.grid_dt_s);
  for (Insole& in : insoles_) {
    keep_from = std::min(keep_from, in.next_window);
    if (!in.grid.started()) continue;
    const long centre = shift_of_lag(predicted_lag_s(in, pelvis_.time(static_cast<double>(in.next_window))),
                                     pelvis_, in.grid);
    const long first = static_cast<long>(in.next_window) - centre - radius - 2;
    if (first > 0) in.grid.discard_before(static_cast<std::size_t>(first));
  }
  if (keep_from > 2) pelvis_.discard_before(keep_from - 2);
}

std::optional<StrikeLagEstimate> StrikeLagEstimator::estimate(std::size_t insole) const {
  return insoles_.at(insole).fit;
}

std::optional<StrikeLagEstimate> StrikeLagEstimator::estimate(std::size_t insole, const LagAdjustment& adjust) const {
  const Insole& in = insoles_.at(insole);
  if (in.lags.empty()) return std::nullopt;
  auto pts = in.lags;
  for (auto& p : pts) {
    const double d = adjust(p[0], p[0] + p[1]);
    if (std::isfinite(d)) p[1] += d;
  }
  return fit(std::move(pts), in.onsets);
}

}  // namespace stridefuse::fusion
