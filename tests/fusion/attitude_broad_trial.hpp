#pragma once
// Reading and scoring a BROAD trial (shared/data/broad, see its README.md):
// used by the attitude regression test and by tests/benchmarks/broad_attitude_bench.cpp.

#include <Eigen/Geometry>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "stridefuse/fusion/attitude_estimator.hpp"

namespace stridefuse::fusion::broad {

struct Trial {
  std::string name;
  std::vector<double> t_s;
  std::vector<Eigen::Vector3d> gyro_radps, accel_mps2, mag_ut;
  std::vector<Eigen::Quaterniond> truth;  ///< NaN where the markers were lost
  std::vector<bool> scored;               ///< movement == 1
};

inline std::vector<std::vector<double>> read_numeric_csv(const std::string& path, std::size_t columns,
                                                         std::size_t first_row, std::size_t max_rows) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::vector<double>> rows;
  std::size_t row_index = 0;
  while (rows.size() < max_rows && std::getline(in, line)) {
    if (line.empty() || row_index++ < first_row) continue;
    std::vector<double> row;
    const char* p = line.c_str();
    while (true) {
      char* end = nullptr;
      const double v = std::strtod(p, &end);  // strtod reads "nan" as NaN, which the truth uses
      if (end == p) throw std::runtime_error(path + ": not a number in row " + std::to_string(rows.size() + 1));
      row.push_back(v);
      if (*end != ',') break;
      p = end + 1;
    }
    if (row.size() != columns)
      throw std::runtime_error(path + ": row " + std::to_string(rows.size() + 1) + " has " +
                               std::to_string(row.size()) + " columns, expected " + std::to_string(columns));
    rows.push_back(std::move(row));
  }
  return rows;
}

/// Loads dir/name.imu.csv and dir/name.truth.csv: at most max_rows samples from first_row on.
inline Trial load_trial(const std::string& dir, const std::string& name, std::size_t first_row = 0,
                        std::size_t max_rows = std::numeric_limits<std::size_t>::max()) {
  const auto imu = read_numeric_csv(dir + "/" + name + ".imu.csv", 10, first_row, max_rows);
  const auto ref = read_numeric_csv(dir + "/" + name + ".truth.csv", 6, first_row, max_rows);
  if (imu.size() != ref.size()) throw std::runtime_error(name + ": IMU and truth row counts differ");
  Trial trial;
  trial.name = name;
  for (std::size_t i = 0; i < imu.size(); ++i) {
    const auto& r = imu[i];
    trial.t_s.push_back(r[0]);
    trial.accel_mps2.emplace_back(r[1], r[2], r[3]);
    trial.gyro_radps.emplace_back(r[4], r[5], r[6]);
    trial.mag_ut.emplace_back(r[7], r[8], r[9]);
    trial.truth.emplace_back(ref[i][1], ref[i][2], ref[i][3], ref[i][4]);
    trial.scored.push_back(ref[i][5] == 1.0);
  }
  return trial;
}

/// BROAD's inclination error: e = q_est * q_ref^-1 in the earth frame, angle
/// of e once its rotation about earth Z is removed.
inline double inclination_error_rad(const Eigen::Quaterniond& estimate, const Eigen::Quaterniond& reference) {
  const Eigen::Quaterniond e = estimate.normalized() * reference.normalized().conjugate();
  return 2.0 * std::acos(std::min(1.0, std::sqrt(e.w() * e.w() + e.z() * e.z())));
}

/// Runs a fresh estimator over the trial; inclination RMSE in degrees over the
/// scored samples that have a reference.
inline double inclination_rmse_deg(const Trial& trial, const AttitudeEstimatorConfig& config) {
  AttitudeEstimator estimator(config);
  double sum_sq = 0.0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < trial.t_s.size(); ++i) {
    const double dt = i == 0 ? 1.0 / config.sample_rate_hz : trial.t_s[i] - trial.t_s[i - 1];
    estimator.update(trial.gyro_radps[i], trial.accel_mps2[i], dt, trial.mag_ut[i]);
    if (!trial.scored[i] || !trial.truth[i].coeffs().allFinite()) continue;
    const double e = inclination_error_rad(estimator.orientation(), trial.truth[i]);
    sum_sq += e * e;
    ++n;
  }
  if (n == 0) throw std::runtime_error(trial.name + ": no scored samples with a reference");
  return std::sqrt(sum_sq / static_cast<double>(n)) * 180.0 / 3.14159265358979323846;
}

inline const std::vector<std::string>& trial_names() {
  static const std::vector<std::string> names{
      "02_undisturbed_slow_rotation_B", "07_undisturbed_fast_rotation_B", "11_undisturbed_slow_translation_B",
      "16_undisturbed_fast_translation_B", "25_disturbed_tapping_B", "29_disturbed_stationary_magnet_B"};
  return names;
}

}  // namespace stridefuse::fusion::broad
