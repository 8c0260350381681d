#pragma once
// Which of the session's streams the drill tracker reads: the pelvis IMU and
// each foot's insole, with or without the insole's IMU (stream.hpp's layout).

#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "stridefuse/core/stream.hpp"

namespace stridefuse::fusion::drill {

struct DrillStreams {
  std::optional<std::size_t> pelvis;                  ///< the first IMU at the pelvis
  std::array<std::optional<std::size_t>, 2> insole;  ///< left, right: the first insole of that foot
  std::array<bool, 2> insole_imu{false, false};      ///< the insole carries ax..gz after its pressures
  std::array<std::size_t, 2> first_imu_channel{0, 0};
};

DrillStreams find_drill_streams(const std::vector<StreamDescriptor>& streams);

/// "left" / "right" for the foot index 0 / 1.
const char* foot_name(int foot);

}  // namespace stridefuse::fusion::drill
