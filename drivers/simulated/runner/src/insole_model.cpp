#include "stridefuse/sim/insole_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "stridefuse/core/units.hpp"

namespace stridefuse::sim {
namespace {

constexpr double sigma_along_mm = 30.0;
constexpr double sigma_across_mm = 20.0;

// Foot width along its length: narrow heel, narrower arch, wide forefoot, tapering toes.
double foot_width_mm(double fraction, double length_mm) {
  const double scale = length_mm / 265.0;
  double w;
  if (fraction < 0.3) w = 62.0;
  else if (fraction < 0.6) w = 62.0 + (98.0 - 62.0) * (fraction - 0.3) / 0.3;
  else if (fraction < 0.8) w = 98.0;
  else w = 98.0 - 30.0 * (fraction - 0.8) / 0.2;
  return w * scale;
}

}  // namespace

std::vector<PressureSensorSite> default_insole_sites(std::size_t sensor_count, double length_mm) {
  if (sensor_count < 8 || sensor_count > 24)
    throw std::invalid_argument("insole sensor count must be 8 to 24, not " + std::to_string(sensor_count));
  if (!(length_mm >= 150.0 && length_mm <= 350.0))
    throw std::invalid_argument("foot length must be 150 to 350 mm, not " + std::to_string(length_mm));
  const std::size_t pairs = sensor_count / 2;
  const bool toe_site = sensor_count % 2 == 1;
  const std::size_t rows = pairs + (toe_site ? 1 : 0);
  const double first = 0.07, last = 0.93;
  const double row_pitch_mm = (last - first) * length_mm / static_cast<double>(rows - 1);
  std::vector<PressureSensorSite> sites;
  for (std::size_t r = 0; r < pairs; ++r) {
    const double f = first + (last - first) * static_cast<double>(r) / static_cast<double>(rows - 1);
    const double w = foot_width_mm(f, length_mm);
    // Each site stands for its share of the sole, so sum(p * area) approximates the force.
    const double area = row_pitch_mm * w / 2.0;
    sites.push_back({f * length_mm, w / 4.0, area});
    sites.push_back({f * length_mm, -w / 4.0, area});
  }
  if (toe_site) sites.push_back({last * length_mm, 0.0, row_pitch_mm * foot_width_mm(last, length_mm)});
  return sites;
}

void pressure_at_sites(std::span<const PressureSensorSite> sites, double normal_force_n, double cop_x_mm,
                       double cop_y_mm, std::span<double> pressure_kpa) {
  // N/mm^2 is MPa; 1000 kPa each.
  const double peak_kpa =
      std::max(normal_force_n, 0.0) / (2.0 * pi * sigma_along_mm * sigma_across_mm) * 1000.0;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const double dx = (sites[i].x_mm - cop_x_mm) / sigma_along_mm;
    const double dy = (sites[i].y_mm - cop_y_mm) / sigma_across_mm;
    pressure_kpa[i] = peak_kpa * std::exp(-0.5 * (dx * dx + dy * dy));
  }
}

}  // namespace stridefuse::sim
