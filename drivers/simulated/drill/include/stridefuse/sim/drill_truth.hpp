#pragma once
// What the simulated athlete really did in a drill set: the reference the
// drill tests and benchmark compare the DrillTracker's output with.

#include <cstdint>
#include <optional>

#include "stridefuse/core/drill.hpp"

namespace stridefuse::sim {

struct DrillRepTruth {
  std::uint32_t rep = 0;  ///< 1-based over the set
  DrillSide side = DrillSide::both;  ///< the rep's working side (fusion/DRILLS.md says which leg that is)
  double t_start_s = 0.0;  ///< the moving segment leaves its rest pose
  double t_end_s = 0.0;    ///< it is back
  double range_of_motion_deg = 0.0;  ///< fusion/DRILLS.md's range of motion, as the model moved it
  /// Time in the hold (the top plateau; for a bridge with a side, the time the
  /// extended foot is off the floor); empty for an exercise without a hold.
  std::optional<double> hold_s;
  /// The pelvis's largest signed departure per axis from its pose at t_start_s
  /// (Ry(tilt)·Rx(obliquity)·Rz(rotation), fusion/DRILLS.md).
  PelvisExcursion excursion;
  bool faulty = false;  ///< a fault was injected on this rep

  /// The session time at which |excursion| on `axis` first exceeds
  /// `tolerance_deg` in this rep, or empty when it never does.
  std::optional<double> crossing_s(PelvisAxis axis, double tolerance_deg) const;

  // The shape the excursions follow: the segment's envelope (0 at rest, 1 at
  // the top), rising by a half cosine over rise_s, held, falling over rise_s.
  double rise_s = 0.0;
  double plateau_s = 0.0;
};

/// The envelope of a rep at session time t: 0 before t_start and after t_end.
double drill_envelope(const DrillRepTruth& rep, double t_s);

}  // namespace stridefuse::sim
