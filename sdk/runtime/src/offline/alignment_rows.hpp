#pragma once
// What the clock alignment (recording_alignment.cpp) reads: each recording
// as rows in file order, from the first row again whenever it rewinds. It
// passes over the files a few times (envelopes of the whole files, the first
// minutes, then every window in step with the estimator) and keeps only
// coarse grids and the windows at hand, so the rows may come from memory
// (align_insoles_to_pelvis) or from the offline analysis's temporary copy.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "stridefuse/runtime/recording_alignment.hpp"

namespace stridefuse::offline {

/// `stride` doubles a row: the file's time first, the signal from index
/// `signal` on (pelvis: ax, ay, az in m/s^2; insole: total force in N).
class SignalRows {
 public:
  SignalRows(std::size_t row_stride, std::size_t signal_at) : stride(row_stride), signal(signal_at) {}
  virtual ~SignalRows() = default;
  /// Back to the first row.
  virtual void rewind() = 0;
  /// The next whole rows; empty at the end.
  virtual std::span<const double> next() = 0;
  const std::size_t stride, signal;
};

struct PelvisRows {
  SignalRows* rows;
  std::size_t samples;
  double first_t_s, last_t_s;
  std::array<double, 3> up;  ///< UpAccumulator's answer over the whole file
};

struct InsoleRows {
  std::string stream_id;
  SignalRows* rows;
  std::size_t samples;
};

/// align_insoles_to_pelvis over rows (the same errors and notes).
std::vector<ClockAlignment> align_insoles(const PelvisRows& pelvis, const std::vector<InsoleRows>& insoles);

/// Over a recording the centre of mass does not accelerate on average, so the
/// mean specific force points up whatever the mounting. Fed the pelvis
/// accelerometer sample by sample.
class UpAccumulator {
 public:
  void add(const double* accel) {
    const Eigen::Vector3d f(accel[0], accel[1], accel[2]);
    if (f.allFinite()) sum_ += f;
  }
  std::array<double, 3> up() const {
    const Eigen::Vector3d up = sum_.norm() > 0.0 ? sum_.normalized() : Eigen::Vector3d::UnitZ();
    return {up.x(), up.y(), up.z()};
  }

 private:
  Eigen::Vector3d sum_ = Eigen::Vector3d::Zero();
};

}  // namespace stridefuse::offline
