#pragma once
// Insole geometry and the plantar pressure the simulated foot produces.

#include <cstddef>
#include <span>
#include <vector>

#include "stridefuse/core/stream.hpp"

namespace stridefuse::sim {

/// A plausible layout of `sensor_count` (8-24) sites for a foot of `length_mm`:
/// pairs of sites (one each side of the long axis) in rows from heel to toes,
/// one site on the axis at the toes when the count is odd. Foot frame of fusion/FRAMES.md.
/// Each site's area is the patch of sole it represents, so sum(pressure * area) is the force.
/// Throws std::invalid_argument when the count or length is out of range.
std::vector<PressureSensorSite> default_insole_sites(std::size_t sensor_count, double length_mm);

/// The pressure under the foot as a smooth footprint centred on the centre of
/// pressure: a 2-D Gaussian (sigma 30 mm along, 20 mm across) carrying the
/// whole normal force. Writes the true pressure at each site, kPa.
void pressure_at_sites(std::span<const PressureSensorSite> sites, double normal_force_n, double cop_x_mm,
                       double cop_y_mm, std::span<double> pressure_kpa);

}  // namespace stridefuse::sim
