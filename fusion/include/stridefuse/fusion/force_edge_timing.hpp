#pragma once
// Sub-sample timing of a force edge (initial contact or toe-off) from the one
// sample just past the threshold crossing, without assuming the edge's shape.
//
// Why: the force leaves the baseline at a kink (flat, then rising), so a
// straight line through the sample before and the sample after the crossing
// puts the contact early, by up to a sample period; the shape of the rise
// (impact transient or not, heel or forefoot) differs between runners, so a
// fitted shape would be one runner's.
//
// What it rests on: an insole samples on its own clock, not locked to the
// gait, so the instant of the edge falls at a uniformly distributed phase
// within the sample period; and within one runner the edges have a consistent
// shape g (force above baseline a time phi after the edge, increasing). The
// first sample past the level then has phi uniform over [phi_L, phi_L + dt)
// (phi_L: time the force takes to reach the level), and g(phi) is monotonic,
// so the rank of this edge's force among the recent edges' gives phi - phi_L
// as a fraction of dt. phi_L comes from the slope of the recent edges'
// quantiles near the bottom, extrapolated linearly down to the force that
// marks the edge (a force plate's contact force, or zero).
//
// That slope is the force's rise only while the history's phases spread over
// the period. When a stride settles on a whole number of sample periods (a
// real treadmill runner's foot at 50 Hz, RBDS), the lowest quantiles sit in
// one narrow cluster of phases, the slope collapses, and phi_L came out most
// of a period: ICs 6-10 ms early, TOs as late. So the slope is floored at a
// rise the caller knows the force reaches near the level (the detector: its
// rise at the level, the larger of the median rise between the first two
// samples past it and a secant over the first period, or the fall between
// the last two samples above it, at recent clean contacts). The floor assumes the
// force changes near the level at least as fast as one sample further in;
// where it changes more slowly (a rise that accelerates away from the
// level), phi_L comes out short, by at most the time the force takes from
// the edge to the lowest decile of first samples.
//
// Guard: when the gait is phase-locked to the sampling (a cadence whose step
// time is a whole number of sample periods, and no stride-to-stride
// variability) the phases are not uniform and the rank spreads edges that
// all fell at one phase. So both timings are kept for the recent edges and
// the refined one is used only while it gives the steadier edge-to-edge
// intervals (smaller variance of their change from one edge to the next); the
// linear crossing otherwise.

#include <cstddef>
#include <optional>
#include <utility>

#include <boost/circular_buffer.hpp>

namespace stridefuse::fusion {

class ForceEdgeTiming {
 public:
  /// Keeps the last `history` edges; answers once it has `min_history`.
  /// Throws std::invalid_argument when min_history < 8 or history < min_history.
  explicit ForceEdgeTiming(std::size_t history = 128, std::size_t min_history = 12);

  /// Time from the edge to the first sample past the level, s, for that
  /// sample's force above baseline `excess` (any unit shared by all calls,
  /// e.g. a fraction of the loaded range) and the sample period `dt_s`
  /// before it; within [0, 2 dt_s]. The edge is where the force crosses
  /// `edge_excess` (same unit; 0: where it leaves the baseline).
  /// `min_rise_per_s`: a rise (same unit per second) the force is known to
  /// reach near the level; the slope extrapolated from the edge to the level
  /// is at least that (0: none known). std::nullopt until enough edges are known.
  std::optional<double> time_since_edge_s(double excess, double dt_s, double edge_excess = 0.0,
                                          double min_rise_per_s = 0.0) const;

  /// Records one confirmed edge: the excess of its first sample past the
  /// level, its time from the linear crossing and, when there was one, from
  /// time_since_edge_s.
  void add(double excess, double t_crossing_s, std::optional<double> t_refined_s);

  /// Whether the refined timing has been the steadier one over the recent edges.
  bool refined_is_steadier() const;

  /// The edge time to report: the refined one when it is the steadier, else the crossing.
  double choose(double t_crossing_s, std::optional<double> t_refined_s) const {
    return t_refined_s && refined_is_steadier() ? *t_refined_s : t_crossing_s;
  }

  std::size_t size() const { return recent_.size(); }

 private:
  boost::circular_buffer<double> recent_;
  std::size_t min_history_;
  // Edge times by both methods, for the steadiness comparison.
  boost::circular_buffer<std::pair<double, double>> times_{64};
};

}  // namespace stridefuse::fusion
