#pragma once
// The pressure insoles: a layout of cells over the footprint, an elliptical
// contact patch under the centre of pressure, a multiplexed ADC (README.md, "Insoles").

#include <vector>

#include "stridefuse/second_runner/body_motion.hpp"

namespace stridefuse::second_runner {

struct Cell {
  double x_mm = 0.0, y_mm = 0.0, area_mm2 = 0.0;  ///< foot frame (fusion/FRAMES.md)
};

/// `count` cells in rows across the footprint, each standing for its patch of it.
std::vector<Cell> insole_layout(int count, double foot_length_mm);

/// The contact patch's pressure at (x, y) in the foot frame, kPa, for a
/// vertical force `force_n` centred on `cop_mm`.
double patch_pressure_kpa(double force_n, const Eigen::Vector2d& cop_mm, double x_mm, double y_mm, double body_weight_n,
                          double foot_length_mm);

struct InsoleSamples {
  std::vector<double> device_t_s;
  std::vector<std::vector<double>> pressure_kpa;  ///< per frame, per cell
};
InsoleSamples sample_insole(const Scenario& scenario, const Motion& motion, Side side, const std::vector<Cell>& cells);

}  // namespace stridefuse::second_runner
