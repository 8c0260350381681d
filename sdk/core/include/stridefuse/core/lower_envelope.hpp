#pragma once
// Windowed lower convex hull of (device time, host arrival time) points and
// the line that lies below all of them while touching them as closely as
// possible (the linear program of Zhang, Liu & Xia, INFOCOM 2002; the one-way
// half of TICSync, Harrison & Newman, ICRA 2011). A transport delay is never
// below its minimum, so every arrival lies on or above the true clock line:
// the line below all points and highest at their centroid is the estimate.
// Used by DeviceClock; public so that the estimator can be tested on its own.

#include <cstddef>
#include <deque>
#include <vector>

namespace stridefuse {

struct EnvelopePoint {
  double x_s = 0.0;  ///< device time in nominal seconds (tick * nominal period), increasing
  double y_s = 0.0;  ///< host arrival time in seconds, non-decreasing
};

/// y = y_at_ref_s + slope * (x - x_ref_s)
struct EnvelopeLine {
  double x_ref_s = 0.0;
  double y_at_ref_s = 0.0;
  double slope = 1.0;

  double at(double x_s) const { return y_at_ref_s + slope * (x_s - x_ref_s); }
};

class LowerEnvelope {
 public:
  /// Keeps points whose x lies within window_s of the newest x (the oldest
  /// are dropped in slices of window_s/16, so the span is 15/16..1 of it).
  /// Throws std::invalid_argument unless window_s is finite and positive.
  explicit LowerEnvelope(double window_s);

  /// Adds a point. x must exceed the newest x and y must not be below the
  /// newest y (std::invalid_argument otherwise). A point with the same y as
  /// the newest one (a frame of the same arrival bunch) replaces it: with
  /// equal arrival the later sample is the tighter constraint.
  void add(EnvelopePoint p);

  void clear();
  bool empty() const { return points_.empty(); }
  std::size_t size() const { return points_.size(); }
  const std::deque<EnvelopePoint>& points() const { return points_; }
  const std::vector<EnvelopePoint>& hull() const { return hull_; }
  double mean_x_s() const;

  /// The lower hull at x (linear between vertices, clamped to the end
  /// vertices outside them). Throws std::logic_error when empty.
  double hull_at(double x_s) const;

  /// The line below every point, with slope in [slope_lo, slope_hi], that is
  /// highest at x_eval_s. At the centroid x of the points (mean_x_s()) that is
  /// the line of minimum total residual. When the data leave the slope
  /// undetermined (one point, or x_eval_s on a vertex) the slope nearest to
  /// slope_prior is taken.
  /// Throws std::logic_error when empty, std::invalid_argument when slope_lo > slope_hi.
  EnvelopeLine fit(double slope_lo, double slope_hi, double slope_prior, double x_eval_s) const;

 private:
  void push_hull(EnvelopePoint p);
  void rebuild_hull();
  void expire();

  double window_s_;
  std::deque<EnvelopePoint> points_;
  std::vector<EnvelopePoint> hull_;  ///< lower hull vertices of points_, increasing x
  double sum_x_s_ = 0.0;
};

}  // namespace stridefuse
