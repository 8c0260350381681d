#include "stridefuse/second_runner/insole.hpp"

#include <cmath>
#include <numeric>
#include <random>

#include "stridefuse/core/units.hpp"

namespace stridefuse::second_runner {

namespace insole_detail {

// The footprint's mean half width over [x0, x1] mm.
double mean_half_width_mm(double x0, double x1, double length_mm) {
  constexpr int n = 50;
  double sum = 0.0;
  for (int i = 0; i < n; ++i) sum += footprint_half_width_mm(x0 + (x1 - x0) * (i + 0.5) / n, length_mm);
  return sum / n;
}

}  // namespace insole_detail

std::vector<Cell> insole_layout(int count, double foot_length_mm) {
  // Rows of equal length heel to toe; each row's cells share its width
  // equally, as many as its width's share of the footprint's (largest
  // remainder, at least one). A cell stands for its slice of the row.
  const int rows = std::clamp(static_cast<int>(std::lround(std::sqrt(2.6 * count))), 3, count);
  const double band_mm = foot_length_mm / rows;
  std::vector<double> half_width(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r)
    half_width[std::size_t(r)] = insole_detail::mean_half_width_mm(r * band_mm, (r + 1) * band_mm, foot_length_mm);
  const double total = std::accumulate(half_width.begin(), half_width.end(), 0.0);
  std::vector<int> per_row(std::size_t(rows), 1);
  std::vector<double> leftover(static_cast<std::size_t>(rows));
  int given = rows;
  for (int r = 0; r < rows; ++r) {
    const double share = (count - rows) * half_width[std::size_t(r)] / total;
    per_row[std::size_t(r)] += static_cast<int>(share);
    given += static_cast<int>(share);
    leftover[std::size_t(r)] = share - std::floor(share);
  }
  while (given < count) {
    const auto r = std::size_t(std::max_element(leftover.begin(), leftover.end()) - leftover.begin());
    ++per_row[r];
    leftover[r] = -1.0;
    ++given;
  }
  std::vector<Cell> cells;
  for (int r = 0; r < rows; ++r) {
    const double w = half_width[std::size_t(r)];
    const int k = per_row[std::size_t(r)];
    for (int c = 0; c < k; ++c)
      cells.push_back({(r + 0.5) * band_mm, -w + (2.0 * c + 1.0) * w / k, band_mm * 2.0 * w / k});
  }
  return cells;
}

double patch_pressure_kpa(double force_n, const Eigen::Vector2d& cop_mm, double x_mm, double y_mm, double body_weight_n,
                          double foot_length_mm) {
  if (force_n <= 0.0) return 0.0;
  // An elliptical dome under the centre of pressure, growing with the load:
  // along the foot from 6 % of its length (first touch) to 18 % (2.5 body
  // weights), across 85 % of that, held within the foot's local width.
  const double load = std::clamp(force_n / (2.5 * body_weight_n), 0.0, 1.0);
  const double a = foot_length_mm * (0.06 + 0.12 * std::sqrt(load));
  const double b = std::max(0.5 * a, std::min(0.85 * a, 1.1 * footprint_half_width_mm(cop_mm.x(), foot_length_mm)));
  const double r2 = std::pow((x_mm - cop_mm.x()) / a, 2) + std::pow((y_mm - cop_mm.y()) / b, 2);
  // A paraboloid dome's volume is pi a b p0 / 2; N/mm^2 is 1000 kPa.
  const double peak_kpa = 2.0 * force_n / (pi * a * b) * 1000.0;
  return peak_kpa * std::max(0.0, 1.0 - r2);
}

InsoleSamples sample_insole(const Scenario& sc, const Motion& motion, Side side, const std::vector<Cell>& cells) {
  InsoleSamples out;
  const int f = side == Side::left ? 0 : 1;
  const DeviceClock& clock = f == 0 ? sc.left_clock : sc.right_clock;
  std::mt19937 random(sc.seed * 15485863u + 7u + unsigned(f));
  std::normal_distribution<double> unit(0.0, 1.0);
  const double length_mm = sc.foot_length_m * 1000.0, weight_n = sc.body_mass_kg * gravity_mps2;
  const double lsb_kpa = sc.cell_saturation_kpa / (std::pow(2.0, sc.adc_bits) - 1.0);
  const double period_s = 1.0 / sc.insole_rate_hz, end_s = motion.time_s(motion.size() - 1) - sc.insole_scan_s;
  const double first_dev_s = clock.device_from_true(period_s);
  std::vector<double> frame(cells.size());
  for (std::size_t k = 0;; ++k) {
    const double t_dev = first_dev_s + double(k) * period_s;
    const double t = clock.true_from_device(t_dev);
    if (t >= end_s) break;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      // Multiplexed: cell c is read c / N of the scan after the frame's stamp.
      const double tc = t + sc.insole_scan_s * double(c) / double(cells.size());
      const double force = motion.at(motion.foot_force_n[std::size_t(f)], tc);
      const Eigen::Vector2d cop = motion.at(motion.foot_cop_mm[std::size_t(f)], tc);
      double p = patch_pressure_kpa(force, cop, cells[c].x_mm, cells[c].y_mm, weight_n, length_mm);
      p = std::clamp(p + sc.cell_noise_kpa * unit(random), 0.0, sc.cell_saturation_kpa);
      frame[c] = std::round(p / lsb_kpa) * lsb_kpa;
    }
    out.device_t_s.push_back(t_dev);
    out.pressure_kpa.push_back(frame);
  }
  return out;
}

}  // namespace stridefuse::second_runner
