#include "stridefuse/core/lower_envelope.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace stridefuse {
namespace {

// > 0 when a -> b -> c turns left (counter-clockwise), i.e. b lies below the chord a -> c.
double turn(const EnvelopePoint& a, const EnvelopePoint& b, const EnvelopePoint& c) {
  return (b.x_s - a.x_s) * (c.y_s - a.y_s) - (b.y_s - a.y_s) * (c.x_s - a.x_s);
}

double edge_slope(const EnvelopePoint& a, const EnvelopePoint& b) {
  return (b.y_s - a.y_s) / (b.x_s - a.x_s);
}

}  // namespace

LowerEnvelope::LowerEnvelope(double window_s) : window_s_(window_s) {
  if (!std::isfinite(window_s) || window_s <= 0.0)
    throw std::invalid_argument("LowerEnvelope: window_s must be finite and positive, got " +
                                std::to_string(window_s));
}

void LowerEnvelope::clear() {
  points_.clear();
  hull_.clear();
  sum_x_s_ = 0.0;
}

double LowerEnvelope::mean_x_s() const {
  return points_.empty() ? 0.0 : sum_x_s_ / static_cast<double>(points_.size());
}

void LowerEnvelope::add(EnvelopePoint p) {
  if (!std::isfinite(p.x_s) || !std::isfinite(p.y_s))
    throw std::invalid_argument("LowerEnvelope::add: non-finite point");
  if (!points_.empty()) {
    const EnvelopePoint& last = points_.back();
    if (p.x_s <= last.x_s)
      throw std::invalid_argument("LowerEnvelope::add: x must increase");
    if (p.y_s < last.y_s)
      throw std::invalid_argument("LowerEnvelope::add: y must not decrease");
    if (p.y_s == last.y_s) {
      // Every point the replaced one removed from the hull lies above the
      // chord to p as well (y never decreases), so popping it is enough.
      if (!hull_.empty() && hull_.back().x_s == last.x_s) hull_.pop_back();
      sum_x_s_ -= last.x_s;
      points_.pop_back();
    }
  }
  points_.push_back(p);
  sum_x_s_ += p.x_s;
  push_hull(p);
  expire();
}

void LowerEnvelope::push_hull(EnvelopePoint p) {
  while (hull_.size() >= 2 && turn(hull_[hull_.size() - 2], hull_.back(), p) <= 0.0) hull_.pop_back();
  hull_.push_back(p);
}

void LowerEnvelope::rebuild_hull() {
  hull_.clear();
  sum_x_s_ = 0.0;  // recomputed here too, so that rounding never accumulates
  for (const auto& p : points_) {
    push_hull(p);
    sum_x_s_ += p.x_s;
  }
}

void LowerEnvelope::expire() {
  // The oldest point is always a hull vertex, so every expiry costs a rebuild:
  // expire in slices of window/16 to rebuild rarely (the window then spans
  // between 15/16 and 1 of window_s).
  if (points_.front().x_s >= points_.back().x_s - window_s_) return;
  const double cutoff = points_.back().x_s - window_s_ * (15.0 / 16.0);
  while (points_.front().x_s < cutoff) points_.pop_front();
  rebuild_hull();
}

double LowerEnvelope::hull_at(double x_s) const {
  if (hull_.empty()) throw std::logic_error("LowerEnvelope::hull_at: no points");
  if (x_s <= hull_.front().x_s) return hull_.front().y_s;
  if (x_s >= hull_.back().x_s) return hull_.back().y_s;
  auto it = std::upper_bound(hull_.begin(), hull_.end(), x_s,
                             [](double x, const EnvelopePoint& v) { return x < v.x_s; });
  const EnvelopePoint& b = *it;
  const EnvelopePoint& a = *(it - 1);
  return a.y_s + (x_s - a.x_s) * edge_slope(a, b);
}

EnvelopeLine LowerEnvelope::fit(double slope_lo, double slope_hi, double slope_prior, double x_eval_s) const {
  if (points_.empty()) throw std::logic_error("LowerEnvelope::fit: no points");
  if (!(slope_lo <= slope_hi))
    throw std::invalid_argument("LowerEnvelope::fit: slope_lo > slope_hi");
  if (!std::isfinite(x_eval_s)) throw std::invalid_argument("LowerEnvelope::fit: x_eval_s not finite");
  const double x_ref = x_eval_s;

  // The objective max_b (b at x_ref) over lines below all points is concave in
  // the slope; its maximum is the hull edge spanning x_ref. Clamping to the
  // allowed slopes then gives the constrained optimum.
  double range_lo = -std::numeric_limits<double>::infinity();
  double range_hi = std::numeric_limits<double>::infinity();
  if (hull_.size() >= 2) {
    auto it = std::upper_bound(hull_.begin(), hull_.end(), x_ref,
                               [](double x, const EnvelopePoint& v) { return x < v.x_s; });
    // it: first vertex right of x_ref.
    if (it == hull_.begin()) {
      range_hi = edge_slope(hull_[0], hull_[1]);
    } else if (it == hull_.end()) {
      range_lo = edge_slope(hull_[hull_.size() - 2], hull_.back());
    } else {
      const std::size_t j = static_cast<std::size_t>(it - hull_.begin());  // hull_[j-1].x <= x_ref < hull_[j].x
      if (hull_[j - 1].x_s == x_ref) {
        range_hi = edge_slope(hull_[j - 1], hull_[j]);
        if (j >= 2) range_lo = edge_slope(hull_[j - 2], hull_[j - 1]);
      } else {
        range_lo = range_hi = edge_slope(hull_[j - 1], hull_[j]);
      }
    }
  }
  double slope = std::clamp(slope_prior, range_lo, range_hi);
  slope = std::clamp(slope, slope_lo, slope_hi);

  double y_ref = std::numeric_limits<double>::infinity();
  for (const auto& v : hull_) y_ref = std::min(y_ref, v.y_s - slope * (v.x_s - x_ref));
  return {x_ref, y_ref, slope};
}

}  // namespace stridefuse
