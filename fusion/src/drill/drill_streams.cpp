#include "drill_streams.hpp"

namespace stridefuse::fusion::drill {

DrillStreams find_drill_streams(const std::vector<StreamDescriptor>& streams) {
  DrillStreams out;
  for (std::size_t i = 0; i < streams.size(); ++i) {
    const auto& s = streams[i];
    if (s.kind == StreamKind::imu && s.location == BodyLocation::pelvis && !out.pelvis) out.pelvis = i;
    if (s.kind != StreamKind::insole_pressure || !s.insole) continue;
    const int foot = s.insole->side == Side::left ? 0 : 1;
    if (out.insole[foot]) continue;
    out.insole[foot] = i;
    // An insole's IMU channels follow its pressures (insole_channels()).
    out.insole_imu[foot] = s.channels.size() == insole_channel_count(*s.insole, true);
    out.first_imu_channel[foot] = insole_channel_count(*s.insole, false);
  }
  return out;
}

const char* foot_name(int foot) { return foot == 0 ? "left" : "right"; }

}  // namespace stridefuse::fusion::drill
