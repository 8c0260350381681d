#pragma once
// Steps from the pelvis IMU alone: initial contact, toe-off (or final
// contact), the side and the gait of each step, for a session (or a foot)
// without a usable insole. Method, assumptions and figures: fusion/README.md,
// "Steps from the pelvis alone".
//
// Physics used (the centre of mass's vertical acceleration is the vertical
// ground force divided by body mass, minus g; the sacrum stands for the
// centre of mass):
// - running: in flight nothing pushes, so the vertical specific force is
//   zero (free fall); a contact is the time between two flights. Its
//   initial contact and toe-off are where the loading and unloading edges of
//   the vertical force leave and reach the flight level, extrapolated from
//   the edge (Patoz et al. 2022 detect them with a threshold on the sacral
//   vertical acceleration, 20 ms contact time RMSE against force plates).
// - walking: a foot is always on the ground (the vertical force never falls
//   near zero). Each step begins with the leading leg's collision: the
//   vertical force rises steeply within a few tens of ms, so the initial
//   contact is the instant of the steepest rise of the vertical acceleration
//   (the strongest loading edge of each step). The trailing foot leaves once
//   the loading is over: its final contact is taken where the vertical
//   acceleration falls back through zero (the total vertical force back at
//   body weight) after the leading foot's loading peak.
// - side: steps alternate. Running: the swing side of the pelvis drops during
//   each stance (contralateral pelvic drop), so the obliquity rises in a left
//   stance. Walking: the lower back keeps turning the landing side forward
//   around each initial contact (measured on real lower-back recordings,
//   fusion/README.md). The cues of the steps of a bout are voted, with the
//   alternation; an insole's contacts (anchor()) settle it.
// - standing, turning on the spot and sitting are not steps: a step needs
//   at least two neighbours at plausible, regular step intervals.

#include <Eigen/Core>
#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

#include "stridefuse/core/events.hpp"
#include "stridefuse/core/stream.hpp"

namespace stridefuse::fusion {

/// One pelvis sample in the earth frame of the attitude estimate (Z up, heading arbitrary).
struct PelvisMotionSample {
  double t_s = 0.0;
  Eigen::Vector3d linear_mps2 = Eigen::Vector3d::Zero();  ///< acceleration, gravity removed
  Eigen::Vector3d rate_radps = Eigen::Vector3d::Zero();   ///< angular rate, gyro bias removed
  bool ok = true;  ///< false for a clipped sample: no event is timed across it
};

/// One foot contact found in the pelvis motion.
struct PelvisContact {
  Side side = Side::left;
  double t_ic_s = 0.0;
  double t_to_s = 0.0;  ///< NaN when the toe-off could not be placed (the last step of a walk)
  GaitMode mode = GaitMode::unknown;
};

struct PelvisStepDetectorConfig {
  /// A contact is reported once its initial contact is this old: its
  /// neighbours (bout, side vote, the next step's loading for a walking
  /// final contact) must have been seen.
  double decision_delay_s = 3.0;
  /// A running contact whose side an insole's contact settles (the other
  /// foot's insole, by the alternation) needs no vote: it is reported once
  /// this old and the contact after it has been found (its flight has ended,
  /// so its toe-off is placed). With one insole and the pelvis, the steps of
  /// both feet then come about a second after their contact, not three.
  double anchored_decision_delay_s = 0.5;
  double window_s = 12.0;            ///< motion kept and analysed
  double analysis_interval_s = 0.5;  ///< the window is analysed again after this much new motion

  // Running.
  double flight_level_mps2 = 0.3 * 9.80665;  ///< specific force below this is free fall (flight)
  double min_flight_s = 0.02;
  double min_contact_s = 0.05;       ///< shorter is a knock, not a foot contact (the insoles' limit is 0.06 s)
  double max_contact_s = 0.5;
  double min_loading_mps2 = 0.5 * 9.80665;  ///< a contact's peak above the flight level, at least

  // Walking.
  double slope_half_span_s = 0.01;  ///< the edge's slope: vertical acceleration over +-this
  double rise_half_span_s = 0.04;   ///< an edge's strength: its rise over +-this
  double min_rise_mps2 = 0.5;
  double relative_rise = 0.25;      ///< of the strongest edges around (median of the top 4 within +-3 s)
  double refractory_s = 0.3;        ///< the strongest edge within this is the step's
  double min_step_s = 0.3;
  double max_step_s = 1.5;
  double max_step_ratio = 2.0;      ///< consecutive step times differ by at most this factor
  std::size_t min_bout_steps = 3;
  double regular_tolerance = 0.3;   ///< of the step time: an edge this far from the midpoint of its neighbours is re-chosen

  int side_vote_steps = 4;  ///< steps after a bout's first one whose side cues are voted
};

class PelvisStepDetector {
 public:
  /// Throws std::invalid_argument for non-positive durations or levels.
  explicit PelvisStepDetector(PelvisStepDetectorConfig config = {});

  /// One sample; times must increase (others are ignored).
  void push(const PelvisMotionSample& sample);

  /// Contacts whose initial contact is at least the decision delay older than
  /// the last sample (an anchored running contact: the anchored decision
  /// delay), each once, in time order.
  std::vector<PelvisContact> take_decided();

  /// At the end of a session: every contact not reported yet.
  std::vector<PelvisContact> take_remaining();

  /// An initial contact that a foot's insole detected: it settles the side
  /// alternation of the steps around it.
  void anchor(Side side, double t_ic_s);

  /// No contact with an earlier initial contact will be reported any more.
  double decided_until_s() const { return decided_until_s_; }

  /// Forgets the motion and the bout (a gap in the pelvis stream).
  void reset();

 private:
  std::vector<PelvisContact> analyse(double decide_until_s, double anchored_until_s);

  PelvisStepDetectorConfig config_;
  std::deque<PelvisMotionSample> window_;
  std::deque<std::pair<Side, double>> anchors_;
  double last_analysis_s_ = -1e300;
  double decided_until_s_ = -1e300;
  std::optional<PelvisContact> last_reported_;
};

}  // namespace stridefuse::fusion
