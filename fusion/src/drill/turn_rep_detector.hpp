#pragma once
// Reps of a segment that turns and comes back (the pelvis hinging in a bridge
// or an RDL, a foot swinging in a donkey kick or a pigeon), from the
// orientation of the IMU on it (fusion/DRILLS.md, "Counting reps"). Every
// threshold is relative to the segment's own rest pose and to the rep's own
// amplitude, except the floor below which a movement is not a rep.

#include <optional>
#include <vector>

#include <Eigen/Geometry>

#include "still_window.hpp"

namespace stridefuse::fusion::drill {

class TurnRepDetector {
 public:
  enum class Event { none, candidate, onset, complete, discarded };

  /// `min_rep_deg`: the smallest turn that counts as a rep.
  explicit TurnRepDetector(double min_rep_deg) : min_rep_deg_(min_rep_deg) {}

  /// One orientation of the segment's IMU (any common reference frame).
  /// candidate: this sample is the latest still one, a rep would start here;
  /// onset: the segment has turned half the floor from there; complete: a rep
  /// ended (start_s(), end_s(), peak_deg(), hold_s() describe it); discarded:
  /// the movement after the onset was not a rep.
  Event push(double t_s, const Eigen::Quaterniond& q);

  /// Ends the set: a rep on its way back is completed at the last sample.
  Event finish();

  double start_s() const { return rep_start_s_; }
  double end_s() const { return end_s_; }
  /// The largest turn from the start pose in the rep, degrees.
  double peak_deg() const { return peak_deg_; }
  /// Time within max(0.6 deg, 1.5 %) of that peak and still (turning no
  /// faster than 1.5 deg/s): the hold at the top.
  double hold_s() const;
  bool in_rep() const { return phase_ != Phase::idle; }

 private:
  enum class Phase { idle, moving, returning };
  // The segment's rest, and a rep's end, are still (StillWindow).
  static constexpr double back_fraction = 0.2;  // a rep ends still within this fraction of its peak from its start
  static constexpr double stall_s = 20.0;       // out and still this long: a new posture, not a hold
  Event end_rep(double t_end_s, const Eigen::Quaterniond& q_end, bool counted);

  double min_rep_deg_;
  Phase phase_ = Phase::idle;
  StillWindow still_;
  bool have_start_ = false;
  Eigen::Quaterniond start_q_ = Eigen::Quaterniond::Identity();
  double start_s_ = 0.0, rep_start_s_ = 0.0, end_s_ = 0.0, peak_deg_ = 0.0, peak_t_s_ = 0.0;
  double still_since_s_ = 0.0;
  double last_t_s_ = 0.0;
  Eigen::Quaterniond last_q_ = Eigen::Quaterniond::Identity();
  struct Point {
    double t_s, deg;
  };
  std::vector<Point> trace_;  // the rep's turn from its start pose
};

}  // namespace stridefuse::fusion::drill
