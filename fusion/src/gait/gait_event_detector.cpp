#include "stridefuse/fusion/gait_event_detector.hpp"

#include <algorithm>
#include <cstddef>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace stridefuse::fusion {

namespace {
// Noise peaks of a long quiet stretch stay within about +-3.5 sigma.
constexpr double learning_noise_factor = 12.0;
constexpr std::size_t max_learning_diffs = 4096;
// Only the lower half of the band below the timing level teaches the
// baseline, so a slow touch-down or lift-off ramp does not raise it.
constexpr double baseline_band_fraction = 0.5;
constexpr double fast_drop_sigmas = 3.0;
constexpr double fast_drop_time_constant_s = 0.05;
// Clean contacts seen before their rise (or fall) is used (median_loading_rate_n_per_s and the unloading one).
constexpr std::size_t min_rates = 8;
// The first samples' secant over the sample period stands for the rise at the
// level only where this sample follows the one before within this many periods.
constexpr double max_period_for_secant = 1.5;
// A sample within this many noise sigmas of the baseline is at rest: the
// force's edge lies after it (IC) or before it (TO).
constexpr double rest_noise_sigmas = 3.0;
}  // namespace

double minimum_level_for_area(double sensing_area_mm2, double pressure_kpa) {
  if (!(sensing_area_mm2 > 0.0) || !(pressure_kpa > 0.0))
    throw std::invalid_argument("minimum_level_for_area: area and pressure must be positive");
  return pressure_kpa * sensing_area_mm2 * 1e-3;  // kPa * mm^2 = 1e-3 N
}

GaitEventDetector::GaitEventDetector(GaitEventDetectorConfig config) : config_(config) {
  const auto& c = config_;
  if (!(c.contact_force_n > 0.0) || !(c.confirm_fraction > 0.0) || !(c.confirm_fraction < 1.0))
    throw std::invalid_argument("GaitEventDetector: need contact_force_n > 0 and 0 < confirm_fraction < 1");
  if (!(c.timing_noise_sigmas >= 0.0) || !(c.confirm_noise_sigmas >= c.timing_noise_sigmas))
    throw std::invalid_argument("GaitEventDetector: need 0 <= timing_noise_sigmas <= confirm_noise_sigmas");
  if (!(c.minimum_level_n > 0.0) || !(c.minimum_range_factor >= 2.0))
    throw std::invalid_argument("GaitEventDetector: minimum_level_n must be positive and minimum_range_factor >= 2");
  if (!(c.baseline_time_constant_s > 0.0) || !(c.loaded_level_weight > 0.0) || !(c.loaded_level_weight <= 1.0) ||
      !(c.min_contact_s >= 0.0) || !(c.max_gap_s > 0.0) || !(c.max_timing_step_s > 0.0))
    throw std::invalid_argument("GaitEventDetector: time constants, gap limits and weights must be positive");
}

double GaitEventDetector::loaded_range_n() const { return std::max(loaded_n_ - baseline_n_, config_.minimum_level_n); }

double GaitEventDetector::excess_of(double force_n) const {
  return (force_n - baseline_n_) / loaded_range_n();
}

double GaitEventDetector::noise_sigma_n() const { return std::sqrt(noise_var_n2_); }

bool GaitEventDetector::at_rest(double force_n) const {
  return force_n <= baseline_n_ + rest_noise_sigmas * noise_sigma_n();
}

double GaitEventDetector::timing_level_n() const {
  return baseline_n_ + std::max(config_.contact_force_n, config_.timing_noise_sigmas * noise_sigma_n());
}

double GaitEventDetector::contact_force_excess() const {
  return config_.contact_force_n / loaded_range_n();
}

double GaitEventDetector::confirm_level_n() const {
  const double range = std::max(loaded_n_ - baseline_n_, 0.0);
  const double above = std::max({config_.confirm_fraction * range, config_.confirm_noise_sigmas * noise_sigma_n(),
                                 2.0 * config_.minimum_level_n});
  return std::max(baseline_n_ + above, timing_level_n() + config_.minimum_level_n);
}

void GaitEventDetector::learn(double force_n) {
  if (!have_previous_) {
    min_seen_n_ = max_seen_n_ = force_n;
    return;
  }
  min_seen_n_ = std::min(min_seen_n_, force_n);
  max_seen_n_ = std::max(max_seen_n_, force_n);
  // Loaded and unloaded are only known once both have been seen: a session may
  // start standing (loaded) or with the foot in the air. The range must also
  // stand well clear of the noise, judged from the median sample-to-sample
  // difference (robust to the few large differences of a contact's ramps).
  if (learning_diffs_.size() >= max_learning_diffs) {
    for (std::size_t i = 0; i < learning_diffs_.size() / 2; ++i) learning_diffs_[i] = learning_diffs_[2 * i];
    learning_diffs_.resize(learning_diffs_.size() / 2);
  }
  learning_diffs_.push_back(std::abs(force_n - prev_force_n_));
  const double range = max_seen_n_ - min_seen_n_;
  if (range < config_.minimum_range_factor * config_.minimum_level_n) return;
  auto median_diffs = learning_diffs_;
  auto mid = median_diffs.begin() + static_cast<std::ptrdiff_t>(median_diffs.size() / 2);
  std::nth_element(median_diffs.begin(), mid, median_diffs.end());
  // For Gaussian noise, median |difference| = 0.6745 * sqrt(2) * sigma.
  const double noise_sigma = *mid / (0.6745 * std::sqrt(2.0));
  if (range < learning_noise_factor * noise_sigma) return;
  // The minimum sits about two noise deviations below the unloaded mean.
  baseline_n_ = min_seen_n_ + 2.0 * noise_sigma;
  noise_var_n2_ = noise_sigma * noise_sigma;
  loaded_n_ = max_seen_n_;
  learning_diffs_ = {};
  phase_ = force_n < timing_level_n() ? Phase::swing : Phase::resync;
}

void GaitEventDetector::track_baseline(double dt_s, double force_n) {
  const double alpha = std::min(1.0, dt_s / config_.baseline_time_constant_s);
  const double deviation = force_n - baseline_n_;
  // Noise from sample-to-sample differences (var(diff) = 2 sigma^2), so that
  // a baseline that is still moving does not pass for noise.
  const double step = force_n - prev_force_n_;
  noise_var_n2_ += alpha * (0.5 * step * step - noise_var_n2_);
  // Far below the baseline means the baseline was learnt too high (e.g. a
  // session starting on two loaded feet shifting weight): drop to it quickly.
  const bool far_below = deviation < -fast_drop_sigmas * noise_sigma_n() - config_.minimum_level_n;
  const double a = far_below ? std::min(1.0, dt_s / fast_drop_time_constant_s) : alpha;
  baseline_n_ += a * deviation;
}

namespace {
// The value of rank `rank` (0: the smallest) among the recent ones.
double ranked(const boost::circular_buffer<double>& recent, std::size_t rank) {
  std::vector<double> values(recent.begin(), recent.end());
  const auto at = values.begin() + static_cast<std::ptrdiff_t>(rank);
  std::nth_element(values.begin(), at, values.end());
  return *at;
}

double median_rate(const boost::circular_buffer<double>& recent) {
  if (recent.size() < min_rates) return std::numeric_limits<double>::quiet_NaN();
  const double middle = ranked(recent, recent.size() / 2);
  return middle > 0.0 ? middle : std::numeric_limits<double>::quiet_NaN();
}
}  // namespace

// The straight line between a swing sample and the first past the level puts
// IC as early as it can be: the force rises faster once the foot is down
// than a line across the interval (the more so across a gap of lost samples,
// or a slow insole's 20 ms, with a level near the contact force). The rise at
// the level known from recent clean contacts says how long the force took
// from the level to this sample; IC is the later of the two, never after this
// sample. That rise is the larger of two, each a lower bound of the rise at
// the level for one kind of force:
// - the median rise between the first two samples past the level, for a
//   force that rises ever faster (a smooth landing, quadratic near zero);
// - the 90th percentile of the first samples' rise above the level over the
//   sample period (their median period), for a force that rises ever more
//   slowly (a landing that levels off within a sample: between the first two
//   samples it hardly rises). Every first sample lies within one period of
//   the level, so that secant is below the mean rise over the first period,
//   itself below the rise at the level. Not across lost samples, where the
//   first sample may lie several periods past the level.
// NaN until 8 clean contacts are known. Not mirrored at TO: a real force
// tails off slowly, more slowly near zero than between the last samples
// above the level, and the line is nearer. Both this rise and the fall
// between the last two samples above the level at clean toe-offs also floor
// the slope ForceEdgeTiming extrapolates from the level down to the contact
// force (force_edge_timing.hpp).
double GaitEventDetector::median_loading_rate_n_per_s() const { return median_rate(loading_rates_n_per_s_); }

double GaitEventDetector::rise_at_level_n_per_s(double dt_s) const {
  const double between_first_two = median_loading_rate_n_per_s();
  if (!std::isfinite(between_first_two)) return between_first_two;
  // The periods are as many as the rises, and positive (clean steps).
  const double period_s = median_rate(first_sample_periods_s_);
  // Across lost samples the first sample may lie several periods past the level.
  if (!std::isfinite(period_s) || dt_s > max_period_for_secant * period_s) return between_first_two;
  const auto n = first_sample_rises_n_.size();
  const double top_n = ranked(first_sample_rises_n_, static_cast<std::size_t>(0.9 * static_cast<double>(n - 1)));
  return std::max(between_first_two, top_n / period_s);
}

double GaitEventDetector::median_unloading_rate_n_per_s() const { return median_rate(unloading_rates_n_per_s_); }

double GaitEventDetector::excess_rate_per_s(double rate_n_per_s) const {
  return std::isfinite(rate_n_per_s) ? rate_n_per_s / loaded_range_n() : 0.0;
}

GaitEventDetector::Transition GaitEventDetector::update(double t_s, double force_n) {
  if (!std::isfinite(force_n) || !std::isfinite(t_s)) {
    invalid_since_previous_ = true;
    return Transition::none;
  }
  if (have_previous_ && !(t_s > prev_t_s_)) return Transition::none;

  Transition result = Transition::none;
  const double dt = have_previous_ ? t_s - prev_t_s_ : 0.0;
  bool continuous = have_previous_;
  if (have_previous_ && dt > config_.max_gap_s) {
    continuous = false;
    if (phase_ == Phase::contact) result = Transition::phase_lost;
    if (phase_ != Phase::learning) phase_ = Phase::resync;
    candidate_ic_s_.reset();
  }
  const bool step_degraded = invalid_since_previous_ || !continuous || dt > config_.max_timing_step_s;
  // The rise from the first sample past the level at a clean contact (the previous one) to this one.
  if (rising_past_level_ && !step_degraded && force_n > prev_force_n_)
    loading_rates_n_per_s_.push_back((force_n - prev_force_n_) / dt);
  rising_past_level_ = false;
  auto crossing = [&](double level) {
    if (!continuous || prev_force_n_ == force_n) return t_s;
    return prev_t_s_ + (level - prev_force_n_) / (force_n - prev_force_n_) * dt;
  };

  switch (phase_) {
    case Phase::learning:
      learn(force_n);
      break;
    case Phase::resync:
      // The contact the levels were learnt in (or one cut by a gap) is not
      // reported, but its peak is the loaded level: learning may end on its
      // way up, and the edges' excess is a fraction of the loaded range.
      loaded_n_ = std::max(loaded_n_, force_n);
      if (force_n < timing_level_n()) phase_ = Phase::swing;
      break;
    case Phase::swing: {
      const double timing = timing_level_n();
      if (force_n < timing) {
        if (continuous && prev_in_swing_ && force_n < baseline_n_ + baseline_band_fraction * (timing - baseline_n_))
          track_baseline(dt, force_n);
        candidate_ic_s_.reset();
        break;
      }
      if (!candidate_ic_s_) {
        const bool crossed_here = continuous && prev_force_n_ < timing;
        candidate_ic_s_ = crossed_here ? crossing(timing) : t_s;
        candidate_degraded_ = step_degraded || !crossed_here;
        rising_past_level_ = crossed_here && !step_degraded;
        if (rising_past_level_) {
          first_sample_rises_n_.push_back(force_n - timing);
          first_sample_periods_s_.push_back(dt);
        }
        const double rise = rise_at_level_n_per_s(dt);
        if (crossed_here) {
          if (std::isfinite(rise))
            candidate_ic_s_ = std::max(*candidate_ic_s_, t_s - (force_n - timing) / rise);
          else if (!step_degraded && at_rest(prev_force_n_))
            // No rise known yet: the edge falls at a uniform phase after the
            // rest sample, so half a period before this one is its expected time.
            candidate_ic_s_ = std::max(*candidate_ic_s_, t_s - 0.5 * dt);
        }
        candidate_excess_.reset();
        candidate_refined_s_.reset();
        if (!candidate_degraded_) {
          candidate_excess_ = excess_of(force_n);
          if (const auto since = ic_edges_.time_since_edge_s(*candidate_excess_, dt, contact_force_excess(),
                                                             excess_rate_per_s(rise)))
            candidate_refined_s_ = t_s - *since;
        }
      }
      if (force_n >= confirm_level_n()) {
        phase_ = Phase::contact;
        ic_s_ = *candidate_ic_s_;
        if (candidate_excess_) {
          ic_s_ = ic_edges_.choose(*candidate_ic_s_, candidate_refined_s_);
          ic_edges_.add(*candidate_excess_, *candidate_ic_s_, candidate_refined_s_);
        }
        ic_degraded_ = candidate_degraded_;
        candidate_ic_s_.reset();
        peak_n_ = force_n;
        result = Transition::contact_confirmed;
      }
      break;
    }
    case Phase::contact: {
      peak_n_ = std::max(peak_n_, force_n);
      const double timing = timing_level_n();
      if (force_n >= timing) break;
      const double t_crossing = crossing(timing);
      // The falling edge mirrors the rising one: the last sample above the
      // level, and how far above it is, places the edge after it.
      const double excess = excess_of(prev_force_n_);
      std::optional<double> t_refined;
      if (!step_degraded)
        if (const auto until = to_edges_.time_since_edge_s(excess, dt, contact_force_excess(),
                                                           excess_rate_per_s(median_unloading_rate_n_per_s())))
          t_refined = prev_t_s_ + *until;
      double t_to = step_degraded ? t_crossing : to_edges_.choose(t_crossing, t_refined);
      if (!step_degraded && t_to == t_crossing && at_rest(force_n))
        t_to = std::min(t_crossing, prev_t_s_ + 0.5 * dt);  // the same at the falling edge, before this rest sample
      phase_ = Phase::swing;
      if (t_to - ic_s_ < config_.min_contact_s) {
        result = Transition::contact_rejected;
        break;
      }
      if (!step_degraded) to_edges_.add(excess, t_crossing, t_refined);
      if (!step_degraded && prev_step_clean_ && before_prev_force_n_ > prev_force_n_)
        unloading_rates_n_per_s_.push_back((before_prev_force_n_ - prev_force_n_) / prev_dt_s_);
      loaded_n_ += config_.loaded_level_weight * (peak_n_ - loaded_n_);
      last_ = GroundContact{ic_s_, t_to, peak_n_, ic_degraded_, step_degraded};
      result = Transition::contact_ended;
      break;
    }
  }
  prev_in_swing_ = phase_ == Phase::swing && force_n < timing_level_n();
  before_prev_force_n_ = prev_force_n_;
  prev_dt_s_ = dt;
  prev_step_clean_ = !step_degraded;
  prev_t_s_ = t_s;
  prev_force_n_ = force_n;
  have_previous_ = true;
  invalid_since_previous_ = false;
  return result;
}

}  // namespace stridefuse::fusion
