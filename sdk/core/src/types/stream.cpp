#include "stridefuse/core/stream.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "stridefuse/core/sample.hpp"

namespace stridefuse {

std::vector<ChannelDescriptor> imu_channels(bool with_magnetometer) {
  std::vector<ChannelDescriptor> c{{"ax", "m/s^2"}, {"ay", "m/s^2"}, {"az", "m/s^2"},
                                   {"gx", "rad/s"}, {"gy", "rad/s"}, {"gz", "rad/s"}};
  if (with_magnetometer) c.insert(c.end(), {{"mx", "uT"}, {"my", "uT"}, {"mz", "uT"}});
  return c;
}

std::vector<ChannelDescriptor> insole_channels(std::size_t pressure_count, bool with_imu) {
  std::vector<ChannelDescriptor> c;
  for (std::size_t i = 0; i < pressure_count; ++i) {
    // Appended rather than "p" + to_string(i): GCC 12 at -O3 warns falsely (-Wrestrict) on the latter.
    std::string name = "p";
    name += std::to_string(i);
    c.push_back({std::move(name), "kPa"});
  }
  if (with_imu) {
    auto imu = imu_channels(false);
    c.insert(c.end(), imu.begin(), imu.end());
  }
  return c;
}

namespace {
constexpr std::size_t force_channels = 3;  // force_n, cop_x_pct, cop_y_pct
constexpr std::size_t insole_imu_channels = 6;
}  // namespace

std::vector<ChannelDescriptor> insole_channels(const InsoleLayout& layout, bool with_imu) {
  if (!layout.reports_force()) return insole_channels(layout.sensors.size(), with_imu);
  std::vector<ChannelDescriptor> c{{"force_n", "N"}, {"cop_x_pct", "%"}, {"cop_y_pct", "%"}};
  if (with_imu) {
    auto imu = imu_channels(false);
    c.insert(c.end(), imu.begin(), imu.end());
  }
  return c;
}

std::size_t insole_channel_count(const InsoleLayout& layout, bool with_imu) {
  return (layout.reports_force() ? force_channels : layout.sensors.size()) + (with_imu ? insole_imu_channels : 0);
}

void declare_imu_full_scale(std::vector<ChannelDescriptor>& channels, std::size_t first, double accel, double gyro) {
  if (first + 6 > channels.size())
    throw std::invalid_argument("declare_imu_full_scale: no six IMU channels from channel " + std::to_string(first));
  for (std::size_t i = 0; i < 6; ++i) channels[first + i].full_scale = i < 3 ? accel : gyro;
}

void validate(const StreamDescriptor& s) {
  auto fail = [&](const std::string& what) {
    throw std::invalid_argument("stream '" + s.id + "': " + what);
  };
  if (s.id.empty()) throw std::invalid_argument("stream descriptor has an empty id");
  if (s.channels.empty()) fail("has no channels");
  if (s.channels.size() > Sample::max_channels)
    fail("has " + std::to_string(s.channels.size()) + " channels, more than the " +
         std::to_string(Sample::max_channels) + " a sample holds");
  if (!(s.nominal_rate_hz > 0.0) || !std::isfinite(s.nominal_rate_hz)) fail("nominal rate must be positive");
  if (s.tick_bits < 8 || s.tick_bits > 64) fail("tick counter width must be 8 to 64 bits");
  for (const auto& c : s.channels)
    if (c.full_scale && !(*c.full_scale > 0.0 && std::isfinite(*c.full_scale)))
      fail("channel '" + c.name + "' declares a full scale of " + std::to_string(*c.full_scale) +
           "; it must be finite and positive, or absent");
  switch (s.kind) {
    case StreamKind::insole_pressure: {
      if (!s.insole) fail("is an insole stream without an insole layout");
      const auto n = insole_channel_count(*s.insole, false);
      if (s.channels.size() != n && s.channels.size() != n + insole_imu_channels)
        fail(std::string(s.insole->reports_force() ? "insole reports force and centre of pressure ("
                                                   : "insole layout has ") +
             std::to_string(n) + (s.insole->reports_force() ? " channels)" : " sensors") + " but the stream has " +
             std::to_string(s.channels.size()) + " channels (expected " + std::to_string(n) + " or " +
             std::to_string(n + insole_imu_channels) + " with an IMU)");
      if (s.insole->reports_force()) {
        const auto expected = insole_channels(*s.insole, false);
        for (std::size_t i = 0; i < expected.size(); ++i)
          if (s.channels[i].name != expected[i].name)
            fail("an insole that reports force needs channels force_n, cop_x_pct, cop_y_pct first, not '" +
                 s.channels[i].name + "'");
        if (!(s.insole->length_mm >= 0.0) || !std::isfinite(s.insole->length_mm))
          fail("insole length must be positive, or 0 when not known");
        break;
      }
      if (!(s.insole->length_mm > 0.0)) fail("insole length must be positive");
      for (const auto& site : s.insole->sensors)
        if (!std::isfinite(site.x_mm) || !std::isfinite(site.y_mm) || !(site.area_mm2 > 0.0))
          fail("insole sensor site has a non-finite position or a non-positive area");
      break;
    }
    case StreamKind::imu:
      if (s.channels.size() != 6 && s.channels.size() != 9)
        fail("IMU stream needs 6 (ax..gz) or 9 (with mx..mz) channels, not " + std::to_string(s.channels.size()));
      break;
    case StreamKind::speed:
      if (s.channels.size() != 1) fail("speed stream needs exactly one channel (speed_mps)");
      break;
  }
}

const char* to_string(StreamKind kind) {
  switch (kind) {
    case StreamKind::insole_pressure: return "insole_pressure";
    case StreamKind::imu: return "imu";
    case StreamKind::speed: return "speed";
  }
  return "?";
}

const char* to_string(Side side) { return side == Side::left ? "left" : "right"; }

}  // namespace stridefuse
