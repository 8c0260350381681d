#include "unload_rep_detector.hpp"

#include <algorithm>
#include <cmath>

namespace stridefuse::fusion::drill {

UnloadRepDetector::Event UnloadRepDetector::push(double t_s, double load) {
  if (!std::isfinite(load)) return Event::none;
  const double dt = started_ ? t_s - last_t_s_ : 0.0;
  last_t_s_ = t_s;
  if (!started_) {
    started_ = true;
    rest_load_ = load;
    start_s_ = t_s;
    return Event::candidate;
  }
  if (phase_ == Phase::idle) {
    if (load >= still_loaded * rest_load_) {
      if (load <= rest_band * rest_load_) rest_load_ += (load - rest_load_) * std::min(1.0, dt / rest_tau_s);
      start_s_ = t_s;
      return Event::candidate;
    }
    if (load >= onset * rest_load_) return Event::none;
    phase_ = Phase::unloading;
    rep_start_s_ = start_s_;
    was_lifted_ = false;
    back_since_s_ = -1.0;
    return Event::onset;
  }
  if (load < lifted * rest_load_) was_lifted_ = true;
  if (load >= still_loaded * rest_load_) {
    end_s_ = t_s;
  } else if (load >= back * rest_load_) {
    if (back_since_s_ < 0.0) back_since_s_ = t_s;
    if (t_s - back_since_s_ < settle_s) return Event::none;
    end_s_ = back_since_s_;  // put down at a new share of the weight
  } else {
    back_since_s_ = -1.0;
    return Event::none;
  }
  phase_ = Phase::idle;
  start_s_ = t_s;
  if (load < still_loaded * rest_load_) rest_load_ = load;  // put down at a new share: the new rest
  return was_lifted_ ? Event::complete : Event::discarded;
}

UnloadRepDetector::Event UnloadRepDetector::finish() {
  if (phase_ == Phase::idle) return Event::none;
  phase_ = Phase::idle;
  return Event::discarded;
}

}  // namespace stridefuse::fusion::drill
