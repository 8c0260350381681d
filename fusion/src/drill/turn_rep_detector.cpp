#include "turn_rep_detector.hpp"

#include <algorithm>
#include <cmath>


namespace stridefuse::fusion::drill {

TurnRepDetector::Event TurnRepDetector::push(double t_s, const Eigen::Quaterniond& q) {
  last_t_s_ = t_s;
  last_q_ = q;
  const bool is_still = still_.push(t_s, q);
  switch (phase_) {
    case Phase::idle: {
      // The rep starts at the last still sample before the segment turns away.
      if (is_still || !have_start_) {
        have_start_ = true;
        start_q_ = q;
        start_s_ = t_s;
        return Event::candidate;
      }
      if (turn_deg(start_q_, q) < 0.5 * min_rep_deg_) return Event::none;
      phase_ = Phase::moving;
      rep_start_s_ = start_s_;
      peak_deg_ = 0.0;
      trace_.clear();
      trace_.push_back({start_s_, 0.0});
      [[fallthrough]];
    }
    case Phase::moving:
    case Phase::returning: {
      const bool first = trace_.size() == 1;
      const double a = turn_deg(start_q_, q);
      trace_.push_back({t_s, a});
      if (a > peak_deg_) {
        peak_deg_ = a;
        peak_t_s_ = t_s;
      }
      if (phase_ == Phase::moving && peak_deg_ >= min_rep_deg_ && a < 0.5 * peak_deg_) phase_ = Phase::returning;
      if (!is_still) still_since_s_ = t_s;
      // Still again near the start: the rep ended when the stillness began.
      const double stopped_s = still_.window_start_s();
      if (is_still && a <= std::max(back_fraction * peak_deg_, 2.0 * StillWindow::still_deg))
        return end_rep(stopped_s, q, peak_deg_ >= min_rep_deg_);
      if (is_still && t_s - still_since_s_ > stall_s) return end_rep(stopped_s, q, false);
      return first ? Event::onset : Event::none;
    }
  }
  return Event::none;
}

TurnRepDetector::Event TurnRepDetector::finish() {
  if (phase_ == Phase::returning) return end_rep(last_t_s_, last_q_, true);
  if (phase_ == Phase::moving) return end_rep(last_t_s_, last_q_, false);
  return Event::none;
}

TurnRepDetector::Event TurnRepDetector::end_rep(double t_end_s, const Eigen::Quaterniond& q_end, bool counted) {
  end_s_ = t_end_s;
  phase_ = Phase::idle;
  start_q_ = q_end;
  start_s_ = last_t_s_;
  std::erase_if(trace_, [&](const Point& p) { return p.t_s > t_end_s; });
  return counted ? Event::complete : Event::discarded;
}

// The hold: the time the segment is still at the top. Near its largest
// turn (within the band) and turning no faster than the stillness rate of
// StillWindow (1.5 deg/s): the band alone also counted the slow last part of
// the way up and the first of the way down (0.1-0.35 s on the simulated sets).
double TurnRepDetector::hold_s() const {
  const double band = std::max(2.0 * StillWindow::still_deg, 0.015 * peak_deg_);
  constexpr double still_rate_deg_per_s = StillWindow::still_deg / StillWindow::window_s;
  double held = 0.0;
  for (std::size_t i = 1; i < trace_.size(); ++i) {
    const double dt = trace_[i].t_s - trace_[i - 1].t_s;
    if (trace_[i].deg >= peak_deg_ - band && trace_[i - 1].deg >= peak_deg_ - band &&
        std::abs(trace_[i].deg - trace_[i - 1].deg) <= still_rate_deg_per_s * dt)
      held += dt;
  }
  return held;
}

}  // namespace stridefuse::fusion::drill
