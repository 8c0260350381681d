#include "stridefuse/sim/drill_truth.hpp"

#include <cmath>

#include "stridefuse/core/units.hpp"

namespace stridefuse::sim {

double drill_envelope(const DrillRepTruth& rep, double t_s) {
  const double u = t_s - rep.t_start_s;
  if (u <= 0.0 || t_s >= rep.t_end_s) return 0.0;
  if (u < rep.rise_s) return 0.5 * (1.0 - std::cos(pi * u / rep.rise_s));
  if (u <= rep.rise_s + rep.plateau_s) return 1.0;
  const double down = (u - rep.rise_s - rep.plateau_s) / rep.rise_s;
  return 0.5 * (1.0 + std::cos(pi * down));
}

std::optional<double> DrillRepTruth::crossing_s(PelvisAxis axis, double tolerance_deg) const {
  const double amplitude = axis == PelvisAxis::tilt        ? excursion.tilt_deg
                           : axis == PelvisAxis::obliquity ? excursion.obliquity_deg
                                                           : excursion.rotation_deg;
  // Every excursion is its amplitude times the envelope, which rises as a half cosine.
  if (!(std::abs(amplitude) > tolerance_deg)) return std::nullopt;
  const double fraction = tolerance_deg / std::abs(amplitude);
  return t_start_s + rise_s * std::acos(1.0 - 2.0 * fraction) / pi;
}

}  // namespace stridefuse::sim
