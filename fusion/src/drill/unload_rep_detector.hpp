#pragma once
// Reps of a foot that leaves the floor and comes back (banded hip extension,
// running man), from its insole's load (fusion/DRILLS.md, "Counting reps").
// Levels are fractions of the load the foot carried at rest just before, so
// they hold for any body weight, insole and weight share.

namespace stridefuse::fusion::drill {

class UnloadRepDetector {
 public:
  enum class Event { none, candidate, onset, complete, discarded };

  /// One total load of the insole (any unit, zero-based or with its small unloaded offset).
  Event push(double t_s, double load);
  /// Ends the set: a foot still off the floor ends no rep.
  Event finish();

  /// The rep just completed: the last fully loaded sample before it, and when it was back.
  double start_s() const { return rep_start_s_; }
  double end_s() const { return end_s_; }
  bool in_rep() const { return phase_ != Phase::idle; }

 private:
  enum class Phase { idle, unloading };
  static constexpr double rest_tau_s = 0.5;   // the rest load follows slow weight shifts...
  static constexpr double rest_band = 1.25;    // ...within this factor, not the other foot's lift doubling it
  static constexpr double still_loaded = 0.9;  // the rep starts at the last sample this loaded
  static constexpr double onset = 0.5;         // unloading has begun
  static constexpr double lifted = 0.25;       // the foot is off: a rep
  static constexpr double back = 0.6;          // reloaded this far and steady for settle_s: back
  static constexpr double settle_s = 0.5;

  Phase phase_ = Phase::idle;
  bool started_ = false;
  double rest_load_ = 0.0;
  double last_t_s_ = 0.0;
  double start_s_ = 0.0, rep_start_s_ = 0.0, end_s_ = 0.0;  // start_s_: the candidate
  bool was_lifted_ = false;
  double back_since_s_ = -1.0;
};

}  // namespace stridefuse::fusion::drill
