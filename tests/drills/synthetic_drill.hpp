#pragma once
// Short synthetic drill signals for the DrillTracker's unit tests: a pelvis
// IMU on the documented mounting (sensor x up, y left, z backward) and two
// insoles of eight equal cells with an optional IMU, all noise-free, from
// orientation and load profiles the test writes down. Independent of the
// simulator, so the tracker is tested on physics, not on one model.

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <vector>

#include <Eigen/Geometry>

#include "stridefuse/core/sample.hpp"
#include "stridefuse/core/stream.hpp"
#include "stridefuse/core/units.hpp"
#include "stridefuse/fusion/drill_tracker.hpp"

namespace stridefuse::drill_test {

inline Eigen::Quaterniond rot(double deg, const Eigen::Vector3d& axis) {
  return Eigen::Quaterniond(Eigen::AngleAxisd(rad_from_deg(deg), axis));
}
inline Eigen::Quaterniond about_x(double deg) { return rot(deg, Eigen::Vector3d::UnitX()); }
inline Eigen::Quaterniond about_y(double deg) { return rot(deg, Eigen::Vector3d::UnitY()); }
inline Eigen::Quaterniond about_z(double deg) { return rot(deg, Eigen::Vector3d::UnitZ()); }

/// 0 before `start`, a half-cosine up over `ramp`, 1 for `hold`, down over `ramp`.
inline double envelope(double t, double start, double ramp, double hold) {
  const double u = t - start;
  if (u <= 0.0 || u >= 2.0 * ramp + hold) return 0.0;
  if (u < ramp) return 0.5 * (1.0 - std::cos(pi * u / ramp));
  if (u <= ramp + hold) return 1.0;
  return 0.5 * (1.0 + std::cos(pi * (u - ramp - hold) / ramp));
}

struct SyntheticDrill {
  double duration_s = 8.0;
  double pelvis_rate_hz = 200.0;
  double insole_rate_hz = 100.0;
  bool pelvis = true;
  std::array<bool, 2> insole{true, true};
  std::array<bool, 2> insole_imu{true, true};
  /// Pelvis frame to world, at t.
  std::function<Eigen::Quaterniond(double)> pelvis_pose = [](double) { return Eigen::Quaterniond::Identity(); };
  /// Foot frame to world, at t.
  std::array<std::function<Eigen::Quaterniond(double)>, 2> foot_pose{
      [](double) { return Eigen::Quaterniond::Identity(); }, [](double) { return Eigen::Quaterniond::Identity(); }};
  /// Vertical load under each foot, N.
  std::array<std::function<double(double)>, 2> load{[](double) { return 350.0; }, [](double) { return 350.0; }};

  static constexpr std::size_t cells = 8;
  static constexpr double cell_area_mm2 = 1500.0;

  std::vector<StreamDescriptor> streams() const {
    std::vector<StreamDescriptor> out;
    if (pelvis) {
      StreamDescriptor d;
      d.id = "pelvis_imu";
      d.kind = StreamKind::imu;
      d.location = BodyLocation::pelvis;
      d.nominal_rate_hz = pelvis_rate_hz;
      d.channels = imu_channels(false);
      d.tick_rate_hz = 1000.0;
      out.push_back(d);
    }
    for (int f = 0; f < 2; ++f) {
      if (!insole[f]) continue;
      StreamDescriptor d;
      d.id = f == 0 ? "left_insole" : "right_insole";
      d.kind = StreamKind::insole_pressure;
      d.location = f == 0 ? BodyLocation::left_foot : BodyLocation::right_foot;
      d.nominal_rate_hz = insole_rate_hz;
      InsoleLayout layout{f == 0 ? Side::left : Side::right, 260.0, {}};
      for (std::size_t i = 0; i < cells; ++i)
        layout.sensors.push_back({30.0 + 28.0 * static_cast<double>(i / 2), i % 2 ? -20.0 : 20.0, cell_area_mm2});
      d.channels = insole_channels(layout, insole_imu[f]);
      d.insole = layout;
      d.tick_rate_hz = 1000.0;
      out.push_back(d);
    }
    return out;
  }

  /// Every sample in time order; `before` sees each sample just before the tracker takes it.
  void feed(fusion::DrillTracker& tracker, const std::function<void(const Sample&)>& before = {}) const {
    struct Source {
      int kind;  // 0 pelvis, 1 left, 2 right
      std::uint16_t stream;
      double period_s;
      long n = 0;
    };
    std::vector<Source> sources;
    std::uint16_t index = 0;
    if (pelvis) sources.push_back({0, index++, 1.0 / pelvis_rate_hz});
    for (int f = 0; f < 2; ++f)
      if (insole[f]) sources.push_back({1 + f, index++, 1.0 / insole_rate_hz});
    for (;;) {
      Source* next = nullptr;
      for (auto& s : sources)
        if (!next || static_cast<double>(s.n) * s.period_s < static_cast<double>(next->n) * next->period_s) next = &s;
      const double t = static_cast<double>(next->n++) * next->period_s;
      if (t > duration_s) break;
      Sample sample;
      sample.stream = next->stream;
      sample.t_s = t;
      if (next->kind == 0) {
        const Eigen::Quaterniond mount = about_y(-90.0);  // sensor to pelvis: x up, y left, z backward
        imu(sample, 0, [&](double at) { return pelvis_pose(at) * mount; }, t);
        sample.channel_count = 6;
      } else {
        const int f = next->kind - 1;
        const double load_n = std::max(0.0, load[f](t));
        for (std::size_t i = 0; i < cells; ++i) sample.values[i] = load_n / cells / cell_area_mm2 * 1000.0;
        sample.channel_count = cells;
        if (insole_imu[f]) {
          imu(sample, cells, foot_pose[f], t);
          sample.channel_count = cells + 6;
        }
      }
      if (before) before(sample);
      tracker.push(sample);
    }
  }

 private:
  static void imu(Sample& s, std::size_t first, const std::function<Eigen::Quaterniond(double)>& pose, double t) {
    const double h = 1e-4;
    const Eigen::Quaterniond q = pose(t);
    const Eigen::Vector3d f = q.conjugate() * Eigen::Vector3d(0.0, 0.0, standard_gravity_mps2);
    const Eigen::AngleAxisd turn(pose(t - h).conjugate() * pose(t + h));
    const Eigen::Vector3d w = turn.axis() * (turn.angle() / (2.0 * h));
    for (int i = 0; i < 3; ++i) {
      s.values[first + i] = f[i];
      s.values[first + 3 + i] = w[i];
    }
  }
};

}  // namespace stridefuse::drill_test
