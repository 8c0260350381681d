#include "stridefuse/core/device_clock.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace stridefuse {
namespace {

// Error bound from the spacings of the lowest residuals (README.md, "Error
// bound"): bound_factor times the gap between the lowest and the
// (bound_order+1)-th lowest residual above the line over the window.
constexpr std::size_t bound_order = 16;
constexpr double bound_factor = 2.0;
constexpr double floor_refresh_s = 0.2;
constexpr std::size_t recent_points = 32;

// Phase lock: this many of the newest bunches on one line of the nominal
// rate (within the tolerance), with an empty lattice step above it.
constexpr std::size_t lock_min_points = 8;
constexpr double lock_tolerance_s = 50e-6;
constexpr double lock_min_step_s = 0.5e-3;
constexpr double lock_memory_s = 3.0;

// Share of frames arriving in bunches (running average over ~30 frames)
// from which the delays are taken to wait for connection events.
constexpr double bunching_gain = 1.0 / 32.0;
constexpr double min_bunched_share = 0.25;

// Slope from the hull's secant over [mean - f*span, mean + f*span].
constexpr double secant_fraction = 0.25;

// How far the rate may have moved across a reset (host s per device s).
constexpr double prior_tolerance = 30e-6;

// A device time jump backwards shows as fresh frames that all arrive much
// later than the model allows; a host stall delivers one late burst. Frames
// late over this much host time (and this many frames) mean the device jumped.
constexpr double late_run_span_s = 0.1;
constexpr std::size_t late_run_arrivals = 3;

constexpr std::size_t recent_tick_capacity = 64;

// Ticks of one epoch stay within this distance of its first one, so that
// device time as a double is exact and strictly increasing with the tick.
constexpr std::uint64_t max_epoch_ticks = std::uint64_t{1} << 50;

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("DeviceClockConfig: " + what);
}

DeviceClockConfig validated(DeviceClockConfig c) {
  auto finite_in = [](double v, double lo, double hi) { return std::isfinite(v) && v > lo && v <= hi; };
  require(finite_in(c.tick_rate_hz, 0.0, 1e10),
          "tick_rate_hz must be in (0, 1e10], got " + std::to_string(c.tick_rate_hz));
  require(c.tick_bits >= 8 && c.tick_bits <= 64,
          "tick_bits must be in 8..64, got " + std::to_string(c.tick_bits));
  require(finite_in(c.max_drift_ppm, 0.0, 10000.0),
          "max_drift_ppm must be in (0, 10000], got " + std::to_string(c.max_drift_ppm));
  require(std::isfinite(c.min_delay_s) && c.min_delay_s >= 0.0 && c.min_delay_s <= 10.0,
          "min_delay_s must be in [0, 10], got " + std::to_string(c.min_delay_s));
  require(finite_in(c.max_delay_excess_s, 0.0, 10.0),
          "max_delay_excess_s must be in (0, 10], got " + std::to_string(c.max_delay_excess_s));
  require(std::isfinite(c.window_s) && c.window_s >= 1.0 && c.window_s <= 3600.0,
          "window_s must be in [1, 3600], got " + std::to_string(c.window_s));
  require(finite_in(c.jump_threshold_s, 0.0, 10.0),
          "jump_threshold_s must be in (0, 10], got " + std::to_string(c.jump_threshold_s));
  return c;
}

// The newest sample of a bunch waits for the connection event by a phase
// that, when the interval and the sample period are commensurate, takes
// values on a lattice repeating every sample period. The lowest level is
// above the floor by an unknown part of one lattice step until the drift has
// swept it through a whole step; a sweep smears the levels. The largest empty
// gap among the values within one period above the lowest (the next period's
// lowest level closing the last gap) is the step still unswept; delays that
// vary at random fill the gaps and give ~0. Reorders values.
//
// Found without sorting (it runs at every refit): the m values and the two
// ends make m + 1 gaps over one period, so the widest is at least a period
// over m + 1; in m + 1 buckets of that width, two values of one bucket are
// closer than that, so the widest gap lies between neighbouring non-empty
// buckets, from one's largest value to the next one's smallest. Bucketing is
// monotonic, so those two are neighbours in sorted order and the gap is the
// very difference the sorted scan would take. Should rounding leave a
// bucket's spread as wide as the widest gap found, the sorted scan decides.
double widest_lattice_gap(std::vector<double>& values, double lowest_s, double period_s) {
  const double end_s = lowest_s + period_s;
  const auto in_period = std::partition(values.begin(), values.end(), [&](double r) { return r < end_s; });
  const std::size_t m = static_cast<std::size_t>(in_period - values.begin());
  const auto sorted_scan = [&] {
    std::sort(values.begin(), in_period);
    double previous = lowest_s, widest = 0.0;
    for (auto it = values.begin(); it != in_period; ++it) {
      widest = std::max(widest, *it - previous);
      previous = *it;
    }
    return std::max(widest, end_s - previous);
  };
  if (m < 16) return sorted_scan();
  struct Bucket {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
  };
  thread_local std::vector<Bucket> buckets;
  buckets.assign(m + 1, Bucket{});
  const double per_s = static_cast<double>(m + 1) / period_s;
  for (auto it = values.begin(); it != in_period; ++it) {
    const double v = *it;
    const auto i = std::min(m, static_cast<std::size_t>(std::max(0.0, (v - lowest_s) * per_s)));
    buckets[i].lo = std::min(buckets[i].lo, v);
    buckets[i].hi = std::max(buckets[i].hi, v);
  }
  double previous = lowest_s, widest = 0.0, spread = 0.0;
  for (const auto& b : buckets) {
    if (b.lo > b.hi) continue;  // empty
    widest = std::max(widest, b.lo - previous);
    spread = std::max(spread, b.hi - b.lo);
    previous = b.hi;
  }
  widest = std::max(widest, end_s - previous);
  return spread < widest ? widest : sorted_scan();
}

}  // namespace

DeviceClock::DeviceClock(DeviceClockConfig config)
    : config_(validated(config)),
      period_s_(1.0 / config_.tick_rate_hz),
      modulus_ticks_(std::ldexp(1.0, static_cast<int>(config_.tick_bits))),
      tick_mask_(config_.tick_bits == 64 ? ~std::uint64_t{0}
                                         : (std::uint64_t{1} << config_.tick_bits) - 1),
      envelope_(config_.window_s),
      recent_ticks_(recent_tick_capacity) {
  const double drift = config_.max_drift_ppm * 1e-6;
  // slope = host seconds per nominal device second = 1 / (1 + rate error)
  slope_lo_ = 1.0 / (1.0 + drift);
  slope_hi_ = 1.0 / (1.0 - drift);
  slope_prior_ = 1.0;
}

ClockMapping DeviceClock::observe(std::uint64_t raw_tick, double host_arrival_s) {
  if (!std::isfinite(host_arrival_s))
    throw std::invalid_argument("DeviceClock::observe: host_arrival_s is not finite");
  ++counters_.frames;
  if (raw_tick > tick_mask_) {
    ++counters_.rejected_ticks;
    return arrival_only(raw_tick, host_arrival_s, ClockMapping::Status::rejected);
  }
  arrival_shared_ = any_arrival_ && host_arrival_s == newest_host_s_;
  // Arrival times come from a monotonic clock; an earlier one is a caller's
  // reordering. The later time is still an upper bound of the sample's time.
  if (any_arrival_ && host_arrival_s < newest_host_s_) {
    ++counters_.host_time_backwards;
    host_arrival_s = newest_host_s_;
  }
  any_arrival_ = true;
  newest_host_s_ = host_arrival_s;

  if (!epoch_open_) {
    begin_epoch(raw_tick, host_arrival_s, first_epoch_ ? EpochCause::first : EpochCause::caller);
    return mapping_at(0.0, raw_tick, ClockMapping::Status::fresh);
  }
  return observe_in_epoch(raw_tick, host_arrival_s);
}

ClockMapping DeviceClock::observe_in_epoch(std::uint64_t raw, double host_s) {
  const std::uint64_t tick = unwrap(raw, host_s);
  // Device time is kept as a double relative to the epoch's first tick: a
  // tick 2^50 away (garbage, or a 64-bit counter that jumped) cannot belong.
  const std::uint64_t distance = tick >= epoch_origin_tick_ ? tick - epoch_origin_tick_ : epoch_origin_tick_ - tick;
  if (distance >= max_epoch_ticks) return handle_inconsistent(raw, host_s);
  const double x = x_of_tick(tick);
  const double y = host_s - epoch_origin_host_s_;

  // Residual of the arrival above the current line: never below zero for the
  // true line, so a clearly negative one means the ticks no longer follow it.
  // A tick at or behind the newest one (reordered, duplicated) must also have
  // arrived within the allowed delay, or the counter restarted.
  const double residual = y - fit_->line.at(x);
  const double tolerance = bound_at(x) + config_.jump_threshold_s;
  const bool behind = tick < newest_tick_;
  bool consistent = residual >= -tolerance &&
                    (tick > newest_tick_ || residual <= config_.max_delay_excess_s + tolerance);
  if (!consistent && !behind && residual < 0.0 && -residual <= tolerance + drift_allowance_at(x)) {
    // Earlier than the line, but by less than a slope still allowed by the
    // crystal's tolerance explains: the delay floor moved down (a phase-locked
    // link's floor wraps once per beat) or the slope is off. One such frame
    // may still be garbage, so it waits for a second that agrees with it.
    if (pending_ && pending_early_ && early_pair_agrees(*pending_, tick, host_s)) {
      pending_.reset();
      consistent = true;
    } else {
      if (pending_) ++counters_.stray_ticks;
      pending_ = Arrival{tick, host_s};
      pending_early_ = true;
      // The arrival minus the minimum delay is a hard upper bound of the
      // sample's time; until confirmed the frame is not learned from.
      ClockMapping m = mapping_at(x, tick, ClockMapping::Status::unconfirmed);
      m.t_s = std::min(m.t_s, host_s - config_.min_delay_s);
      m.error_bound_s += -residual;
      return m;
    }
  }
  if (!consistent) return handle_inconsistent(raw, host_s);

  if (recent_tick(tick)) {
    ++counters_.duplicates;
    ClockMapping m = mapping_at(x, tick, ClockMapping::Status::duplicate);
    m.t_s = std::min(m.t_s, host_s - config_.min_delay_s);
    return m;
  }

  // An early frame waits for its confirmation over the delay allowance; any
  // other odd frame only until the next good one.
  if (pending_ && (!pending_early_ || host_s - pending_->host_s > config_.max_delay_excess_s)) {
    ++counters_.stray_ticks;
    pending_.reset();
  }
  recent_ticks_.push_back(tick);

  if (behind) {
    ++counters_.out_of_order;
    ClockMapping m = mapping_at(x, tick, ClockMapping::Status::out_of_order);
    m.t_s = std::min(m.t_s, host_s - config_.min_delay_s);
    return m;
  }

  if (config_.tick_bits < 64) counters_.wraps += (tick >> config_.tick_bits) - (newest_tick_ >> config_.tick_bits);
  // Frames of one bunch are consecutive samples: the smallest step is the sample period.
  if (sample_step_ticks_ == 0 || tick - newest_tick_ < sample_step_ticks_) sample_step_ticks_ = tick - newest_tick_;
  bunched_share_ += bunching_gain * ((arrival_shared_ ? 1.0 : 0.0) - bunched_share_);
  newest_tick_ = tick;
  envelope_.add({x, y});
  refit();

  if (residual > config_.max_delay_excess_s + tolerance) {
    // Later than any allowed delay: a host stall, or the device's time went
    // back. Until that is decided the mapping may be off by the lateness.
    if (late_run_.empty() || late_run_.back().host_s != host_s) ++late_run_arrivals_;
    late_run_.push_back({tick, host_s});
    if (late_run_arrivals_ >= late_run_arrivals &&
        late_run_.back().host_s - late_run_.front().host_s >= late_run_span_s) {
      const std::vector<Arrival> run = std::move(late_run_);
      begin_epoch(run.front().tick, run.front().host_s, EpochCause::late_run);
      for (std::size_t i = 1; i < run.size(); ++i) {
        envelope_.add({x_of_tick(run[i].tick), run[i].host_s - epoch_origin_host_s_});
        recent_ticks_.push_back(run[i].tick);
      }
      newest_tick_ = run.back().tick;
      refit();
      return mapping_at(x_of_tick(tick), tick, ClockMapping::Status::fresh);
    }
    ClockMapping m = mapping_at(x, tick, ClockMapping::Status::fresh);
    m.error_bound_s += residual;
    return m;
  }
  late_run_.clear();
  late_run_arrivals_ = 0;

  return mapping_at(x, tick, ClockMapping::Status::fresh);
}

ClockMapping DeviceClock::handle_inconsistent(std::uint64_t raw, double host_s) {
  // One odd frame may be garbage; a second one that agrees with it confirms
  // that the device reset or its time jumped.
  if (pending_ && pair_consistent(*pending_, raw, host_s)) {
    const Arrival first = *pending_;
    pending_.reset();
    begin_epoch(first.tick, first.host_s, EpochCause::confirmed_jump);
    return observe_in_epoch(raw, host_s);
  }
  if (pending_) ++counters_.stray_ticks;
  pending_ = Arrival{raw, host_s};
  pending_early_ = false;
  return arrival_only(raw, host_s, ClockMapping::Status::unconfirmed);
}

bool DeviceClock::pair_consistent(const Arrival& first, std::uint64_t raw, double host_s) const {
  if (pending_early_) return false;  // an early candidate holds an unwrapped tick, not a raw one
  // Both arrivals lie within [0, max_delay_excess_s] above the (unknown) line.
  const double dx = static_cast<double>((raw - first.tick) & tick_mask_) * period_s_ * slope_prior_;
  const double dy = host_s - first.host_s;
  const double slack = config_.max_delay_excess_s + config_.jump_threshold_s;
  const double drift = config_.max_drift_ppm * 1e-6;
  return dy >= dx * (1.0 - drift) - slack && dy <= dx * (1.0 + drift) + slack;
}

double DeviceClock::drift_allowance_at(double x_s) const {
  // The lowest line an allowed slope puts through the window's oldest point.
  const double span_s = x_s - envelope_.points().front().x_s;
  return std::max(0.0, (fit_->line.slope - slope_lo_) * span_s);
}

bool DeviceClock::early_pair_agrees(const Arrival& first, std::uint64_t tick, double host_s) const {
  // Two floor points close together lie on one line of an allowed slope;
  // garbage ticks agree with each other only by chance.
  if (tick <= first.tick) return false;
  const double dx = x_of_tick(tick) - x_of_tick(first.tick);
  const double dy = host_s - first.host_s;
  const double drift = config_.max_drift_ppm * 1e-6;
  return std::abs(dy - dx * fit_->line.slope) <= config_.jump_threshold_s + 2.0 * drift * dx;
}

ClockMapping DeviceClock::arrival_only(std::uint64_t raw, double host_s,
                                       ClockMapping::Status status) const {
  ClockMapping m;
  m.t_s = host_s - config_.min_delay_s;
  m.error_bound_s = config_.max_delay_excess_s;
  m.epoch = epoch_;
  m.unwrapped_tick = raw;
  m.status = status;
  return m;
}

void DeviceClock::begin_epoch(std::uint64_t unwrapped_tick, double host_s, EpochCause cause) {
  if (cause != EpochCause::first) {
    ++counters_.resets;
    ++epoch_;
  }
  // The crystal survives a reset: its rate is the best prior for the new epoch.
  if (fit_ && envelope_.size() >= 2 && envelope_.points().back().x_s - envelope_.points().front().x_s >= 10.0) {
    slope_prior_ = fit_->line.slope;
    prior_known_ = true;
  }
  floor_due_x_s_ = 0.0;
  lattice_step_s_ = 0.0;
  sample_step_ticks_ = 0;
  tooth_ = Tooth{};
  first_epoch_ = false;
  epoch_open_ = true;
  envelope_.clear();
  recent_ticks_.clear();
  late_run_.clear();
  late_run_arrivals_ = 0;
  pending_.reset();
  epoch_origin_tick_ = unwrapped_tick;
  epoch_origin_host_s_ = host_s;
  newest_tick_ = unwrapped_tick;
  recent_ticks_.push_back(unwrapped_tick);
  envelope_.add({0.0, 0.0});
  refit();
}

std::uint64_t DeviceClock::unwrap(std::uint64_t raw, double host_s) const {
  if (config_.tick_bits == 64) return raw;
  const std::uint64_t modulus = tick_mask_ + 1;
  const std::uint64_t newest_raw = newest_tick_ & tick_mask_;
  const std::uint64_t forward = newest_tick_ + ((raw - newest_raw) & tick_mask_);

  // When one counter period is long against the uncertainty of where this
  // arrival's tick must lie, host time picks the wrap (losses of whole
  // periods, reordering); otherwise frames are taken to move forward.
  const double window_s = config_.max_delay_excess_s +
                          2.0 * bound_at(x_of_tick(newest_tick_)) +
                          config_.jump_threshold_s;
  if (modulus_ticks_ * period_s_ <= 2.0 * window_s) return forward;

  const EnvelopeLine& line = fit_->line;
  const double y_expected = host_s - epoch_origin_host_s_ - 0.5 * config_.max_delay_excess_s;
  const double x_expected = line.x_ref_s + (y_expected - line.y_at_ref_s) / line.slope;
  const double ticks_from_forward = x_expected / period_s_ - x_of_tick(forward) / period_s_;
  double k = std::round(ticks_from_forward / modulus_ticks_);
  k = std::clamp(k, -1e12, 1e12);
  if (k >= 0.0) {
    const auto wraps = static_cast<std::uint64_t>(k);
    if (wraps > (~std::uint64_t{0} - forward) / modulus) return forward;
    return forward + wraps * modulus;
  }
  const std::uint64_t back = std::min(static_cast<std::uint64_t>(-k), forward / modulus);
  return forward - back * modulus;
}

double DeviceClock::x_of_tick(std::uint64_t unwrapped_tick) const {
  // The difference in integers: 64-bit ticks do not fit a double exactly.
  return static_cast<double>(static_cast<std::int64_t>(unwrapped_tick - epoch_origin_tick_)) * period_s_;
}

double DeviceClock::x_of(double unwrapped_tick) const {
  return (unwrapped_tick - static_cast<double>(epoch_origin_tick_)) * period_s_;
}

double DeviceClock::bound_at(double x_s) const {
  if (!fit_) return config_.max_delay_excess_s;
  if (!fit_->locked) return fit_->floor_bound_s + fit_->slope_bound * std::abs(x_s - fit_->line.x_ref_s);
  return fit_->lock_half_s + fit_->lock_slope_span * std::abs(x_s - fit_->lock_x_s);
}

ClockMapping DeviceClock::mapping_at(double x_s, std::uint64_t unwrapped_tick, ClockMapping::Status status) const {
  ClockMapping m;
  m.t_s = fit_->line.at(x_s) + epoch_origin_host_s_ - config_.min_delay_s;
  m.error_bound_s = bound_at(x_s);
  m.epoch = epoch_;
  m.unwrapped_tick = unwrapped_tick;
  m.status = status;
  return m;
}

void DeviceClock::refit() {
  const auto& pts = envelope_.points();
  const double span_s = pts.back().x_s - pts.front().x_s;
  const double x_mean = envelope_.mean_x_s();

  // After a reset the crystal is the same: its rate is known to within the
  // slow drift change until the new epoch has measured it itself.
  double lo = slope_lo_, hi = slope_hi_;
  if (prior_known_ && span_s < 0.5 * config_.window_s) {
    lo = std::max(lo, slope_prior_ - prior_tolerance);
    hi = std::min(hi, slope_prior_ + prior_tolerance);
  }

  // Slope: the secant of the hull over the middle half of the window. One
  // hull edge is only as long as the gap between two near-minimal delays;
  // the secant spreads their error over half the window.
  Fit f;
  bool clamped = false;
  const double half = secant_fraction * span_s;
  if (half > 0.0) {
    // Centred on the points' mean, but within the hull: after a gap the mean
    // sits near the many points before it, and a secant reaching past the
    // first point would read the hull's clamped end (a false absurd rate).
    const double centre = std::clamp(x_mean, pts.front().x_s + half, pts.back().x_s - half);
    const double secant = (envelope_.hull_at(centre + half) - envelope_.hull_at(centre - half)) / (2.0 * half);
    // The hull lies within max_delay_excess_s above the true line, so the
    // secant is off by at most that over its length: a secant beyond the
    // allowed slopes by more means the counter does not run at tick_rate_hz
    // (misconfigured or broken). Counted, and the measured rate adopted.
    const double secant_error = config_.max_delay_excess_s / (2.0 * half);
    if (secant < slope_lo_ - secant_error || secant > slope_hi_ + secant_error) {
      ++counters_.absurd_rates;
      const double drift = config_.max_drift_ppm * 1e-6;
      slope_prior_ = secant;
      nominal_slope_ = secant;
      slope_lo_ = secant / (1.0 + drift);
      slope_hi_ = secant / (1.0 - drift);
      prior_known_ = false;
      lo = slope_lo_;
      hi = slope_hi_;
    }
    const double slope = std::clamp(secant, lo, hi);
    clamped = slope != secant;
    f.line = envelope_.fit(slope, slope, slope, x_mean);
  } else {
    f.line = envelope_.fit(lo, hi, slope_prior_, x_mean);
  }

  // Floor: spacing of the lowest residuals over the window (README.md),
  // refreshed every floor_refresh_s of device time; at least the lowest
  // residual of the newest bunches (a stale line lies below them).
  if (pts.size() <= bound_order) {
    floor_stat_s_ = config_.max_delay_excess_s;
  } else if (pts.size() < 256 || pts.back().x_s >= floor_due_x_s_) {
    floor_due_x_s_ = pts.back().x_s + floor_refresh_s;
    residuals_.clear();
    for (const auto& p : pts) residuals_.push_back(std::max(0.0, p.y_s - f.line.at(p.x_s)));
    std::nth_element(residuals_.begin(), residuals_.begin() + bound_order, residuals_.end());
    const double kth = residuals_[bound_order];
    const double lowest = *std::min_element(residuals_.begin(), residuals_.begin() + bound_order + 1);
    floor_stat_s_ = std::max(lowest, bound_factor * (kth - lowest));
    const double period_s = sample_period_s();
    lattice_step_s_ = period_s > 0.0 ? widest_lattice_gap(residuals_, lowest, period_s) : 0.0;
  }
  double recent_lowest = std::numeric_limits<double>::infinity();
  for (std::size_t i = pts.size() - std::min(recent_points, pts.size()); i < pts.size(); ++i)
    recent_lowest = std::min(recent_lowest, pts[i].y_s - f.line.at(pts[i].x_s));
  const double spread_bound_s = std::max(floor_stat_s_, recent_lowest);
  // A quantized floor (README.md, "Error bound", 3.) lies up to the unswept
  // step below the lowest level: beyond what the spacing bound covers, the
  // line is centred in that range and the bound widened by the other half.
  const double centring_s = std::max(0.0, 0.5 * (lattice_step_s_ - spread_bound_s));
  f.line.y_at_ref_s -= centring_s;
  f.floor_bound_s = spread_bound_s + centring_s;

  // The secant's error is at most the floor bound over its length; a secant
  // outside the allowed slopes means the data do not pin the slope down yet.
  f.slope_bound = half > 0.0 && !clamped ? std::min(f.floor_bound_s / (2.0 * half), hi - lo) : hi - lo;
  apply_phase_lock(f, lo, hi);
  fit_ = f;
}

double DeviceClock::sample_period_s() const {
  // Phase steps come from samples waiting for connection events; a device
  // whose frames arrive one by one (a constant latency) has none.
  if (sample_step_ticks_ == 0 || bunched_share_ < min_bunched_share) return 0.0;
  return std::min(static_cast<double>(sample_step_ticks_) * period_s_ * nominal_slope_, config_.max_delay_excess_s);
}

void DeviceClock::apply_phase_lock(Fit& f, double lo, double hi) {
  // With the connection interval a whole multiple of the sample period (in
  // nominal rates) the newest bunches arrive on one line of the nominal rate
  // (a tooth), whatever the crystal's drift: the phase to the floor drifts
  // under it, unseen until it wraps. The floor at the newest point then lies
  // within one lattice step below the tooth's lowest level; that holds
  // whatever the window's fit says, whose spacing bound assumes delays with
  // a density (README.md, "Error bound", 4.).
  const auto& pts = envelope_.points();
  const double period_s = sample_period_s();
  if (period_s <= 0.0 || pts.size() < recent_points) return;
  recent_levels_.clear();
  for (std::size_t i = pts.size() - recent_points; i < pts.size(); ++i)
    recent_levels_.push_back(pts[i].y_s - nominal_slope_ * pts[i].x_s);
  const double lowest = *std::min_element(recent_levels_.begin(), recent_levels_.end());
  const auto on_tooth = std::count_if(recent_levels_.begin(), recent_levels_.end(),
                                      [&](double v) { return v <= lowest + lock_tolerance_s; });
  // While one tooth fades out of the newest points and the next comes in,
  // a tooth followed until just now needs fewer points.
  const double x_n = pts.back().x_s;
  const bool strict = on_tooth >= static_cast<std::ptrdiff_t>(lock_min_points);
  const bool following = tooth_.seen && x_n - tooth_.strict_x_s <= lock_memory_s;
  if (!strict && !following) return;
  const double step_s = widest_lattice_gap(recent_levels_, lowest, period_s);
  if (step_s < lock_min_step_s) return;
  if (strict) tooth_.strict_x_s = x_n;
  const double max_rate = std::max(nominal_slope_ - lo, hi - nominal_slope_);
  follow_tooth(lowest, step_s, max_rate);

  // The phase below the tooth: anywhere in one step until a wrap shows where
  // it was 0; then it moves at a rate no larger than the drift allows, nor
  // than a step per tooth seen, and known when a tooth was seen whole.
  const double since_wrap_s = x_n - tooth_.wrap_x_s;
  const double rate_hi = std::min(max_rate, tooth_.rate_hi);
  double phase_lo = 0.0, phase_hi = step_s;
  if (tooth_.wrap_direction > 0) {
    phase_lo = tooth_.rate_lo * since_wrap_s;
    phase_hi = rate_hi * (since_wrap_s + tooth_.wrap_gap_s);
  } else if (tooth_.wrap_direction < 0) {
    phase_lo = step_s - rate_hi * since_wrap_s;
    phase_hi = step_s - tooth_.rate_lo * since_wrap_s + rate_hi * tooth_.wrap_gap_s;
  }
  // The phase is >= 0 on the tooth; past its newest point (a tooth fading
  // out of the newest points after a rise) it may have gone on below.
  const double past_tooth_s = std::max(0.0, x_n - tooth_.last_x_s);
  phase_lo = std::clamp(phase_lo, -rate_hi * past_tooth_s, step_s);
  phase_hi = std::clamp(phase_hi, phase_lo, step_s);

  // The window's fit is no help here: after a wrap its secant mixes two
  // teeth and claims a floor the phase has not reached (its bound then held
  // for 82 % of the samples of the -80 ppm bench row). The floor's slope is
  // the tooth's less the phase's rate, once a tooth was seen whole.
  const double top = lowest + nominal_slope_ * x_n;  // the tooth's lowest level at the newest point
  double slope = f.line.slope, slope_span = hi - lo;
  if (tooth_.wrap_direction != 0 && tooth_.rate_lo > 0.0) {
    slope = nominal_slope_ - tooth_.wrap_direction * 0.5 * (tooth_.rate_lo + rate_hi);
    slope_span = rate_hi - tooth_.rate_lo;
  }
  f.line = EnvelopeLine{x_n, top - 0.5 * (phase_lo + phase_hi), slope};
  f.locked = true;
  f.lock_x_s = x_n;
  f.lock_half_s = 0.5 * (phase_hi - phase_lo) + lock_tolerance_s;  // the tooth's level is known to that
  f.lock_slope_span = slope_span;
}

void DeviceClock::follow_tooth(double lowest_s, double step_s, double max_rate) {
  // recent_levels_ was reordered: the points' levels are taken again.
  const auto& pts = envelope_.points();
  const std::size_t from = pts.size() - recent_points;
  auto level = [&](std::size_t i) { return pts[i].y_s - nominal_slope_ * pts[i].x_s; };
  double first_x = pts.back().x_s, last_x = pts.front().x_s;
  for (std::size_t i = from; i < pts.size(); ++i) {
    if (level(i) > lowest_s + lock_tolerance_s) continue;
    first_x = std::min(first_x, pts[i].x_s);
    last_x = std::max(last_x, pts[i].x_s);
  }
  if (!tooth_.seen) {
    tooth_ = Tooth{true, lowest_s, first_x, last_x, 0, 0.0, 0.0, 0.0, max_rate, last_x};
    return;
  }
  const bool dropped = lowest_s < tooth_.level_s - 0.5 * step_s;
  const bool rose = lowest_s > tooth_.level_s + 0.5 * step_s;
  if (!dropped && !rose) {
    tooth_.level_s = lowest_s;
    tooth_.last_x_s = std::max(tooth_.last_x_s, last_x);
    return;
  }
  // A wrap. The tooth before it swept at most one step while seen, exactly
  // one (less what fell between the points either side of its wraps) when
  // seen from its own wrap in the same direction. Only the newest tooth
  // counts, so that a drift change is followed.
  const int direction = dropped ? 1 : -1;
  const double gap_s = first_x - tooth_.last_x_s;
  const double length_s = tooth_.last_x_s - tooth_.first_x_s;
  const bool whole = tooth_.wrap_direction == direction;
  tooth_.rate_hi = length_s > 0.0 ? std::min(max_rate, step_s / length_s) : max_rate;
  tooth_.rate_lo = whole ? std::min(tooth_.rate_hi, step_s / (length_s + tooth_.wrap_gap_s + gap_s)) : 0.0;
  tooth_.wrap_direction = direction;
  tooth_.wrap_x_s = dropped ? first_x : tooth_.last_x_s;
  tooth_.wrap_gap_s = gap_s;
  tooth_.level_s = lowest_s;
  tooth_.first_x_s = first_x;
  tooth_.last_x_s = last_x;
}

bool DeviceClock::recent_tick(std::uint64_t unwrapped) const {
  return std::find(recent_ticks_.begin(), recent_ticks_.end(), unwrapped) != recent_ticks_.end();
}

ClockMapping DeviceClock::map(std::uint64_t raw_tick) const {
  if (!fit_) throw std::logic_error("DeviceClock::map: no frame observed yet");
  if (raw_tick > tick_mask_)
    throw std::invalid_argument("DeviceClock::map: raw tick " + std::to_string(raw_tick) +
                                " exceeds the counter width of " + std::to_string(config_.tick_bits) + " bits");
  std::uint64_t tick = raw_tick;
  if (config_.tick_bits < 64) {
    // The nearest unwrapping to the newest tick, forward or back.
    const std::uint64_t newest_raw = newest_tick_ & tick_mask_;
    const std::uint64_t forward = (raw_tick - newest_raw) & tick_mask_;
    const std::uint64_t half = (tick_mask_ >> 1) + 1;
    if (forward < half || newest_tick_ < tick_mask_ + 1 - forward)
      tick = newest_tick_ + forward;
    else
      tick = newest_tick_ - ((tick_mask_ + 1) - forward);
  }
  return mapping_at(x_of_tick(tick), tick,
                    tick < newest_tick_ ? ClockMapping::Status::out_of_order : ClockMapping::Status::fresh);
}

ClockMapping DeviceClock::map_unwrapped(double unwrapped_tick) const {
  if (!fit_) throw std::logic_error("DeviceClock::map_unwrapped: no frame observed yet");
  if (!std::isfinite(unwrapped_tick) || unwrapped_tick < 0.0 || unwrapped_tick >= 0x1p64)
    throw std::invalid_argument("DeviceClock::map_unwrapped: tick " + std::to_string(unwrapped_tick) +
                                " is not a finite value in [0, 2^64)");
  return mapping_at(x_of(unwrapped_tick), static_cast<std::uint64_t>(std::round(unwrapped_tick)),
                    unwrapped_tick < static_cast<double>(newest_tick_) ? ClockMapping::Status::out_of_order
                                                                       : ClockMapping::Status::fresh);
}

void DeviceClock::start_new_epoch() {
  epoch_open_ = false;
  pending_.reset();
}

void DeviceClock::start_new_epoch_and_time_base() {
  start_new_epoch();
  any_arrival_ = false;
  newest_host_s_ = 0.0;
}

double DeviceClock::drift_ppm() const {
  const double slope = fit_ ? fit_->line.slope : slope_prior_;
  return (1.0 / slope - 1.0) * 1e6;
}

}  // namespace stridefuse
