#pragma once
// A real runner as sensor files: the RBDS treadmill trial in
// ../shared/data/rbds (README.md there) holds pelvis markers at 150 Hz and
// the treadmill's force plate at 300 Hz, not sensor data. This makes the
// files `stridefuse analyze` reads from them and keeps the truth from the
// plate, so that the estimators meet a real pelvis and real feet:
//
// - a sacral IMU at the midpoint of the posterior iliac spines, turning with
//   the pelvis segment (ASIS and PSIS markers), mounted x up, y left, z back:
//   specific force = R^T (a + g) from the markers' low-passed path (10 Hz,
//   zero phase), rate of turn from the segment's orientation, white noise of
//   a consumer IMU added;
// - an insole per foot: 16 sites of our default layout on a 270 mm foot,
//   carrying the plate's vertical force around its centre of pressure
//   (expressed in the foot frame from the heel and metatarsal markers) with
//   the simulator's footprint (sim::pressure_at_sites), sampled at 100 Hz.
//   Each plate contact belongs to the foot whose markers are nearest its
//   centre of pressure (one plate under the whole belt: one foot at a time).
//   Below firm_force_n that one plate's centre of pressure scatters by
//   decimetres (moments over a small force), where an insole's cells still
//   know where the load is: there the insole takes the place on the foot of
//   the contact's nearest firm sample.
//
// What is ours here (the footprint's shape, the sensor noise) is stated; what
// the estimators are tried on (the pelvis's motion, the force's rise and
// tail, the centre of pressure's path, the runner's timing) is the real one.
// Used by tests/sdk/rbds_analysis_test.cpp and tests/benchmarks/real_runner_bench.cpp.

#include <Eigen/Geometry>
#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "../../fusion/src/attitude/low_pass_filter.hpp"
#include "../support/step_scoring.hpp"
#include "stridefuse/core/events.hpp"
#include "stridefuse/fusion/pelvis_angles.hpp"
#include "stridefuse/sim/insole_model.hpp"

namespace stridefuse::rbds {

inline std::filesystem::path data_dir() { return std::filesystem::path(STRIDEFUSE_SHARED_DIR) / "data" / "rbds"; }
inline bool available() { return std::filesystem::exists(data_dir() / "RBDS001runT25forces.txt"); }

constexpr double body_mass_kg = 62.0;  // the README's subject 1
constexpr double belt_speed_mps = 2.5;
constexpr double marker_rate_hz = 150.0, plate_rate_hz = 300.0;
constexpr double contact_threshold_n = 25.0;
constexpr double firm_force_n = 300.0;  // above this the plate's centre of pressure is steady  // the README: force crossing 20-30 N; the plate reads 0 below ~30 N

/// One foot's contact on the plate: the truth.
struct Contact {
  Side side = Side::left;
  double ic_s = 0.0, to_s = 0.0;
  /// Foot-strike distance (fusion/METRICS.md): the centre of pressure at
  /// initial contact ahead of the pelvis markers' centroid (the README's
  /// proxy for the centre of mass), m. The plate's centre of pressure below
  /// a few hundred newtons scatters by decimetres (one plate under the whole
  /// belt), so it is read at the first sample above firm_force_n and carried
  /// back to the contact with the belt (2.5 m/s).
  double foot_strike_distance_m = 0.0;
  /// From initial contact to the plate's fore-aft force turning from braking to propulsion, s.
  double braking_time_s = 0.0;
};

struct MakeOptions {
  double left_clock_offset_s = 0.0;   ///< added to the left insole file's times (its own clock)
  double right_clock_offset_s = 0.0;  ///< added to the right insole file's times
  std::size_t insole_sites = 16;
  int insole_decimation = 3;  ///< of the 300 Hz plate: 100 Hz insoles
  /// The IMU's axes in the nominal mounting's (x up, y left, z back): any orientation on the sacrum.
  Eigen::Matrix3d mounting = Eigen::Matrix3d::Identity();
  /// Pelvis samples left out (a radio gap): [start, end) in seconds, none when equal.
  double pelvis_gap_start_s = 0.0, pelvis_gap_end_s = 0.0;
  unsigned seed = 1;
};

/// Earth's up in the pelvis IMU's frame at one of its samples: the truth for its inclination.
struct UpInSensor {
  double t_s = 0.0;
  Eigen::Vector3d up;
};

struct SensorFiles {
  std::filesystem::path pelvis_csv, left_csv, left_layout, right_csv, right_layout;
  std::vector<Contact> contacts;  ///< in time order, on the pelvis file's clock
  std::vector<UpInSensor> up;     ///< one per pelvis sample
  /// The pelvis segment's frame (X anterior, Y left, Z up: fusion/FRAMES.md) in the lab, at i / 150 s.
  std::vector<Eigen::Quaterniond> pelvis_in_lab;
  /// How far the whole body's centre of mass runs ahead of the pelvis
  /// markers' centroid, m, by the plate's momentum balance over the trial
  /// (fusion/METRICS.md, "Foot-strike distance from forces"): the
  /// force-weighted mean of the centre of pressure ahead of the centroid
  /// over every firm sample of every contact. Comes from the plate and the
  /// markers alone.
  double com_lead_m = 0.0;
};

namespace detail {

// A tab-separated file with a header row; "NaN" cells are read as NaN.
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;
  std::size_t column(const std::string& name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (columns[i] == name) return i;
    throw std::runtime_error("RBDS: no column " + name);
  }
};

inline Table read_table(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  Table t;
  std::string line, cell;
  std::getline(in, line);
  for (std::stringstream header(line); std::getline(header, cell, '\t');) t.columns.push_back(cell);
  while (std::getline(in, line)) {
    std::vector<double> row;
    for (std::stringstream fields(line); std::getline(fields, cell, '\t');) row.push_back(std::stod(cell));
    if (row.size() != t.columns.size()) throw std::runtime_error(path.string() + ": a row of " + std::to_string(row.size()) + " fields");
    t.rows.push_back(std::move(row));
  }
  return t;
}

// A second-order Butterworth low-pass run forward and backward (no lag),
// started at rest on the first value so the ends do not ring.
inline void low_pass_both_ways(std::vector<double>& x, double cutoff_hz, double rate_hz) {
  const auto f = fusion::attitude::LowPassCoefficients::butterworth(1.0 / (2.0 * pi * cutoff_hz), 1.0 / rate_hz);
  for (int pass = 0; pass < 2; ++pass) {
    double x1 = x[0], x2 = x[0], y1 = x[0], y2 = x[0];
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double y = f.b0 * x[i] + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
      x2 = x1, x1 = x[i], y2 = y1, y1 = y;
      x[i] = y;
    }
    std::reverse(x.begin(), x.end());
  }
}

// A marker's path in metres, gaps (NaN) bridged linearly, low-passed forward and backward.
inline std::vector<Eigen::Vector3d> marker_path(const Table& t, const std::string& name, double cutoff_hz) {
  const std::size_t n = t.rows.size();
  std::vector<Eigen::Vector3d> p(n);
  for (int axis = 0; axis < 3; ++axis) {
    const std::size_t c = t.column(name + "XYZ"[axis]);
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = t.rows[i][c] / 1000.0;
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isfinite(x[i])) continue;
      std::size_t j = i;
      while (j < n && !std::isfinite(x[j])) ++j;
      if (i == 0 || j == n) throw std::runtime_error("RBDS: marker " + name + " missing at an end");
      for (std::size_t k = i; k < j; ++k) x[k] = x[i - 1] + (x[j] - x[i - 1]) * double(k - i + 1) / double(j - i + 1);
    }
    low_pass_both_ways(x, cutoff_hz, marker_rate_hz);
    for (std::size_t i = 0; i < n; ++i) p[i][axis] = x[i];
  }
  return p;
}

// Lab axes of the README: X forward, Y up, Z to the runner's right.
inline Eigen::Vector3d horizontal(const Eigen::Vector3d& v) { return {v.x(), 0.0, v.z()}; }

inline double interpolate(const std::vector<double>& y, double t_s, double rate_hz) {
  const double i = std::clamp(t_s * rate_hz, 0.0, double(y.size() - 1));
  const auto k = std::min<std::size_t>(static_cast<std::size_t>(i), y.size() - 2);
  return y[k] + (y[k + 1] - y[k]) * (i - double(k));
}

}  // namespace detail

/// Writes pelvis.csv, left.csv, right.csv and their layouts into `dir` and returns the plate's contacts.
inline SensorFiles make_sensor_files(const std::filesystem::path& dir, const MakeOptions& options = {}) {
  using detail::horizontal;
  const auto markers = detail::read_table(data_dir() / "RBDS001runT25markers.txt");
  const auto plate = detail::read_table(data_dir() / "RBDS001runT25forces.txt");
  std::filesystem::create_directories(dir);
  SensorFiles files{dir / "pelvis.csv", dir / "left.csv", dir / "left_layout.json", dir / "right.csv",
                    dir / "right_layout.json", {}, {}, {}};
  std::mt19937 random(options.seed);

  // The pelvis IMU.
  const auto ras = detail::marker_path(markers, "R.ASIS", 10.0), las = detail::marker_path(markers, "L.ASIS", 10.0);
  const auto rps = detail::marker_path(markers, "R.PSIS", 10.0), lps = detail::marker_path(markers, "L.PSIS", 10.0);
  const std::size_t n = ras.size();
  std::vector<Eigen::Matrix3d> lab_from_sensor(n);
  std::vector<Eigen::Vector3d> sacrum(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Eigen::Vector3d right = ((ras[i] - las[i]) + (rps[i] - lps[i])).normalized();
    Eigen::Vector3d forward = (ras[i] + las[i] - rps[i] - lps[i]) / 2.0;
    forward = (forward - forward.dot(right) * right).normalized();
    const Eigen::Vector3d up = right.cross(forward);
    lab_from_sensor[i].col(0) = up;
    lab_from_sensor[i].col(1) = -right;
    lab_from_sensor[i].col(2) = -forward;
    Eigen::Matrix3d pelvis;
    pelvis << forward, -right, up;
    files.pelvis_in_lab.emplace_back(pelvis);
    lab_from_sensor[i] = lab_from_sensor[i] * options.mounting;
    sacrum[i] = (rps[i] + lps[i]) / 2.0;
  }
  std::normal_distribution<double> accel_noise(0.0, 0.05), gyro_noise(0.0, 0.004);  // m/s^2, rad/s
  {
    std::ofstream out(files.pelvis_csv);
    out << "t,ax,ay,az,gx,gy,gz\n";
    out.precision(9);
    const double dt = 1.0 / marker_rate_hz;
    for (std::size_t i = 1; i + 1 < n; ++i) {
      const Eigen::Vector3d a = (sacrum[i + 1] - 2.0 * sacrum[i] + sacrum[i - 1]) / (dt * dt);
      const Eigen::Vector3d f = lab_from_sensor[i].transpose() * (a + Eigen::Vector3d(0.0, 9.80665, 0.0));
      const Eigen::AngleAxisd turn(lab_from_sensor[i - 1].transpose() * lab_from_sensor[i + 1]);
      const Eigen::Vector3d w = turn.axis() * turn.angle() / (2.0 * dt);
      if (double(i) * dt >= options.pelvis_gap_start_s && double(i) * dt < options.pelvis_gap_end_s) continue;
      files.up.push_back({double(i) * dt, lab_from_sensor[i].transpose() * Eigen::Vector3d::UnitY()});
      out << double(i) * dt;
      for (int k = 0; k < 3; ++k) out << ',' << f[k] + accel_noise(random);
      for (int k = 0; k < 3; ++k) out << ',' << w[k] + gyro_noise(random);
      out << '\n';
    }
  }

  // The feet: heel and the metatarsal heads' midpoint (R.MT1 and R.MT5 are swapped in this file: their midpoint is not).
  struct Foot {
    std::vector<Eigen::Vector3d> heel, toe;
  };
  std::array<Foot, 2> feet;
  for (int s = 0; s < 2; ++s) {
    const std::string p = s == 0 ? "L." : "R.";
    feet[s].heel = detail::marker_path(markers, p + "Heel.Bottom", 10.0);
    const auto mt1 = detail::marker_path(markers, p + "MT1", 10.0), mt5 = detail::marker_path(markers, p + "MT5", 10.0);
    for (std::size_t i = 0; i < n; ++i) feet[s].toe.push_back((mt1[i] + mt5[i]) / 2.0);
  }
  const auto fx = plate.column("Fx"), fy = plate.column("Fy"), copx = plate.column("COPx"), copz = plate.column("COPz");
  const std::size_t m = plate.rows.size();
  const auto marker_index = [&](std::size_t plate_row) {
    return std::min(n - 1, static_cast<std::size_t>(std::lround(double(plate_row) / plate_rate_hz * marker_rate_hz)));
  };
  const auto cop_of = [&](std::size_t r) { return Eigen::Vector3d(plate.rows[r][copx] / 1000.0, 0.0, plate.rows[r][copz] / 1000.0); };
  // The pelvis markers' centroid along the lab's X at marker sample k, m.
  const auto centroid_x_m = [&](std::size_t k) { return (ras[k].x() + las[k].x() + rps[k].x() + lps[k].x()) / 4.0; };

  // Contacts: runs of force above the threshold, each given to the nearer foot at mid-stance.
  std::vector<int> owner(m, -1);
  double lead_weighted_m = 0.0, lead_weight = 0.0;
  for (std::size_t r = 0; r < m;) {
    if (plate.rows[r][fy] <= contact_threshold_n) {
      ++r;
      continue;
    }
    std::size_t end = r;
    while (end < m && plate.rows[end][fy] > contact_threshold_n) ++end;
    const std::size_t mid = (r + end) / 2, k = marker_index(mid);
    const Eigen::Vector3d cop = cop_of(mid);
    double distance[2];
    for (int s = 0; s < 2; ++s) distance[s] = (horizontal(feet[s].heel[k] + feet[s].toe[k]) / 2.0 - cop).norm();
    const int side = distance[0] < distance[1] ? 0 : 1;
    // The edges at the threshold, interpolated between plate samples.
    const auto crossing = [&](std::size_t below, std::size_t above) {
      const double a = plate.rows[below][fy], b = plate.rows[above][fy];
      return (double(below) + (contact_threshold_n - a) / (b - a) * (double(above) - double(below))) / plate_rate_hz;
    };
    if (r > 0 && end < m && end - r > std::size_t(0.08 * plate_rate_hz)) {
      std::size_t firm = r;
      while (firm < end && plate.rows[firm][fy] < firm_force_n) ++firm;
      const double ic_s = crossing(r - 1, r);
      const double cop_at_ic_m = cop_of(firm).x() + belt_speed_mps * (double(firm) / plate_rate_hz - ic_s);
      const auto k_ic = std::min(n - 1, static_cast<std::size_t>(std::lround(ic_s * marker_rate_hz)));
      const double centre_m = centroid_x_m(k_ic);
      // The end of braking: the fore-aft force's first turn from negative to
      // positive after the contact's first fifth (the impact can ring through
      // zero), over a 20 ms average.
      const auto mean_fx = [&](std::size_t a) {
        double sum = 0.0;
        for (std::size_t q = a - 3; q < a + 3; ++q) sum += plate.rows[q][fx];
        return sum / 6.0;
      };
      double braking_end_s = NAN;
      for (std::size_t q = r + (end - r) / 5; q + 4 < end; ++q)
        if (mean_fx(q) < 0.0 && mean_fx(q + 1) >= 0.0) {
          braking_end_s = double(q + 1) / plate_rate_hz;
          break;
        }
      files.contacts.push_back({side == 0 ? Side::left : Side::right, ic_s, crossing(end, end - 1),
                                cop_at_ic_m - centre_m, braking_end_s - ic_s});
      for (std::size_t q = firm; q < end; ++q) {
        const double centre_q_m = centroid_x_m(marker_index(q));
        if (!std::isfinite(centre_q_m)) continue;
        lead_weighted_m += plate.rows[q][fy] * (cop_of(q).x() - centre_q_m);
        lead_weight += plate.rows[q][fy];
      }
      // The whole contact, down to the plate's zero, belongs to that foot.
      std::size_t a = r, b = end;
      while (a > 0 && plate.rows[a - 1][fy] > 0.0) --a;
      while (b < m && plate.rows[b][fy] > 0.0) ++b;
      std::fill(owner.begin() + long(a), owner.begin() + long(b), side);
    }
    r = end;
  }
  files.com_lead_m = lead_weighted_m / lead_weight;

  // The centre of pressure in the foot frame (x from the heel along the foot,
  // y to its left, mm) at a plate row. An insole's cells know where the load
  // is at any force, the plate not below firm_force_n: there the insole gets
  // the foot-frame centre of the nearest firm row of the same contact.
  const auto cop_in_foot_mm = [&](int s, std::size_t r) {
    const std::size_t k = marker_index(r);
    const Eigen::Vector3d heel = horizontal(feet[s].heel[k]);
    const Eigen::Vector3d along = (horizontal(feet[s].toe[k]) - heel).normalized();
    const Eigen::Vector3d left = Eigen::Vector3d::UnitY().cross(along);  // up x forward = the foot's left
    const Eigen::Vector3d cop = cop_of(r) - heel;
    return Eigen::Vector2d(cop.dot(along) * 1000.0, cop.dot(left) * 1000.0);
  };
  std::vector<Eigen::Vector2d> insole_cop_mm(m, Eigen::Vector2d::Zero());
  for (std::size_t a = 0; a < m;) {
    std::size_t b = a;
    while (b < m && owner[b] == owner[a]) ++b;
    if (owner[a] >= 0) {
      std::vector<std::size_t> firm;
      for (std::size_t r = a; r < b; ++r)
        if (plate.rows[r][fy] >= firm_force_n) firm.push_back(r);
      for (std::size_t r = a; r < b && !firm.empty(); ++r) {
        const auto nearest = std::min_element(firm.begin(), firm.end(), [&](std::size_t x, std::size_t y) {
          return std::abs(double(x) - double(r)) < std::abs(double(y) - double(r));
        });
        insole_cop_mm[r] = cop_in_foot_mm(owner[a], *nearest);
      }
    }
    a = b;
  }

  // The insoles.
  constexpr double foot_length_mm = 270.0;
  const auto sites = sim::default_insole_sites(options.insole_sites, foot_length_mm);
  for (int s = 0; s < 2; ++s) {
    const double offset_s = s == 0 ? options.left_clock_offset_s : options.right_clock_offset_s;
    std::ofstream layout(s == 0 ? files.left_layout : files.right_layout);
    layout << "{\"side\": \"" << (s == 0 ? "left" : "right") << "\", \"length_mm\": " << foot_length_mm << ", \"sensors\": [";
    for (std::size_t i = 0; i < sites.size(); ++i)
      layout << (i ? ", " : "") << "{\"x_mm\": " << sites[i].x_mm << ", \"y_mm\": " << sites[i].y_mm
             << ", \"area_mm2\": " << sites[i].area_mm2 << "}";
    layout << "]}\n";
    std::ofstream out(s == 0 ? files.left_csv : files.right_csv);
    out.precision(9);
    out << 't';
    for (std::size_t i = 0; i < sites.size(); ++i) out << ",p" << i;
    out << '\n';
    std::vector<double> pressure(sites.size());
    for (std::size_t r = 0; r < m; r += std::size_t(options.insole_decimation)) {
      std::fill(pressure.begin(), pressure.end(), 0.0);
      if (owner[r] == s && plate.rows[r][fy] > 0.0)
        sim::pressure_at_sites(sites, plate.rows[r][fy], insole_cop_mm[r].x(), insole_cop_mm[r].y(), pressure);
      out << double(r) / plate_rate_hz + offset_s;
      for (double p : pressure) out << ',' << p;
      out << '\n';
    }
  }
  return files;
}

/// Detected steps against the plate's contacts (tests/support/step_scoring.hpp).
using scoring::matched_steps;
using scoring::nearest_steps;
using scoring::score;
using scoring::Score;

/// The markers' pelvic angles (fusion/FRAMES.md) at `t_s`, relative to the
/// mean posture of the whole run (the engine's neutral without a standing
/// start is the mean running posture of its first strides: compare the
/// angles' changes, or subtract the mean difference).
struct MarkerAngles {
  explicit MarkerAngles(const SensorFiles& f) : pelvis_(f.pelvis_in_lab) {
    Eigen::Vector4d sum = Eigen::Vector4d::Zero();
    for (const auto& q : pelvis_) sum += (q.w() < 0.0 ? -1.0 : 1.0) * q.coeffs();
    neutral_ = Eigen::Quaterniond(sum.normalized());
  }
  PelvisAngles at(double t_s) const {
    const auto i = std::min(pelvis_.size() - 1, static_cast<std::size_t>(std::lround(t_s * marker_rate_hz)));
    return fusion::pelvis_angles_from(neutral_.conjugate() * pelvis_[i]);
  }

 private:
  std::vector<Eigen::Quaterniond> pelvis_;
  Eigen::Quaterniond neutral_;
};

/// Inclination error of the estimated attitude (sensor to a Z-up earth frame)
/// at each pelvis sample, degrees, with its time: the angle between the
/// estimate's up and the markers' up, in the sensor frame.
inline std::vector<std::pair<double, double>> inclination_errors_deg(const std::vector<AttitudeEvent>& attitude,
                                                                      const std::vector<UpInSensor>& truth) {
  std::vector<std::pair<double, double>> out;
  std::size_t k = 0;
  for (const auto& a : attitude) {
    // The nearest truth sample; the times went through text and microsecond ticks.
    while (k + 1 < truth.size() && std::abs(truth[k + 1].t_s - a.t_s) < std::abs(truth[k].t_s - a.t_s)) ++k;
    if (k >= truth.size() || std::abs(truth[k].t_s - a.t_s) > 1e-4) continue;
    const Eigen::Quaterniond q(a.orientation.w, a.orientation.x, a.orientation.y, a.orientation.z);
    const Eigen::Vector3d up = q.conjugate() * Eigen::Vector3d::UnitZ();
    out.emplace_back(a.t_s, deg_from_rad(std::acos(std::clamp(up.dot(truth[k].up.normalized()), -1.0, 1.0))));
  }
  return out;
}

/// The time after which the inclination error stays below `limit_deg`, from the first attitude; NaN if never.
inline double settling_time_s(const std::vector<std::pair<double, double>>& errors, double limit_deg) {
  if (errors.empty()) return NAN;
  double settled = errors.front().first;
  for (const auto& [t, e] : errors)
    if (e >= limit_deg) settled = t;
  return settled >= errors.back().first ? NAN : settled - errors.front().first;
}

}  // namespace stridefuse::rbds
